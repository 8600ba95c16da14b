// catalog-git-clone.test.ts: the catalog's git-clone Task (0.9 and 0.10, unmodified, from
// test/fixtures/catalog) on the host executor, where /ko-app/git-init is provided for their
// images. One `tektite run` clones a local bare repository made here (two commits on main with a
// submodule on the second, a tag, a branch) in several runs at once, and checks the Task's
// results, the files checked out, git-init's failure for a missing revision, and that an
// option-looking URL or revision runs nothing; a second one runs 0.10 twice into one checkout.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunList, resultsOf, runCli } from './helpers/cli.ts';
import { storedObject } from './helpers/store.ts';
import type { CliOutcome, RunObject } from './helpers/cli.ts';

const fixture = join('test', 'fixtures', 'catalog', 'git-clone-0.9.yaml');
const fixture010 = join('test', 'fixtures', 'catalog', 'git-clone-0.10.yaml');
const date1 = 1700000000;
const date2 = 1700000100;

interface Repo {
  dir: string;
  url: string;
  main: string;
  tag: string;
  dev: string;
}

/** git runs git with a private HOME and fixed identities and dates. */
function git(cwd: string, args: string[], date = date1): string {
  return execFileSync('git', ['-c', 'protocol.file.allow=always', ...args], {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_AUTHOR_DATE: `${date} +0000`,
      GIT_COMMITTER_DATE: `${date} +0000`,
    },
  }).trim();
}

/** makeRepo builds sub.git and src.git (main: one, two+submodule; tag v1 on one; dev: one+dev.txt). */
function makeRepo(dir: string): Repo {
  const work = (name: string): string => {
    const w = join(dir, name);
    mkdirSync(w);
    git(w, ['init', '-q', '-b', 'main']);
    return w;
  };
  git(dir, ['init', '-q', '--bare', '-b', 'main', 'sub.git']);
  git(dir, ['init', '-q', '--bare', '-b', 'main', 'src.git']);
  const sub = work('sub-work');
  writeFileSync(join(sub, 'lib.txt'), 'from the submodule\n');
  git(sub, ['add', '.']);
  git(sub, ['commit', '-q', '-m', 'lib']);
  git(sub, ['push', '-q', join(dir, 'sub.git'), 'main']);

  const w = work('src-work');
  writeFileSync(join(w, 'a.txt'), 'first\n');
  mkdirSync(join(w, 'docs'));
  writeFileSync(join(w, 'docs', 'guide.txt'), 'guide\n');
  git(w, ['add', '.']);
  git(w, ['commit', '-q', '-m', 'one']);
  git(w, ['tag', 'v1']);
  const tag = git(w, ['rev-parse', 'HEAD']);
  git(w, ['checkout', '-q', '-b', 'dev']);
  writeFileSync(join(w, 'dev.txt'), 'dev\n');
  git(w, ['add', '.']);
  git(w, ['commit', '-q', '-m', 'dev'], date1 + 50);
  const dev = git(w, ['rev-parse', 'HEAD']);
  git(w, ['checkout', '-q', 'main']);
  writeFileSync(join(w, 'a.txt'), 'second\n');
  git(w, ['submodule', '-q', 'add', `file://${join(dir, 'sub.git')}`, 'sub']);
  git(w, ['add', '.']);
  git(w, ['commit', '-q', '-m', 'two'], date2);
  const main = git(w, ['rev-parse', 'HEAD']);
  git(w, ['push', '-q', join(dir, 'src.git'), 'main', 'dev', 'v1']);
  return { dir, url: join(dir, 'src.git'), main, tag, dev };
}

