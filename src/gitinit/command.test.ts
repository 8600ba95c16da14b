// command.test.ts: git-init against a real local repository with the system git.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { homeSSHOptions, runGitInit, spawnGitRunner, validateGitSSHURLFormat } from './index.ts';

let dir: string;
let env: Record<string, string>;
let main: string;
let dev: string;

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tektite-gitinit-'));
  mkdirSync(join(dir, 'home'));
  env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: join(dir, 'home'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 't',
    GIT_AUTHOR_EMAIL: 't@x',
    GIT_COMMITTER_NAME: 't',
    GIT_COMMITTER_EMAIL: 't@x',
  };
  git(dir, 'init', '-q', '--bare', '-b', 'main', 'src.git');
  git(dir, 'init', '-q', '-b', 'main', 'work');
  const work = join(dir, 'work');
  writeFileSync(join(work, 'a.txt'), 'a\n');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'one');
  main = git(work, 'rev-parse', 'HEAD');
  git(work, 'checkout', '-q', '-b', 'dev');
  writeFileSync(join(work, 'b.txt'), 'b\n');
  git(work, 'add', '.');
  git(work, 'commit', '-q', '-m', 'two');
  dev = git(work, 'rev-parse', 'HEAD');
  git(work, 'push', '-q', join(dir, 'src.git'), 'main', 'dev');
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function gitInit(args: string[]): Promise<{ code: number; log: string }> {
  let log = '';
  const code = await runGitInit(args, {
    git: spawnGitRunner(env, new AbortController().signal),
    stderr: (t) => {
      log += t;
    },
    env,
    cwd: dir,
    program: 'git-init',
    now: () => 1e12,
  });
  return { code, log };
}

