// reconciler-children.test.ts: the parallel bound, failed lookups, and pipelines in pipelines (child PipelineRuns).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addPipeline, addRun, alpha, cond, echo, finishChild, getRun, harness, patchRunSpec, taskRunNames } from './reconciler-test-support.ts';

const ok = { ok: true };

describe('pipelineRunReconciler: bounds, lookups, pipelines in pipelines', () => {
  it('runs at most `parallel` PipelineTasks at once', async () => {
    const h = harness({ parallel: 1 });
    await addRun(h.store, {
      pipelineSpec: {
        tasks: [
          { name: 'a', taskSpec: echo() },
          { name: 'b', taskSpec: echo() },
        ],
      },
    });
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a']);
    await finishChild(h.store, 'run-a', ok);
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-b']);
  });

  it('fails with CouldntGetPipeline for a Pipeline that does not exist', async () => {
    const h = harness();
    await addRun(h.store, { pipelineRef: { name: 'nope' } });
    await h.reconcile();
    assert.deepEqual(cond(await getRun(h.store)), {
      status: 'False',
      reason: 'CouldntGetPipeline',
      message: '[User error] Error retrieving pipeline for pipelinerun default/run: pipelines.tekton.dev "nope" not found',
    });
  });

  it('fails with CouldntGetTask for a Task that does not exist', async () => {
    const h = harness();
    await addRun(h.store, { pipelineSpec: { tasks: [{ name: 'a', taskRef: { name: 'missing' } }] } });
    await h.reconcile();
    assert.equal(cond(await getRun(h.store))?.reason, 'CouldntGetTask');
  });

  it('runs a pipelineRef task as a child PipelineRun and follows its status', async () => {
    const h = harness({ config: alpha() });
    await addPipeline(h.store, 'inner', { tasks: [{ name: 'i', taskSpec: echo() }] });
    await addPipeline(h.store, 'outer', { tasks: [{ name: 'sub', pipelineRef: { name: 'inner' } }] });
    await addRun(h.store, { pipelineRef: { name: 'outer' } });
    await h.reconcile();
    const child = await getRun(h.store, 'run-sub');
    assert.equal(child.metadata.labels!['tekton.dev/pipeline'], 'inner');
    assert.equal(child.metadata.labels!['tekton.dev/pipelineRun'], 'run');
    assert.deepEqual(child.spec.pipelineRef, { name: 'inner' });
    // The child is reconciled by the same controller: its own TaskRun is its child.
    await h.reconcile('run-sub');
    assert.deepEqual(await taskRunNames(h.store), ['run-sub-i']);
    await finishChild(h.store, 'run-sub-i', ok);
    await h.reconcile('run-sub');
    assert.equal(cond(await getRun(h.store, 'run-sub'))?.reason, 'Succeeded');
    await h.reconcile();
    const pr = await getRun(h.store);
    assert.equal(cond(pr)?.reason, 'Succeeded');
    assert.deepEqual(
      pr.status?.childReferences?.map((c) => [c.kind, c.name]),
      [['PipelineRun', 'run-sub']],
    );
  });

  it('cancels child PipelineRuns with their parent', async () => {
    const h = harness({ config: alpha() });
    await addPipeline(h.store, 'inner', { tasks: [{ name: 'i', taskSpec: echo() }] });
    await addRun(h.store, { pipelineSpec: { tasks: [{ name: 'sub', pipelineRef: { name: 'inner' } }] } });
    await h.reconcile();
    await patchRunSpec(h.store, { status: 'Cancelled' });
    await h.reconcile();
    assert.equal((await getRun(h.store, 'run-sub')).spec.status, 'Cancelled');
    await h.reconcile('run-sub');
    assert.equal(cond(await getRun(h.store, 'run-sub'))?.reason, 'Cancelled');
    await h.reconcile();
    assert.equal(cond(await getRun(h.store))?.reason, 'Cancelled');
  });

  it('fails with CreateRunFailed on a pipelineRef cycle', async () => {
    const h = harness({ config: alpha() });
    await addPipeline(h.store, 'loop', { tasks: [{ name: 'again', pipelineRef: { name: 'loop' } }] });
    await addRun(h.store, { pipelineRef: { name: 'loop' } });
    await h.reconcile();
    const pr = await getRun(h.store);
    assert.equal(cond(pr)?.reason, 'CreateRunFailed');
    assert.match(cond(pr)!.message!, /detected cycle in pipeline-in-pipeline: pipeline "loop"/);
  });

  it('tells a running child PipelineRun of a graceful cancel, so it runs its own finally', async () => {
    const h = harness({ config: alpha() });
    await addPipeline(h.store, 'inner', { tasks: [{ name: 'i', taskSpec: echo() }] });
    await addRun(h.store, { pipelineSpec: { tasks: [{ name: 'sub', pipelineRef: { name: 'inner' } }] } });
    await h.reconcile();
    await patchRunSpec(h.store, { status: 'CancelledRunFinally' });
    await h.reconcile();
    assert.equal((await getRun(h.store, 'run-sub')).spec.status, 'CancelledRunFinally');
  });

  it('fails with CouldntGetPipelineResult when a successful task did not emit a result the Pipeline reports', async () => {
    const h = harness();
    await addRun(h.store, { pipelineSpec: { tasks: [{ name: 'a', taskSpec: echo(['r']) }], results: [{ name: 'out', value: '$(tasks.a.results.r)' }] } });
    await h.reconcile();
    await finishChild(h.store, 'run-a', ok);
    await h.reconcile();
    assert.deepEqual(cond(await getRun(h.store)), {
      status: 'False',
      reason: 'CouldntGetPipelineResult',
      message: "invalid pipelineresults [out], the referenced results don't exist",
    });
  });
});

describe('pipelineRunReconciler: writes', () => {
  it('asks for a retry when its status write loses a compare-and-swap', async () => {
    const h = harness();
    await addRun(h.store, { pipelineSpec: { tasks: [{ name: 'a', taskSpec: echo() }] } });
    const store = h.store;
    const updateStatus = store.updateStatus.bind(store);
    let conflicts = 1;
    store.updateStatus = async (obj) => {
      if (obj.kind === 'PipelineRun' && conflicts-- > 0) return { ok: false, reason: 'Conflict', message: 'the object has been modified' };
      return updateStatus(obj);
    };
    assert.deepEqual(await h.reconcile(), { retry: 'conflict' });
    // The child was created; the retry finds it and creates nothing twice.
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a']);
    assert.equal(cond(await getRun(h.store))?.reason, 'Running');
  });

  it('writes nothing when nothing changed (no watch event, no reconcile loop)', async () => {
    const h = harness();
    await addRun(h.store, { pipelineSpec: { tasks: [{ name: 'a', taskSpec: echo() }] } });
    await h.reconcile();
    const before = (await getRun(h.store)).metadata.resourceVersion;
    // Not even asked of the store (knative's reconciler compares the statuses itself).
    const updateStatus = h.store.updateStatus.bind(h.store);
    let writes = 0;
    h.store.updateStatus = async (obj) => {
      writes++;
      return updateStatus(obj);
    };
    await h.reconcile();
    await h.reconcile();
    assert.equal((await getRun(h.store)).metadata.resourceVersion, before);
    assert.equal(writes, 0);
  });
});
