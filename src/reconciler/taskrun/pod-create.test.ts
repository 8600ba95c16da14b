import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { TaskRun } from '../../api/index.ts';
import { storeLister } from '../../controller/index.ts';
import type { KObject } from '../../store/index.ts';
import { createTaskRunPod, currentPod } from './pod-create.ts';
import { create, harness, oneStep, taskRun, type Harness } from './reconciler-test-support.ts';

let h: Harness;
afterEach(() => h?.close());

async function storedTaskRun(): Promise<TaskRun & KObject> {
  await create(h.store, taskRun({ taskSpec: oneStep() }));
  return h.taskRun();
}

describe('createTaskRunPod', () => {
  it('adopts the Pod another process created for the same TaskRun (AlreadyExists, same owner uid)', async () => {
    h = harness();
    const tr = await storedTaskRun();
    const first = await createTaskRunPod(tr, oneStep(), 'tr', h.deps);
    const second = await createTaskRunPod(tr, oneStep(), 'tr', h.deps);
    assert.ok('ok' in first && first.ok && 'ok' in second && second.ok);
    assert.equal(second.pod.metadata.uid, first.pod.metadata.uid);
    assert.equal((await currentPod(storeLister(h.store, 'Pod'), tr))?.metadata.uid, first.pod.metadata.uid);
  });

  it("waits out a deleted TaskRun's Pod of the same name, and refuses one that is not the TaskRun's", async () => {
    h = harness();
    const tr = await storedTaskRun();
    const foreign = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'tr-pod',
        namespace: 'default',
        finalizers: ['tektite.dev/kubelet'],
        ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'tr', uid: 'an-older-taskrun', controller: true }],
      },
      spec: { containers: [] },
    };
    await create(h.store, foreign);
    assert.equal(await currentPod(storeLister(h.store, 'Pod'), tr), undefined, 'not ours');
    assert.deepEqual(await createTaskRunPod(tr, oneStep(), 'tr', h.deps), {
      ok: false,
      reason: 'PodCreationFailed',
      message: 'failed to create task run pod "tr": Pod "tr-pod" in namespace "default" already exists. Maybe invalid TaskSpec',
    });
    assert.ok((await h.store.delete({ kind: 'Pod', namespace: 'default', name: 'tr-pod' })).ok);
    assert.deepEqual(await createTaskRunPod(tr, oneStep(), 'tr', h.deps), { later: { requeueAfterMs: 1000 } });
  });
});
