import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { controllerOf, inform, objectKey, runController, WorkQueue } from '../../controller/index.ts';
import { taskRunReconciler } from './reconciler.ts';
import { create, harness, oneStep, succeeded, task, taskRun, type Harness } from './reconciler-test-support.ts';
import { RESULTS_SIDECAR } from '../../pod/index.ts';

let h: Harness;
afterEach(() => h?.close());

const sidecarLogs = (maxResultSize = 4096) =>
  harness((c) => {
    c.featureFlags.resultsFrom = 'sidecar-logs';
    c.featureFlags.maxResultSize = maxResultSize;
  });

describe('taskRunReconciler: results from the results sidecar (results-from: sidecar-logs)', () => {
  it("reads the results from the sidecar's log in the LogStore", async () => {
    h = sidecarLogs();
    await create(h.store, taskRun({ taskSpec: oneStep({ results: [{ name: 'out' }] }) }));
    await h.settle();
    const [pod] = await h.pods();
    assert.ok(pod.spec?.containers.some((c) => c.name === RESULTS_SIDECAR));
    await h.kubelet.start('tr-pod');
    await h.kubelet.log('tr-pod', RESULTS_SIDECAR, '{"name":"out","value":"from the log","type":"task"}\n');
    await h.kubelet.finish('tr-pod');
    await h.settle();
    const tr = await h.taskRun();
    assert.equal(succeeded(tr.status)?.reason, 'Succeeded');
    assert.deepEqual(tr.status?.results, [{ name: 'out', type: 'string', value: 'from the log' }]);
  });

  it('fails with TaskRunResultLargerThanAllowedLimit past max-result-size', async () => {
    h = sidecarLogs(16);
    await create(h.store, taskRun({ taskSpec: oneStep({ results: [{ name: 'out' }] }) }));
    await h.settle();
    await h.kubelet.log('tr-pod', RESULTS_SIDECAR, `{"name":"out","value":"${'x'.repeat(40)}","type":"task"}\n`);
    await h.kubelet.finish('tr-pod');
    await h.settle();
    const c = succeeded((await h.taskRun()).status);
    assert.equal(c?.reason, 'TaskRunResultLargerThanAllowedLimit');
    assert.equal(c?.message, '[User error]  TaskRun ""tr"" failed: 79 bytes results size exceeds configured limit of 16 bytes');
  });

  it('warns about a log line it cannot decode and keeps what the containers say', async () => {
    h = sidecarLogs();
    await create(h.store, taskRun({ taskSpec: oneStep({ results: [{ name: 'out' }] }) }));
    await h.settle();
    await h.kubelet.log('tr-pod', RESULTS_SIDECAR, 'not json\n');
    await h.kubelet.finish('tr-pod', { 'step-a': { results: { out: 'unused' } } });
    await h.settle();
    assert.equal(succeeded((await h.taskRun()).status)?.reason, 'Succeeded');
    assert.equal(h.warnings.length, 1);
    assert.match(h.warnings[0], /^tr: cannot read results from the sidecar-tekton-log-results container's log: invalid result/);
  });
});

describe('taskRunReconciler under runController', () => {
  it('runs a TaskRun to Succeeded from informer events alone', async () => {
    h = harness();
    const queue = new WorkQueue(h.clock);
    const taskRuns = inform(h.store, h.clock, { kind: 'TaskRun' }, (_t, o) => queue.add(objectKey(o)));
    const pods = inform(h.store, h.clock, { kind: 'Pod' }, (_t, o) => {
      const owner = controllerOf(o, 'TaskRun');
      if (owner) queue.add(owner);
    });
    const problems: string[] = [];
    const running = runController({ queue, reconcile: taskRunReconciler(h.deps), workers: 2, onProblem: (k, m) => problems.push(`${k}: ${m}`) });
    const until = async (what: string, test: () => Promise<boolean>) => {
      for (let i = 0; i < 500; i++) {
        if (await test()) return;
        await new Promise((r) => setImmediate(r));
      }
      assert.fail(`never: ${what}`);
    };
    try {
      await create(h.store, task(oneStep({ results: [{ name: 'out' }] })), taskRun({ taskRef: { name: 't' } }));
      await until('a Pod', async () => (await h.pods()).length === 1);
      await h.kubelet.start('tr-pod');
      await until('Running', async () => succeeded((await h.taskRun()).status)?.reason === 'Running');
      await h.kubelet.finish('tr-pod', { 'step-a': { results: { out: 'ok' } } });
      await until('Succeeded', async () => succeeded((await h.taskRun()).status)?.reason === 'Succeeded');
      assert.deepEqual((await h.taskRun()).status?.results, [{ name: 'out', type: 'string', value: 'ok' }]);
      assert.deepEqual(problems, []);
    } finally {
      queue.shutDown();
      taskRuns.stop();
      pods.stop();
      await running;
    }
  });
});
