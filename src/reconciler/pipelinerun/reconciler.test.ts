import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CANCEL_MSG, TIMEOUT_MSG } from './control.ts';
import { SkippingReason } from './state.ts';
import {
  NS,
  addPipeline,
  addRun,
  cond,
  echo,
  finishCancelled,
  finishChild,
  getRun,
  harness,
  patchRunSpec,
  taskRunNames,
  taskRuns,
} from './reconciler-test-support.ts';

const ok = { ok: true };

describe('pipelineRunReconciler over a store, the test playing the TaskRun controller', () => {
  it('runs a linear DAG one child at a time, passing results, and ends Succeeded with pipeline results', async () => {
    const h = harness();
    await addPipeline(h.store, 'p', {
      params: [{ name: 'greeting', type: 'string', default: 'hi' }],
      tasks: [
        { name: 'a', taskSpec: echo(['out'], ['g']), params: [{ name: 'g', value: '$(params.greeting)' }] },
        { name: 'b', taskSpec: echo([], ['in']), params: [{ name: 'in', value: '$(tasks.a.results.out)' }] },
      ],
      results: [{ name: 'final', value: '$(tasks.a.results.out)' }],
    });
    await addRun(h.store, { pipelineRef: { name: 'p' } });
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a']);
    const [a] = await taskRuns(h.store);
    assert.deepEqual(a!.spec.params, [{ name: 'g', value: 'hi' }]);
    assert.equal(a!.metadata.labels!['tekton.dev/pipelineRun'], 'run');
    assert.equal(a!.metadata.labels!['tekton.dev/pipeline'], 'p');
    assert.equal(a!.metadata.labels!['tekton.dev/pipelineTask'], 'a');
    const pr = await getRun(h.store);
    assert.equal(a!.metadata.ownerReferences?.[0]?.uid, pr.metadata.uid);
    assert.deepEqual(cond(pr), { status: 'Unknown', reason: 'Running', message: 'Tasks Completed: 0 (Failed: 0, Cancelled 0), Incomplete: 2, Skipped: 0' });
    assert.equal(pr.spec.timeouts?.pipeline, '1h0m0s');
    assert.ok(pr.status?.startTime);

    await h.reconcile(); // nothing changed: nothing new
    assert.deepEqual(await taskRunNames(h.store), ['run-a']);
    await finishChild(h.store, 'run-a', { ok: true, results: [{ name: 'out', value: 'hello' }] });
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-b']);
    assert.deepEqual((await taskRuns(h.store))[1]!.spec.params, [{ name: 'in', value: 'hello' }]);
    await finishChild(h.store, 'run-b', ok);
    assert.equal(await h.reconcile(), undefined);
    const done = await getRun(h.store);
    assert.deepEqual(cond(done), { status: 'True', reason: 'Succeeded', message: 'Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0' });
    assert.deepEqual(done.status?.results, [{ name: 'final', value: 'hello' }]);
    assert.deepEqual(
      done.status?.childReferences?.map((c) => [c.kind, c.name, c.pipelineTaskName]),
      [
        ['TaskRun', 'run-a', 'a'],
        ['TaskRun', 'run-b', 'b'],
      ],
    );
    assert.ok(done.status?.completionTime);
    assert.ok(done.status?.pipelineSpec);
  });

  it('waits for every parent of a fan-in task', async () => {
    const h = harness();
    await addRun(h.store, {
      pipelineSpec: { tasks: [{ name: 'a', taskSpec: echo() }, { name: 'b', taskSpec: echo() }, { name: 'c', runAfter: ['a', 'b'], taskSpec: echo() }] },
    });
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-b']);
    await finishChild(h.store, 'run-a', ok);
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-b']);
    await finishChild(h.store, 'run-b', ok);
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-b', 'run-c']);
    assert.equal((await taskRuns(h.store))[2]!.metadata.labels!['tekton.dev/pipeline'], 'run');
  });

  it('skips what follows a failure (stopping) and ends Failed', async () => {
    const h = harness();
    await addRun(h.store, {
      pipelineSpec: { tasks: [{ name: 'a', taskSpec: echo() }, { name: 'slow', taskSpec: echo() }, { name: 'b', runAfter: ['a'], taskSpec: echo() }] },
    });
    await h.reconcile();
    await finishChild(h.store, 'run-a', { ok: false });
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-slow']);
    let pr = await getRun(h.store);
    assert.equal(cond(pr)?.reason, 'PipelineRunStopping');
    assert.deepEqual(pr.status?.skippedTasks, [{ name: 'b', reason: SkippingReason.Stopping }]);
    await finishChild(h.store, 'run-slow', ok);
    await h.reconcile();
    pr = await getRun(h.store);
    assert.deepEqual(cond(pr), { status: 'False', reason: 'Failed', message: 'Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 1' });
  });
});
