// pipelines-in-pipelines.test.ts: Pipelines in Pipelines (TEP-0056, alpha) end to end through the
// built CLI: Tekton's own examples with and without the alpha gate, a pipelineRef cycle, and a
// cancel (hard, --finally, --stop, Ctrl-C) of a parent reaching its child PipelineRun and the
// child's TaskRuns.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRun, stored, until } from './helpers/background.ts';
import { parseRunList, runCli } from './helpers/cli.ts';
import { storedObject } from './helpers/store.ts';

const CANCEL_MSG = 'TaskRun cancelled as the PipelineRun it belongs to has been cancelled.';
const conformance = join('..', 'shared', 'conformance', 'tekton-examples', 'examples', 'v1', 'pipelineruns', 'alpha');
const ALPHA = ['--feature-flag', 'enable-api-fields=alpha'];

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-pip-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type PrintedRun = {
  metadata: { name: string };
  status?: { conditions?: { status?: string; reason?: string; message?: string }[]; childReferences?: unknown[]; skippedTasks?: unknown[] };
};

describe("Tekton's pipelines-in-pipelines examples", { concurrency: 2 }, () => {
  for (const [file, child] of [
    ['pipelines-in-pipelines.yaml', 'child'],
    ['pipelines-in-pipelines-ref.yaml', 'child'],
    ['pipelines-in-pipelines-ref-complex.yaml', 'child'],
  ]) {
    it(`${file} succeeds with enable-api-fields alpha, through a child PipelineRun`, () =>
      withDir(async (dir) => {
        const out = await runCli(['run', '-f', join(conformance, file), '-o', 'json', '--state-dir', dir, ...ALPHA], 60_000);
        assert.equal(out.code, 0, out.stderr);
        const pr = parseRunList(out.stdout)!.items[0] as PrintedRun;
        assert.deepEqual(
          pr.status?.conditions?.map((c) => [c.status, c.reason, c.message]),
          [['True', 'Succeeded', 'Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 0']],
        );
        const name = `${pr.metadata.name}-${child}`;
        assert.deepEqual(pr.status?.childReferences, [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name, pipelineTaskName: child }]);
        assert.equal(stored(dir, 'pipelinerun', name).status?.conditions?.[0]?.reason, 'Succeeded');
      }));
  }

  it('refuses them without the alpha gate, as the webhook does', async () => {
    const out = await runCli(['run', '-f', join(conformance, 'pipelines-in-pipelines.yaml'), '-o', 'json']);
    assert.equal(out.code, 2);
    assert.match(out.stderr, /Pipeline "pipelines-in-pipelines-spec": pipelineSpec requires "enable-api-fields" feature gate to be "alpha" but it is "beta"/);
    const ref = await runCli(['run', '-f', join(conformance, 'pipelines-in-pipelines-ref.yaml'), '--feature-flag', 'enable-api-fields=stable']);
    assert.equal(ref.code, 2);
    assert.match(ref.stderr, /Pipeline "pipelines-in-pipelines-ref": pipelineRef requires "enable-api-fields" feature gate to be "alpha" but it is "stable"/);
  });

  it('fails a pipelineRef cycle with CreateRunFailed (detectPipelineRefCycle)', () =>
    withDir(async (dir) => {
      const file = join(dir, 'cycle.yaml');
      writeFileSync(
        file,
        `apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: ping}
spec:
  tasks:
  - name: pong
    pipelineRef: {name: pong}
---
apiVersion: tekton.dev/v1
kind: Pipeline
metadata: {name: pong}
spec:
  tasks:
  - name: ping
    pipelineRef: {name: ping}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: loop}
spec:
  pipelineRef: {name: ping}
`,
      );
      const out = await runCli(['run', '-f', file, '-o', 'json', '--state-dir', dir, ...ALPHA], 60_000);
      assert.equal(out.code, 1);
      const pr = parseRunList(out.stdout)!.items[0] as PrintedRun;
      assert.deepEqual(
        pr.status?.conditions?.map((c) => [c.reason, c.message]),
        [['Failed', 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0']],
      );
      assert.deepEqual(
        stored(dir, 'pipelinerun', 'loop-pong').status?.conditions?.map((c) => [c.reason, c.message]),
        [['CreateRunFailed', 'detected cycle in pipeline-in-pipeline: pipeline "ping" is already running in ancestor chain [pong]']],
      );
    }));
});

/** nested writes a PipelineRun `name` whose child `inner` runs `first` until `release` exists, then `after`, then its finally `inner-cleanup`; the parent's finally is `cleanup`. */
function nested(dir: string, name: string, release: string): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: v1
kind: ConfigMap
metadata: {name: feature-flags, namespace: tekton-pipelines}
data: {enable-api-fields: alpha}
---
apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: ${name}
spec:
  pipelineSpec:
    tasks:
    - name: inner
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
        - name: inner-cleanup
          taskSpec:
            steps:
            - name: inner-cleanup
              image: mirror.gcr.io/alpine
              script: echo "inner cleanup"
    finally:
    - name: cleanup
      params:
      - name: inner
        value: $(tasks.inner.status)
      taskSpec:
        params:
        - name: inner
        steps:
        - name: cleanup
          image: mirror.gcr.io/alpine
          script: echo "cleanup sees inner=$(params.inner)"
`,
  );
  return file;
}

const conditions = (r: { status?: { conditions?: { reason?: string; message?: string }[] } }) => r.status?.conditions?.map((c) => [c.reason, c.message]);

describe('cancelling a PipelineRun reaches its child PipelineRun and the TaskRuns below', { concurrency: 2 }, () => {
  for (const how of ['tektite cancel', 'Ctrl-C'] as const) {
    it(`${how}: everything is cancelled, no finally task runs at any level`, () =>
      withDir(async (dir) => {
        const run = startRun(nested(dir, 'hard', join(dir, 'never')), dir, 'first is running');
        await run.started;
        if (how === 'Ctrl-C') run.interrupt();
        else assert.equal((await runCli(['cancel', 'hard', '--state-dir', dir])).code, 0);
        const out = await run.done;
        assert.deepEqual(conditions(parseRunList(out.stdout)!.items[0] as PrintedRun), [['Cancelled', 'PipelineRun "hard" was cancelled']]);
        assert.deepEqual(conditions(stored(dir, 'pipelinerun', 'hard-inner')), [['Cancelled', 'PipelineRun "hard-inner" was cancelled']]);
        const first = stored(dir, 'taskrun', 'hard-inner-first');
        assert.deepEqual([first.spec.status, first.spec.statusMessage], ['TaskRunCancelled', CANCEL_MSG]);
        for (const tr of ['hard-cleanup', 'hard-inner-inner-cleanup', 'hard-inner-after']) {
          assert.equal(storedObject(dir, 'TaskRun', tr), undefined, `no TaskRun ${tr}`);
        }
        assert.equal(out.code, 1);
      }));
  }

  it('--finally: the child is cancelled gracefully too, and finally tasks run at both levels', () =>
    withDir(async (dir) => {
      const run = startRun(nested(dir, 'graceful', join(dir, 'never')), dir, 'first is running');
      await run.started;
      assert.equal((await runCli(['cancel', 'graceful', '--finally', '--state-dir', dir])).code, 0);
      const out = await run.done;
      assert.deepEqual(conditions(parseRunList(out.stdout)!.items[0] as PrintedRun), [['Cancelled', 'PipelineRun "graceful" was cancelled']]);
      const inner = stored(dir, 'pipelinerun', 'graceful-inner');
      assert.equal(inner.spec.status, 'CancelledRunFinally');
      assert.deepEqual(conditions(inner), [['Cancelled', 'PipelineRun "graceful-inner" was cancelled']]);
      assert.equal(stored(dir, 'taskrun', 'graceful-inner-first').spec.statusMessage, CANCEL_MSG);
      assert.match(out.stderr, /\[inner-cleanup : inner-cleanup\] inner cleanup/);
      assert.match(out.stderr, /\[cleanup : cleanup\] cleanup sees inner=Failed/);
    }));

  it('--stop: the child finishes its running TaskRun, starts nothing new, runs its finally', () =>
    withDir(async (dir) => {
      const release = join(dir, 'release');
      const run = startRun(nested(dir, 'stop', release), dir, 'first is running');
      await run.started;
      assert.equal((await runCli(['cancel', 'stop', '--stop', '--state-dir', dir])).code, 0);
      await until(() => stored(dir, 'pipelinerun', 'stop-inner').status?.conditions?.[0]?.reason === 'StoppedRunningFinally', 'the child StoppedRunningFinally');
      writeFileSync(release, '');
      const out = await run.done;
      assert.deepEqual(conditions(parseRunList(out.stdout)!.items[0] as PrintedRun), [['Cancelled', 'PipelineRun "stop" was cancelled']]);
      const inner = stored(dir, 'pipelinerun', 'stop-inner') as ReturnType<typeof stored> & { status?: { skippedTasks?: unknown[] } };
      assert.deepEqual(inner.status?.skippedTasks, [{ name: 'after', reason: 'PipelineRun was gracefully stopped' }]);
      assert.equal(stored(dir, 'taskrun', 'stop-inner-first').status?.conditions?.[0]?.reason, 'Succeeded');
      assert.match(out.stderr, /\[inner-cleanup : inner-cleanup\] inner cleanup/);
    }));
});
