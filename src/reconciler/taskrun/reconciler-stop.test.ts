import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { openMemoryStore, type KObject, type ObjectStore } from '../../store/index.ts';
import { taskRunReconciler } from './reconciler.ts';
import { create, harness, KEY, oneStep, succeeded, taskRun, type Harness } from './reconciler-test-support.ts';

let h: Harness;
afterEach(() => h?.close());

/** edit rewrites the stored TaskRun's spec (a `tektite cancel`, a release from pending). */
async function editSpec(store: ObjectStore, edit: (spec: Record<string, unknown>) => void): Promise<void> {
  const tr = await store.get({ kind: 'TaskRun', namespace: 'default', name: 'tr' });
  const spec = structuredClone(tr!.spec as Record<string, unknown>);
  edit(spec);
  const r = await store.update({ ...tr!, spec });
  assert.ok(r.ok, r.ok ? '' : r.message);
}

describe('taskRunReconciler: timeouts, cancels and Pods that go wrong', () => {
  it('times out on the clock: TaskRunTimeout, the running step ended, the Pod deleted', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: oneStep(), timeout: '1m' }));
    assert.deepEqual(await h.settle(), { requeueAfterMs: 60_000 });
    await h.kubelet.start('tr-pod');
    h.clock.advance(30_000);
    assert.deepEqual(await h.settle(), { requeueAfterMs: 30_000 });
    h.clock.advance(30_000);
    assert.equal(await h.settle(), undefined);
    const tr = await h.taskRun();
    const c = succeeded(tr.status);
    assert.deepEqual([c?.status, c?.reason, c?.message], ['False', 'TaskRunTimeout', 'TaskRun "tr" failed to finish within "1m0s"']);
    assert.equal(tr.status?.steps?.[0].terminated?.reason, 'TaskRunTimeout');
    assert.equal(tr.status?.steps?.[0].terminated?.exitCode, 1);
    assert.equal(tr.status?.completionTime, '2026-12-02T00:01:00Z');
    assert.deepEqual(await h.pods(), [], 'the kubelet killed the deleted Pod and let it go');
  });

  it('retries a timed-out attempt in a new Pod', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: oneStep(), timeout: '1m', retries: 1 }));
    await h.settle();
    h.clock.advance(60_000);
    assert.deepEqual(await h.settle(), { requeueAfterMs: 60_000 });
    const tr = await h.taskRun();
    assert.equal(succeeded(tr.status?.retriesStatus?.[0])?.reason, 'TaskRunTimeout');
    assert.deepEqual(
      (await h.pods()).map((p) => p.metadata.name),
      ['tr-pod-retry1'],
    );
  });

  it('cancels a running TaskRun: TaskRunCancelled with the statusMessage, no retry, the Pod deleted', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: oneStep(), retries: 3 }));
    await h.settle();
    await h.kubelet.start('tr-pod');
    await h.settle();
    await editSpec(h.store, (s) => Object.assign(s, { status: 'TaskRunCancelled', statusMessage: 'stopped by a test' }));
    assert.equal(await h.settle(), undefined);
    const tr = await h.taskRun();
    const c = succeeded(tr.status);
    assert.deepEqual([c?.status, c?.reason, c?.message], ['False', 'TaskRunCancelled', 'TaskRun "tr" was cancelled. stopped by a test']);
    assert.equal(tr.status?.retriesStatus, undefined);
    assert.equal(tr.status?.steps?.[0].terminated?.reason, 'TaskRunCancelled');
    assert.equal(tr.status?.steps?.[0].terminated?.message, 'Step step-a terminated as pod tr-pod is terminated');
    assert.deepEqual(await h.pods(), []);
  });

  it('deletes the Pod a cancelled TaskRun left behind', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: oneStep() }));
    await h.settle();
    const tr = await h.taskRun();
    const cancelled = { ...tr.status, conditions: [{ type: 'Succeeded', status: 'False', reason: 'TaskRunCancelled', message: 'x' }] };
    assert.ok((await h.store.updateStatus({ ...tr, status: cancelled })).ok);
    assert.equal(await h.reconcile(), undefined);
    assert.ok((await h.pods())[0].metadata.deletionTimestamp, 'marked for deletion');
  });

  it('fails when the Pod vanishes without a final status', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: oneStep() }));
    await h.settle();
    await h.kubelet.start('tr-pod');
    await h.settle();
    const pod = (await h.pods())[0];
    assert.ok((await h.store.update({ ...pod, metadata: { ...pod.metadata, finalizers: [] } })).ok);
    assert.ok((await h.store.delete({ kind: 'Pod', namespace: 'default', name: 'tr-pod' })).ok);
    assert.equal(await h.settle(), undefined);
    const c = succeeded((await h.taskRun()).status);
    assert.deepEqual([c?.status, c?.reason, c?.message], ['False', 'Failed', 'the pod "tr-pod" of TaskRun "tr" was deleted before it finished']);
  });

  it('fails (then retries) a Pod the kubelet marks Failed after a crash, with its message', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: oneStep(), retries: 1 }));
    await h.settle();
    await h.kubelet.start('tr-pod');
    await h.settle();
    await h.kubelet.crash('tr-pod', 'the kubelet running this Pod went away');
    await h.settle();
    const tr = await h.taskRun();
    const first = succeeded(tr.status?.retriesStatus?.[0]);
    assert.deepEqual([first?.reason, first?.message], ['Failed', 'the kubelet running this Pod went away']);
    assert.equal(tr.status?.podName, 'tr-pod-retry1');
  });

  it('fails a Pod stuck on a container config error or an image it cannot pull', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: oneStep() }));
    await h.settle();
    await h.kubelet.pending('tr-pod', { 'step-a': { reason: 'ErrImagePull', message: 'no such image' } });
    await h.settle();
    let c = succeeded((await h.taskRun()).status);
    assert.equal(c?.reason, 'TaskRunImagePullFailed');
    assert.equal(c?.message, 'the step "a" in TaskRun "tr" failed to pull the image "busybox". The pod errored with the message: "no such image."');
    await h.close();

    h = harness();
    await create(h.store, taskRun({ taskSpec: oneStep() }));
    await h.settle();
    await h.kubelet.pending('tr-pod', { prepare: { reason: 'CreateContainerConfigError', message: 'secret "s" not found' } });
    await h.settle();
    c = succeeded((await h.taskRun()).status);
    assert.deepEqual([c?.status, c?.reason, c?.message], ['False', 'CreateContainerConfigError', 'Failed to create pod due to config error: secret "s" not found']);
  });
});

