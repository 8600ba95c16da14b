// reconciler-stop.test.ts: cancel, graceful cancel/stop, the pipeline and tasks timeouts on a FakeClock, pending.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CANCEL_MSG, TIMEOUT_MSG } from './control.ts';
import { SkippingReason } from './state.ts';
import { addRun, cond, echo, finishCancelled, finishChild, getRun, harness, patchRunSpec, taskRunNames, taskRuns } from './reconciler-test-support.ts';

const ok = { ok: true };

describe('pipelineRunReconciler: cancel, stop, timeouts, pending', () => {
  it('cancels running children with the cancel message and ends Cancelled once they are done', async () => {
    const h = harness();
    await addRun(h.store, {
      pipelineSpec: {
        tasks: [
          { name: 'a', taskSpec: echo() },
          { name: 'b', runAfter: ['a'], taskSpec: echo() },
        ],
        finally: [{ name: 'f', taskSpec: echo() }],
      },
    });
    await h.reconcile();
    await patchRunSpec(h.store, { status: 'Cancelled' });
    await h.reconcile();
    const [a] = await taskRuns(h.store);
    assert.equal(a!.spec.status, 'TaskRunCancelled');
    assert.equal(a!.spec.statusMessage, CANCEL_MSG);
    assert.equal(cond(await getRun(h.store))?.status, 'Unknown');
    await finishCancelled(h.store);
    await h.reconcile();
    const pr = await getRun(h.store);
    assert.deepEqual(cond(pr), { status: 'False', reason: 'Cancelled', message: 'PipelineRun "run" was cancelled' });
    assert.deepEqual(await taskRunNames(h.store), ['run-a'], 'no finally after a cancel');
    assert.deepEqual(
      pr.status?.childReferences?.map((c) => c.name),
      ['run-a'],
    );
  });

  it('cancels at once a run that is cancelled before it starts', async () => {
    const h = harness();
    await addRun(h.store, { status: 'Cancelled', pipelineRef: { name: 'nowhere' } });
    await h.reconcile();
    assert.deepEqual(cond(await getRun(h.store)), { status: 'False', reason: 'Cancelled', message: 'PipelineRun "run" was cancelled' });
  });

  it('gracefully cancels: running DAG children cancelled, the rest skipped, finally still runs', async () => {
    const h = harness();
    await addRun(h.store, {
      pipelineSpec: {
        tasks: [
          { name: 'a', taskSpec: echo() },
          { name: 'x', taskSpec: echo() },
          { name: 'b', runAfter: ['x'], taskSpec: echo() },
        ],
        finally: [{ name: 'f', taskSpec: echo() }],
      },
    });
    await h.reconcile();
    await finishChild(h.store, 'run-x', ok);
    await patchRunSpec(h.store, { status: 'CancelledRunFinally' });
    await h.reconcile();
    const a = (await taskRuns(h.store)).find((t) => t.metadata.name === 'run-a')!;
    assert.equal(a.spec.statusMessage, CANCEL_MSG);
    let pr = await getRun(h.store);
    assert.equal(cond(pr)?.reason, 'CancelledRunningFinally');
    assert.deepEqual(pr.status?.skippedTasks, [{ name: 'b', reason: SkippingReason.GracefullyCancelled }]);
    await finishCancelled(h.store);
    await h.reconcile();
    assert.ok((await taskRunNames(h.store)).includes('run-f'));
    await finishChild(h.store, 'run-f', ok);
    await h.reconcile();
    pr = await getRun(h.store);
    assert.deepEqual(cond(pr), { status: 'False', reason: 'Cancelled', message: 'PipelineRun "run" was cancelled' });
    // The last reconcile regrades: a DAG task was cancelled, so the run was stopping.
    assert.deepEqual(pr.status?.skippedTasks, [{ name: 'b', reason: SkippingReason.Stopping }]);
  });

  it('gracefully stops: running children finish, nothing new starts, finally runs', async () => {
    const h = harness();
    await addRun(h.store, {
      pipelineSpec: {
        tasks: [
          { name: 'a', taskSpec: echo() },
          { name: 'b', runAfter: ['a'], taskSpec: echo() },
        ],
        finally: [{ name: 'f', taskSpec: echo() }],
      },
    });
    await h.reconcile();
    await patchRunSpec(h.store, { status: 'StoppedRunFinally' });
    await h.reconcile();
    assert.equal((await taskRuns(h.store))[0]!.spec.status, undefined);
    assert.equal(cond(await getRun(h.store))?.reason, 'StoppedRunningFinally');
    await finishChild(h.store, 'run-a', ok);
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-f']);
    await finishChild(h.store, 'run-f', ok);
    await h.reconcile();
    const pr = await getRun(h.store);
    assert.deepEqual(cond(pr), { status: 'False', reason: 'Cancelled', message: 'PipelineRun "run" was cancelled' });
    assert.deepEqual(pr.status?.skippedTasks, [{ name: 'b', reason: SkippingReason.GracefullyStopped }]);
  });

  it('times the pipeline out on the clock: requeue, cancel with the timeout message, skip finally, TimedOut', async () => {
    const h = harness();
    await addRun(h.store, {
      timeouts: { pipeline: '1m' },
      pipelineSpec: {
        tasks: [
          { name: 'a', taskSpec: echo() },
          { name: 'b', runAfter: ['a'], taskSpec: echo() },
        ],
        finally: [{ name: 'f', taskSpec: echo() }],
      },
    });
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 60_000 });
    h.clock.advance(30_000);
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 30_000 });
    h.clock.advance(30_000);
    await h.reconcile();
    const [a] = await taskRuns(h.store);
    assert.equal(a!.spec.status, 'TaskRunCancelled');
    assert.equal(a!.spec.statusMessage, TIMEOUT_MSG);
    await finishCancelled(h.store);
    await h.reconcile();
    const pr = await getRun(h.store);
    assert.deepEqual(cond(pr), { status: 'False', reason: 'PipelineRunTimeout', message: 'PipelineRun "run" failed to finish within "1m0s"' });
    assert.deepEqual(pr.status?.skippedTasks, [
      { name: 'b', reason: SkippingReason.PipelineTimeout },
      { name: 'f', reason: SkippingReason.PipelineTimeout },
    ]);
  });

  it('times the tasks out: DAG children cancelled, finally runs, TimedOut for tasks', async () => {
    const h = harness();
    await addRun(h.store, { timeouts: { pipeline: '10m', tasks: '1m' }, pipelineSpec: { tasks: [{ name: 'a', taskSpec: echo() }], finally: [{ name: 'f', taskSpec: echo() }] } });
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 60_000 });
    h.clock.advance(60_000);
    await h.reconcile();
    assert.equal((await taskRuns(h.store))[0]!.spec.statusMessage, TIMEOUT_MSG);
    assert.equal(cond(await getRun(h.store))?.reason, 'PipelineRunTimeoutRunningFinally');
    await finishCancelled(h.store);
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-f']);
    await finishChild(h.store, 'run-f', ok);
    await h.reconcile();
    assert.deepEqual(cond(await getRun(h.store)), {
      status: 'False',
      reason: 'PipelineRunTimeout',
      message: 'PipelineRun "run" failed due to tasks failed to finish within "1m0s"',
    });
  });

  it('stays pending until spec.status is cleared, then starts', async () => {
    const h = harness();
    await addRun(h.store, { status: 'PipelineRunPending', pipelineSpec: { tasks: [{ name: 'a', taskSpec: echo() }] } });
    await h.reconcile();
    assert.deepEqual(cond(await getRun(h.store)), { status: 'Unknown', reason: 'PipelineRunPending', message: 'PipelineRun "run" is pending' });
    assert.deepEqual(await taskRunNames(h.store), []);
    h.clock.advance(5_000);
    await patchRunSpec(h.store, { status: undefined });
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a']);
    const pr = await getRun(h.store);
    assert.equal(cond(pr)?.reason, 'Running');
    assert.equal(pr.status?.startTime, '2026-12-02T00:00:05Z', 'started when released');
    // The pipeline timeout counts from the release.
    h.clock.advance(60_000);
    assert.deepEqual(await h.reconcile(), { requeueAfterMs: 3_540_000 });
  });
});