describe('runGitInit', () => {
  it('fetches a refspec, checks out the revision and appends commit and url to the termination message', async () => {
    const term = join(dir, 'term-refspec');
    writeFileSync(term, '[{"key":"earlier","value":"x","type":1}]');
    const out = join(dir, 'out-refspec');
    const { code, log } = await gitInit([
      `-url= ${join(dir, 'src.git')} `,
      '-revision=dev',
      '-refspec=refs/heads/dev:refs/heads/dev refs/heads/main:refs/heads/main',
      `-path=${out}`,
      `-terminationMessagePath=${term}`,
      '-submodules=false',
      '-depth=0',
    ]);
    assert.equal(code, 0, log);
    assert.equal(git(out, 'rev-parse', 'HEAD'), dev);
    assert.equal(git(out, 'rev-parse', 'main'), main);
    assert.equal(git(out, 'symbolic-ref', 'HEAD'), 'refs/heads/dev'); // checked out as the branch, not detached
    assert.equal(git(out, 'config', 'http.sslVerify'), 'true');
    assert.equal(git(out, 'remote', 'get-url', 'origin'), join(dir, 'src.git')); // trimmed
    assert.equal(readFileSync(term, 'utf8'), `[{"key":"earlier","value":"x","type":1},{"key":"commit","value":"${dev}"},{"key":"url","value":" ${join(dir, 'src.git')} "}]`);
    assert.equal(
      log,
      `{"level":"info","ts":1000000000,"caller":"git/git.go:176","msg":"Successfully cloned ${join(dir, 'src.git')} @ ${dev} (HEAD -> dev, origin/dev) in path ${out}"}\n`,
    );
    assert.match(readFileSync(join(env.HOME, '.gitconfig'), 'utf8'), new RegExp(`directory = ${out}\n`));
  });

  it("fails with git-init's fatal line and exit code 1 when the refspec lacks the revision", async () => {
    const { code, log } = await gitInit([
      `-url=${join(dir, 'src.git')}`,
      '-revision=nope',
      '-refspec=refs/heads/main',
      `-path=${join(dir, 'out-bad')}`,
      `-terminationMessagePath=${join(dir, 'term-bad')}`,
    ]);
    assert.equal(code, 1);
    assert.match(log, /"level":"error",[^\n]*"msg":"Error running git \[show -q --pretty=format:%H --end-of-options nope\]: exit status 128\\n/);
    assert.match(
      log,
      /\{"level":"fatal","ts":1000000000,"caller":"git-init\/main.go:54","msg":"Error fetching git repository: error parsing nope after fetching refspec refs\/heads\/main"\}\n$/,
    );
    assert.equal(existsSync(join(dir, 'term-bad')), false);
  });

  it('exits 2 with the usage on a bad flag, 0 on -help', async () => {
    const bad = await gitInit(['-depth=x']);
    assert.equal(bad.code, 2);
    assert.match(bad.log, /^invalid value "x" for flag -depth: parse error\nUsage of git-init:\n/);
    const help = await gitInit(['-help']);
    assert.equal(help.code, 0);
    assert.match(help.log, /^Usage of git-init:\n/);
  });
});

describe("git-init's URL and ssh helpers", () => {
  it('tells SSH URLs like git-init', () => {
    assert.deepEqual(['git@github.com:tektoncd/pipeline.git', 'ssh://host/repo', 'https://github.com/x/y', 'http://a.b:c', '/tmp/repo.git'].map(validateGitSSHURLFormat), [
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('points ssh at $HOME/.ssh only when it is not the passwd home', () => {
    assert.equal(homeSSHOptions('/home/u', '/home/u/'), '');
    const home = join(dir, 'sshhome');
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(join(home, '.ssh', 'config'), '');
    writeFileSync(join(home, '.ssh', 'id_ed25519'), '');
    assert.equal(homeSSHOptions(home, '/root'), ` '-o' 'UserKnownHostsFile=${home}/.ssh/known_hosts' '-F' '${home}/.ssh/config' '-i' '${home}/.ssh/id_ed25519'`);
    assert.equal(homeSSHOptions("/it's", '/root'), ` '-o' 'UserKnownHostsFile=/it'\\''s/.ssh/known_hosts'`);
  });
});

describe('spawnGitRunner', () => {
  it('kills git and everything it started when the signal aborts', async () => {
    const controller = new AbortController();
    const runner = spawnGitRunner(env, controller.signal);
    const started = Date.now();
    // The alias runs `sh -c 'sleep 30'` under git: the run only ends once sleep is gone too (it holds the pipes).
    const running = runner(dir, ['-c', 'alias.wait=!sleep 30', 'wait']);
    setTimeout(() => controller.abort(), 300);
    const outcome = await running;
    assert.equal(outcome.error, 'signal: terminated');
    assert.ok(Date.now() - started < 5000, `ended after ${Date.now() - started} ms`);
  });

  it("reports exit codes and a missing git the way Go's exec does", async () => {
    const runner = spawnGitRunner(env, new AbortController().signal);
    const failed = await runner(join(dir, 'work'), ['rev-parse', '--verify', 'nope']);
    assert.equal(failed.error, 'exit status 128');
    assert.match(failed.output, /fatal: Needed a single revision/);
    const missing = await spawnGitRunner({ PATH: join(dir, 'nowhere') }, new AbortController().signal)(dir, ['version']);
    assert.equal(missing.error, 'exec: "git": executable file not found in $PATH');
  });
});

describe('git-init flavors', () => {
  it("reuses an existing origin in the tektoncd-catalog flavor; Tekton's fails `remote add`", async () => {
    const out = join(dir, 'out-again');
    const args = [`-url=${join(dir, 'src.git')}`, '-revision=main', `-path=${out}`, `-terminationMessagePath=${join(dir, 'term-again')}`, '-submodules=false'];
    const io = (flavor: 'pipeline' | 'catalog', log: string[]) => ({
      git: spawnGitRunner(env, new AbortController().signal),
      stderr: (t: string) => {
        log.push(t);
      },
      env,
      cwd: dir,
      program: 'git-init',
      flavor,
    });
    const first: string[] = [];
    assert.equal(await runGitInit(args, io('catalog', first)), 0, first.join(''));
    const again: string[] = [];
    assert.equal(
      await runGitInit(
        args.map((a) => a.replace('-revision=main', '-revision=dev')),
        io('catalog', again),
      ),
      0,
      again.join(''),
    );
    assert.equal(git(out, 'rev-parse', 'HEAD'), dev);
    const tekton: string[] = [];
    assert.equal(await runGitInit(args, io('pipeline', tekton)), 1);
    assert.match(tekton.join(''), /Error running git \[remote add -- origin [^\]]*\]: exit status 3\\nerror: remote origin already exists\.\\n/);
  });
});