describe('taskRunReconciler: concurrent writers', () => {
  it('retries on a Conflict with a concurrent write, and loses neither its Pod nor the other write', async () => {
    const inner = openMemoryStore();
    let raced = false;
    // The first TaskRun status write of the reconciler meets a cancel written just before it.
    const store = new Proxy(inner, {
      get(target, p) {
        if (p === 'updateStatus') {
          return async (o: KObject) => {
            if (!raced && o.kind === 'TaskRun') {
              raced = true;
              await editSpec(inner, (s) => Object.assign(s, { status: 'TaskRunCancelled' }));
            }
            return inner.updateStatus(o);
          };
        }
        const v = Reflect.get(target, p);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    h = harness(undefined, store);
    await create(h.store, taskRun({ taskSpec: oneStep() }));
    assert.deepEqual(await h.reconcile(), { retry: 'conflict' });
    assert.equal((await h.pods()).length, 1, 'the Pod was created before the conflict');
    assert.equal(await h.settle(), undefined);
    const tr = await h.taskRun();
    assert.equal(tr.spec.status, 'TaskRunCancelled', 'the concurrent write stands');
    assert.equal(succeeded(tr.status)?.reason, 'TaskRunCancelled');
    assert.deepEqual(await h.pods(), [], 'the Pod found again by its name and deleted');
  });

  it('lets two reconcilers race on one TaskRun: one Pod, one status', async () => {
    h = harness();
    const other = taskRunReconciler(h.deps);
    await create(h.store, taskRun({ taskSpec: oneStep() }));
    const results = await Promise.all([h.reconcile(), other(KEY)]);
    assert.ok(
      results.some((r) => r?.retry === 'conflict'),
      JSON.stringify(results),
    );
    await h.settle();
    assert.deepEqual(
      (await h.pods()).map((p) => p.metadata.name),
      ['tr-pod'],
    );
    assert.equal((await h.taskRun()).status?.podName, 'tr-pod');
  });
});
