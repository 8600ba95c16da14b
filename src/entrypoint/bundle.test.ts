import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Sandbox, isAlive } from './test-support.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = join(root, 'dist', 'entrypoint.cjs');
const script = join(root, 'scripts', 'bundle-entrypoint.mjs');

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** start runs the bundled entrypoint as its own process, the way a container command would. */
function start(args: string[]): { pid: number; done: Promise<Exit> } {
  const child = spawn(process.execPath, [bundle, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => {
    stdout += c;
  });
  child.stderr.on('data', (c) => {
    stderr += c;
  });
  const done = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { pid: child.pid!, done };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the bundled dist/entrypoint.cjs', () => {
  before(() => {
    if (existsSync(bundle)) return;
    const built = spawnSync(process.execPath, [script], { cwd: root, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
  });

  it('is an executable CommonJS file with a node shebang that requires only node: builtins', () => {
    const text = readFileSync(bundle, 'utf8');
    assert.ok(text.startsWith('#!/usr/bin/env node\n'));
    assert.equal(statSync(bundle).mode & 0o755, 0o755);
    const required = [...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.ok(required.length > 0);
    assert.deepEqual(
      required.filter((r) => !r.startsWith('node:')),
      [],
    );
  });

  it('is built from library sources that import only node: builtins, siblings and the pure termination, Go duration and flag modules', () => {
    const dir = join(root, 'src', 'entrypoint');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('test-support.ts'))) {
      // Multi-line imports too: `import {\n a,\n b } from '...';`.
      const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/^import [^;]*? from '([^']+)';$/gms)].map((m) => m[1]);
      const pure = ['../duration/go-duration.ts', '../goflag/index.ts', '../termination/index.ts'];
      assert.deepEqual(
        imports.filter((i) => !i.startsWith('node:') && !/^\.\/[\w-]+\.ts$/.test(i) && !pure.includes(i)),
        [],
        file,
      );
    }
  });

  it('has a build check that names every non-builtin import', async () => {
    const { nonBuiltinImports } = (await import(pathToFileURL(script).href)) as { nonBuiltinImports(m: unknown): string[] };
    const metafile = { outputs: { 'dist/entrypoint.cjs': { imports: [{ path: 'node:fs' }, { path: 'yaml' }, { path: 'fs' }] } } };
    assert.deepEqual(nonBuiltinImports(metafile), ['yaml', 'fs']);
  });

  it('runs a step: output passes through, post file and termination message are written', async () => {
    const sb = new Sandbox();
    const { done } = start([
      '-post_file',
      sb.path('/tekton/run/0/out'),
      '-termination_path',
      sb.path('/tekton/termination'),
      '-step_metadata_dir',
      sb.path('/tekton/run/0/status'),
      '-entrypoint',
      'sh',
      '--',
      '-c',
      'echo hello',
    ]);
    const exit = await done;
    assert.deepEqual(exit, { code: 0, signal: null, stdout: 'hello\n', stderr: '' });
    assert.ok(sb.exists('/tekton/run/0/out'));
    assert.equal(sb.read('/tekton/run/0/status/exitCode'), '0');
    const [startedAt] = JSON.parse(sb.read('/tekton/termination')) as { key: string; type: number }[];
    assert.deepEqual([startedAt.key, startedAt.type], ['StartedAt', 3]);
  });

  it("prints Tekton's skip message and exits 1 after a failed previous step", async () => {
    const sb = new Sandbox();
    const first = await start(['-post_file', sb.path('/tekton/run/0/out'), '-termination_path', sb.path('/tekton/t0'), '-entrypoint', 'false', '--']).done;
    assert.equal(first.code, 1);
    const second = await start([
      '-wait_file',
      sb.path('/tekton/run/0/out'),
      '-post_file',
      sb.path('/tekton/run/1/out'),
      '-termination_path',
      sb.path('/tekton/t1'),
      '-entrypoint',
      'true',
      '--',
    ]).done;
    assert.deepEqual(second, { code: 1, signal: null, stdout: '', stderr: 'Skipping step because a previous step failed\n' });
  });

  it('forwards a SIGTERM to the whole process group of the command', async () => {
    const sb = new Sandbox();
    const pidFile = sb.path('/tekton/grandchild.pid');
    const step = start([
      '-post_file',
      sb.path('/tekton/run/0/out'),
      '-termination_path',
      sb.path('/tekton/t'),
      '-entrypoint',
      'sh',
      '--',
      '-c',
      `sleep 30 & echo $! > ${pidFile}; wait`,
    ]);
    await until(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8') !== '');
    process.kill(step.pid, 'SIGTERM');
    const exit = await step.done;
    assert.deepEqual([exit.code, exit.signal], [255, null]);
    assert.equal(isAlive(Number(readFileSync(pidFile, 'utf8'))), false);
    assert.ok(sb.exists('/tekton/run/0/out.err'));
  });

  it('dies of a SIGTERM received while still waiting for the previous step', async () => {
    const sb = new Sandbox();
    const step = start([
      '-wait_file',
      sb.path('/tekton/run/0/out'),
      '-post_file',
      sb.path('/tekton/run/1/out'),
      '-termination_path',
      sb.path('/tekton/t'),
      '-entrypoint',
      'true',
      '--',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    process.kill(step.pid, 'SIGTERM');
    const exit = await step.done;
    assert.deepEqual([exit.code, exit.signal], [null, 'SIGTERM']);
    assert.ok(!sb.exists('/tekton/run/1/out.err'));
  });

  it('copies itself with cp, and the copy runs as a step', async () => {
    const sb = new Sandbox();
    const copy = sb.path('/tekton/entrypoint');
    assert.equal((await start(['cp', bundle, copy]).done).code, 0);
    assert.equal(statSync(copy).mode & 0o777, 0o311);
    if (process.getuid?.() !== 0) return; // 0311 has no read bit: only root can run the copied script
    const ran = spawnSync(copy, ['-post_file', sb.path('/tekton/run/0/out'), '-termination_path', sb.path('/tekton/t'), '-entrypoint', 'echo', '--', 'copied'], {
      encoding: 'utf8',
    });
    assert.equal(ran.stdout, 'copied\n');
  });
});
