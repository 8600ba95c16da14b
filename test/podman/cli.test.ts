// cli.test.ts: the real `tektite run --executor podman` subprocess: Ctrl-C (SIGINT to its process group)
// during a long step cancels the TaskRun and leaves no pod, container or volume behind, and a finished
// run's background cleanup is complete by the time the CLI has exited.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { images, leftovers, skipReason } from './helpers.ts';

const bin = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'tektite.mjs');
const skip = skipReason || (!existsSync(bin) && 'dist/bin/tektite.mjs is not built (npm run build)');

function volumes(): string[] {
  return spawnSync('podman', ['volume', 'ls', '--quiet'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean).sort();
}

/** tektite starts the CLI in its own process group (as a shell does), collecting stdout and stderr. */
function tektite(yaml: string) {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-podman-cli-'));
  writeFileSync(join(dir, 'run.yaml'), yaml);
  const child = spawn(process.execPath, [bin, 'run', '--executor', 'podman', '-f', join(dir, 'run.yaml'), '-o', 'json', '--state-dir', join(dir, 'state')], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString('utf8');
  });
  child.stderr.on('data', (b: Buffer) => {
    stderr += b.toString('utf8');
  });
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, stderr: () => stderr, stdout: () => stdout };
}

async function until(condition: () => boolean, what: string): Promise<void> {
  const t0 = Date.now();
  while (!condition()) {
    if (Date.now() - t0 > 60_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Condition {
  type: string;
  reason: string;
  status: string;
  message: string;
  lastTransitionTime?: string;
}
/** conditions reads the Succeeded condition of each run printed by `-o json`, without its timestamp. */
function conditions(stdout: string): Array<{ kind: string; name: string; condition: Condition }> {
  const list = JSON.parse(stdout) as { items: Array<{ kind: string; metadata: { name: string }; status: { conditions: Condition[] } }> };
  return list.items.map((o) => {
    const { lastTransitionTime: _, ...condition } = o.status.conditions[0];
    return { kind: o.kind, name: o.metadata.name, condition };
  });
}

describe('tektite run --executor podman (the CLI)', { skip }, () => {
  let busybox: string;
  before(async () => {
    busybox = (await images()).busybox;
  });

  it('cancels the TaskRun on Ctrl-C during a long step and leaves no pod, container or volume behind', async () => {
    const name = `sigint-${randomBytes(3).toString('hex')}`;
    const volumesBefore = volumes();
    // A sidecar makes it a podman pod (infra container included): the richest thing to clean up.
    const run = tektite(`apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: ${name}}
spec:
  taskSpec:
    sidecars: [{name: idle, image: ${busybox}, command: [sleep, "100"]}]
    steps: [{name: nap, image: ${busybox}, command: [sh, -c, "echo started; sleep 100"]}]
`);
    await until(() => run.stderr().includes('started'), 'the step to start');
    assert.notDeepEqual(leftovers(name), []);
    process.kill(-run.child.pid!, 'SIGINT');
    const code = await run.exited;
    assert.equal(code, 1, run.stderr());
    assert.match(run.stderr(), /SIGINT: cancelling runs/);
    assert.deepEqual(conditions(run.stdout()), [
      { kind: 'TaskRun', name, condition: { type: 'Succeeded', status: 'False', reason: 'TaskRunCancelled', message: `TaskRun "${name}" was cancelled. ` } },
    ]);
    assert.deepEqual(leftovers(name), []);
    assert.deepEqual(volumes(), volumesBefore);
  });

  it('has removed every container of a finished PipelineRun, passed or failed, by the time it exits', async () => {
    const name = `cleanup-${randomBytes(3).toString('hex')}`;
    const run = tektite(`apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ${name}}
spec:
  pipelineSpec:
    tasks:
      - {name: ok, taskSpec: {steps: [{name: s, image: ${busybox}, command: ["true"]}]}}
      - {name: bad, runAfter: [ok], taskSpec: {steps: [{name: s, image: ${busybox}, command: [sh, -c, "exit 3"]}]}}
`);
    const code = await run.exited;
    assert.equal(code, 1, run.stderr());
    assert.equal(conditions(run.stdout())[0].condition.reason, 'Failed');
    // The TaskRuns' pods are named <pipelinerun>-<task>-pod; their podman objects start with that.
    assert.deepEqual(leftovers(name), []);
  });

  it('removes, on exit, the containers whose background removal has not finished yet', async () => {
    const name = `exit-${randomBytes(3).toString('hex')}-pod`;
    // A process that exits the moment runPod resolves: only the exit handler can remove the containers.
    const script = join(mkdtempSync(join(tmpdir(), 'tektite-exit-')), 'exit.mts');
    writeFileSync(
      script,
      `
import { podmanExecutor } from ${JSON.stringify(join(import.meta.dirname, '..', '..', 'src', 'executors', 'podman', 'index.ts'))};
import { entrypointBundle, fakeSources, tektonPod } from ${JSON.stringify(join(import.meta.dirname, 'helpers.ts'))};
const pod = tektonPod(${JSON.stringify(name)}, [{ name: 'a', image: ${JSON.stringify(busybox)}, command: ['true'] }]);
const status = await podmanExecutor({ entrypointBundle }).runPod(pod, {
  signal: new AbortController().signal, workDir: ${JSON.stringify(dirname(script))}, volumes: fakeSources(${JSON.stringify(dirname(script))}),
  onLog: () => {}, onStatus: () => {}, onWarning: () => {},
});
process.stdout.write(status.phase ?? '');
process.exit(0);
`,
    );
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8' });
    assert.equal(r.stdout, 'Succeeded', r.stderr);
    assert.deepEqual(leftovers(name), []);
  });
});