/** runs is the YAML of every run: two PipelineRuns that check the files, three TaskRuns. */
function runs(repo: Repo): string {
  const checkTask = (name: string, params: string, extra: string): string => `
    - name: check
      runAfter: [fetch]
      workspaces: [{name: src, workspace: src}]
      taskSpec:
        workspaces: [{name: src}]
        results: [{name: files}]
        steps:
        - name: list
          image: mirror.gcr.io/alpine
          script: |
            cd $(workspaces.src.path)
            find . -path ./.git -prune -o -path ./sub/.git -prune -o -type f -print | sort | tr '\\n' ' ' > $(results.files.path)
    - name: fetch
      taskRef: {name: git-clone}
      workspaces: [{name: output, workspace: src}${extra}]
      params: [{name: url, value: "${repo.url}"}${params}]
  workspaces:
  - name: src
    volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Mi}}}}
  ${name === 'clone-main' ? '- name: auth\n    secret: {secretName: git-auth}' : ''}`;
  const pipeline = (name: string, params: string, extra = ''): string => `---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ${name}}
spec:
  pipelineSpec:
    workspaces: [{name: src}${extra ? ', {name: auth}' : ''}]
    tasks:${checkTask(name, params, extra)}
`;
  const taskRun = (name: string, url: string, revision: string): string => `---
apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: ${name}}
spec:
  taskRef: {name: git-clone}
  params: [{name: url, value: ${JSON.stringify(url)}}, {name: revision, value: ${JSON.stringify(revision)}}]
  workspaces: [{name: output, emptyDir: {}}]
`;
  // The basic-auth workspace brings $HOME/.gitconfig (copied by the Task's script): it lets the
  // submodule's file:// URL through, which git refuses by default since 2.38.1.
  return `apiVersion: v1
kind: Secret
metadata: {name: git-auth}
stringData:
  .gitconfig: |
    [protocol "file"]
    \tallow = always
  .git-credentials: ""
${pipeline('clone-main', '', ', {name: basic-auth, workspace: auth}')}${pipeline('clone-dev-sparse', ', {name: revision, value: dev}, {name: sparseCheckoutDirectories, value: "docs/"}')}${taskRun('clone-tag', repo.url, 'v1')}${taskRun('clone-missing', repo.url, 'nope')}${taskRun('inject-url', `--upload-pack=touch ${join(repo.dir, 'pwned-url')}`, '')}${taskRun('inject-revision', repo.url, `--upload-pack=touch ${join(repo.dir, 'pwned-revision')}`)}`;
}

/**
 * runs010 clones twice into one workspace with the catalog's 0.10 Task (image
 * tektoncd-catalog/git-clone:v1.1.0), keeping the first checkout: its git-init reuses the origin.
 */
function runs010(repo: Repo): string {
  const fetch = (name: string, revision: string, runAfter: string): string => `
    - name: ${name}
      taskRef: {name: git-clone}${runAfter}
      workspaces: [{name: output, workspace: src}]
      params: [{name: url, value: "${repo.url}"}, {name: revision, value: ${revision}}, {name: deleteExisting, value: "false"}, {name: submodules, value: "false"}]`;
  return `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: clone-again}
spec:
  pipelineSpec:
    workspaces: [{name: src}]
    tasks:${fetch('first', 'v1', '')}${fetch('again', 'dev', '\n      runAfter: [first]')}
  workspaces:
  - name: src
    volumeClaimTemplate: {spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Mi}}}}
`;
}

