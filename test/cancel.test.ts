// cancel.test.ts: `tektite cancel` end to end, with two real processes sharing a state dir: a
// `tektite run` runs a PipelineRun (or TaskRun), a `tektite cancel` writes spec.status to the
// stored object, and the running process acts on it as Tekton does (TEKTON-FACTS §8.6).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRun, stored, until } from './helpers/background.ts';
import { parseRunList, runCli } from './helpers/cli.ts';
import { storedObject } from './helpers/store.ts';

const CANCEL_MSG = 'TaskRun cancelled as the PipelineRun it belongs to has been cancelled.';

/** pipeline writes a PipelineRun whose `first` task runs until `release` exists, then `after`, then finally `cleanup`. */
function pipelineFile(dir: string, name: string, release: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
spec:
  pipelineSpec:
    tasks:
    - name: first
      taskSpec:
        steps:
        - name: first
          image: mirror.gcr.io/alpine
          script: |
            echo "first is running"
            while [ ! -e "${release}" ]; do sleep 0.1; done
    - name: after
      runAfter: [first]
      taskSpec:
        steps:
        - name: after
          image: mirror.gcr.io/alpine
          script: echo "after ran"
    finally:
    - name: cleanup
      params:
      - name: first
        value: $(tasks.first.status)
      taskSpec:
        params:
        - name: first
        steps:
        - name: cleanup
          image: mirror.gcr.io/alpine
          script: echo "cleanup sees first=$(params.first)"
`,
  );
  return file;
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-cancel-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('tektite cancel, with another tektite run using the same state dir', { concurrency: 2 }, () => {
  it('Cancelled cancels the running TaskRun, runs no finally task, and ends the PipelineRun Cancelled', () =>
    withDir(async (dir) => {
      const run = startRun(pipelineFile(dir, 'hard', join(dir, 'never')), dir, 'first is running');
      await run.started;
      const cancel = await runCli(['cancel', 'hard', '--state-dir', dir]);
      assert.deepEqual([cancel.code, cancel.stdout], [0, 'pipelinerun.tekton.dev/hard patched (spec.status: Cancelled)\n']);
      const out = await run.done;
      const pr = parseRunList(out.stdout)!.items[0]!;
      assert.deepEqual(
        pr.status?.conditions?.map((c) => [c.status, c.reason, c.message]),
        [['False', 'Cancelled', 'PipelineRun "hard" was cancelled']],
      );
      const first = stored(dir, 'taskrun', 'hard-first');
      assert.deepEqual(first.spec.status, 'TaskRunCancelled');
      assert.deepEqual(first.spec.statusMessage, CANCEL_MSG);
      assert.deepEqual(
        first.status?.conditions?.map((c) => [c.reason, c.message]),
        [['TaskRunCancelled', `TaskRun "hard-first" was cancelled. ${CANCEL_MSG}`]],
      );
      assert.equal(storedObject(dir, 'TaskRun', 'hard-cleanup'), undefined, 'no finally TaskRun');
      assert.equal(out.code, 1);
    }));

  it('--finally cancels the running TaskRun, skips the rest, runs finally and ends Cancelled', () =>
    withDir(async (dir) => {
      const run = startRun(pipelineFile(dir, 'graceful', join(dir, 'never')), dir, 'first is running');
      await run.started;
      const cancel = await runCli(['cancel', 'graceful', '--finally', '--state-dir', dir]);
      assert.equal(cancel.stdout, 'pipelinerun.tekton.dev/graceful patched (spec.status: CancelledRunFinally)\n');
      const out = await run.done;
      const pr = parseRunList(out.stdout)!.items[0]! as { status?: { conditions?: { reason?: string; message?: string }[]; skippedTasks?: unknown[] } };
      assert.deepEqual(
        pr.status?.conditions?.map((c) => [c.reason, c.message]),
        [['Cancelled', 'PipelineRun "graceful" was cancelled']],
      );
      // Tekton recomputes skips on its last reconcile: the cancelled `first` makes it "stopping".
      assert.deepEqual(pr.status?.skippedTasks, [{ name: 'after', reason: 'PipelineRun was stopping' }]);
      assert.equal(stored(dir, 'taskrun', 'graceful-first').spec.statusMessage, CANCEL_MSG);
      assert.match(out.stderr, /\[cleanup : cleanup\] cleanup sees first=Failed/);
    }));

  it('--stop lets the running TaskRun finish, starts nothing new, runs finally and ends Cancelled', () =>
    withDir(async (dir) => {
      const release = join(dir, 'release');
      const run = startRun(pipelineFile(dir, 'stop', release), dir, 'first is running');
      await run.started;
      const cancel = await runCli(['cancel', 'stop', '--stop', '--state-dir', dir]);
      assert.equal(cancel.stdout, 'pipelinerun.tekton.dev/stop patched (spec.status: StoppedRunFinally)\n');
      // The running process notices: its next status says StoppedRunningFinally.
      await until(() => stored(dir, 'pipelinerun', 'stop').status?.conditions?.[0]?.reason === 'StoppedRunningFinally', 'StoppedRunningFinally');
      writeFileSync(release, '');
      const out = await run.done;
      const pr = parseRunList(out.stdout)!.items[0]! as { status?: { conditions?: { reason?: string; message?: string }[]; skippedTasks?: unknown[] } };
      assert.deepEqual(
        pr.status?.conditions?.map((c) => [c.reason, c.message]),
        [['Cancelled', 'PipelineRun "stop" was cancelled']],
      );
      assert.deepEqual(pr.status?.skippedTasks, [{ name: 'after', reason: 'PipelineRun was gracefully stopped' }]);
      assert.equal(stored(dir, 'taskrun', 'stop-first').status?.conditions?.[0]?.reason, 'Succeeded');
      assert.match(out.stderr, /\[cleanup : cleanup\] cleanup sees first=Succeeded/);
    }));

  it('cancels a standalone TaskRun with TaskRunCancelled', () =>
    withDir(async (dir) => {
      const file = join(dir, 'tr.yaml');
      writeFileSync(
        file,
        'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: lonely\nspec:\n  taskSpec:\n    steps:\n    - name: wait\n      image: mirror.gcr.io/alpine\n      script: |\n        echo "waiting"\n        sleep 60\n',
      );
      const run = startRun(file, dir, 'waiting');
      await run.started;
      const cancel = await runCli(['cancel', 'lonely', '--state-dir', dir]);
      assert.equal(cancel.stdout, 'taskrun.tekton.dev/lonely patched (spec.status: TaskRunCancelled)\n');
      const out = await run.done;
      const tr = parseRunList(out.stdout)!.items[0]!;
      assert.deepEqual(
        tr.status?.conditions?.map((c) => [c.reason, c.message]),
        [['TaskRunCancelled', 'TaskRun "lonely" was cancelled. ']],
      );
      assert.equal(stored(dir, 'taskrun', 'lonely').spec.status, 'TaskRunCancelled');
    }));

  it('refuses runs that do not exist, have finished, or flags that do not apply', () =>
    withDir(async (dir) => {
      const missing = await runCli(['cancel', 'nope', '--state-dir', dir]);
      assert.deepEqual([missing.code, missing.stderr], [1, `Error: no PipelineRun or TaskRun named "nope" in namespace "default" (state dir ${dir})\n`]);
      const done = await runCli(['run', '-f', 'examples/pipelineruns/cancelled.yaml', '--state-dir', dir]);
      assert.equal(done.code, 1);
      const finished = await runCli(['cancel', 'cancelled-run', '--state-dir', dir]);
      assert.deepEqual([finished.code, finished.stderr], [1, 'Error: failed to cancel PipelineRun "cancelled-run": PipelineRun has already finished execution (Cancelled)\n']);
      const both = await runCli(['cancel', 'x', '--finally', '--stop', '--state-dir', dir]);
      assert.equal(both.code, 2);
    }));
});