describe('the catalog git-clone Task on the host executor', () => {
  let dir: string;
  let repo: Repo;
  let out: CliOutcome;
  let out010: CliOutcome;
  let byName: Map<string, RunObject>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tektite-git-clone-'));
    repo = makeRepo(dir);
    writeFileSync(join(dir, 'runs.yaml'), runs(repo));
    writeFileSync(join(dir, 'runs-010.yaml'), runs010(repo));
    [out, out010] = await Promise.all([
      runCli(['run', '-f', fixture, '-f', join(dir, 'runs.yaml'), '-o', 'json', '--state-dir', join(dir, 'state'), '--parallel', '8']),
      runCli(['run', '-f', fixture010, '-f', join(dir, 'runs-010.yaml'), '-o', 'json', '--state-dir', join(dir, 'state-010')]),
    ]);
    const list = parseRunList(out.stdout);
    assert.ok(list, `stdout holds the -o json List\nexit ${out.code}\n${out.stderr}`);
    byName = new Map(list.items.map((r) => [r.metadata.name, r]));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const context = (): string => `exit ${out.code}\n--- stderr\n${out.stderr}`;
  // The -o json List holds the runs of the files; a PipelineRun's TaskRuns are read from the state dir.
  const taskRun = (name: string, state = 'state'): RunObject => {
    const run = byName.get(name) ?? storedObject<RunObject>(join(dir, state), 'TaskRun', name);
    assert.ok(run, `run ${name} is in the output; ${[...byName.keys()].join(', ')}\n${context()}`);
    return run;
  };
  const results = (name: string, state = 'state'): Record<string, unknown> => Object.fromEntries((resultsOf(taskRun(name, state)) ?? []).map((r) => [r.name, r.value]));
  const succeeded = (name: string): string | undefined => taskRun(name).status?.conditions?.[0]?.status;

  it('clones the default branch with its submodule, with the commit, url and committer-date results', () => {
    assert.equal(succeeded('clone-main'), 'True', context());
    assert.deepEqual(results('clone-main-fetch'), { commit: repo.main, url: repo.url, 'committer-date': String(date2) });
    assert.equal(results('clone-main-check').files, './.gitmodules ./a.txt ./docs/guide.txt ./sub/lib.txt ');
    assert.match(out.stderr, /"msg":"Successfully cloned [^"]*src\.git @ [0-9a-f]{40} \(grafted, HEAD\) in path \/workspace\/output\/"/);
  });

  it('checks out a tag', () => {
    assert.equal(succeeded('clone-tag'), 'True', context());
    assert.deepEqual(results('clone-tag'), { commit: repo.tag, url: repo.url, 'committer-date': String(date1) });
  });

  it('checks out a branch, sparsely', () => {
    assert.equal(succeeded('clone-dev-sparse'), 'True', context());
    assert.equal(results('clone-dev-sparse-fetch').commit, repo.dev);
    assert.equal(results('clone-dev-sparse-check').files, './docs/guide.txt ');
  });

  it("fails a revision that does not exist with git-init's message and exit code 1", () => {
    assert.equal(out.code, 1, context());
    const run = taskRun('clone-missing');
    assert.equal(succeeded('clone-missing'), 'False');
    const steps = (run.status as { steps?: { terminated?: { exitCode?: number } }[] }).steps;
    assert.equal(steps?.[0]?.terminated?.exitCode, 1);
    assert.match(
      out.stderr,
      /"level":"error",[^\n]*"msg":"Error running git \[fetch --recurse-submodules=yes --depth=1 --update-head-ok --force -- origin nope\]: exit status 128\\nfatal: couldn't find remote ref nope\\n"/,
    );
    assert.match(out.stderr, /"level":"fatal",[^\n]*"msg":"Error fetching git repository: failed to fetch \[nope\]: exit status 128"/);
  });

  it('runs nothing for a URL or a revision that looks like an option', () => {
    assert.equal(succeeded('inject-url'), 'False');
    assert.equal(succeeded('inject-revision'), 'False');
    assert.match(out.stderr, /strange pathname '--upload-pack=touch [^']*pwned-url' blocked/);
    assert.match(out.stderr, /fatal: invalid refspec '--upload-pack=touch [^']*pwned-revision'/);
    assert.equal(existsSync(join(dir, 'pwned-url')), false);
    assert.equal(existsSync(join(dir, 'pwned-revision')), false);
  });

  it("runs catalog 0.10 (tektoncd-catalog/git-clone:v1.1.0), whose git-init reuses an existing checkout's origin", () => {
    assert.equal(out010.code, 0, `exit ${out010.code}\n${out010.stderr}`);
    assert.deepEqual(results('clone-again-first', 'state-010'), { commit: repo.tag, url: repo.url, 'committer-date': String(date1) });
    assert.deepEqual(results('clone-again-again', 'state-010'), { commit: repo.dev, url: repo.url, 'committer-date': String(date1 + 50) });
  });
});
