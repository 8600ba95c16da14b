import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { create, harness, oneStep, succeeded, task, taskRun, type Harness } from './reconciler-test-support.ts';

let h: Harness;
afterEach(() => h?.close());

describe('taskRunReconciler: a TaskRun through its Pod', () => {
  it('creates an owned Pod, follows it while it runs, and succeeds with its results', async () => {
    h = harness();
    await create(h.store, task(oneStep({ results: [{ name: 'out' }] })), taskRun({ taskRef: { name: 't' } }));
    const first = await h.settle();
    assert.deepEqual(first, { requeueAfterMs: 3_600_000 }, 'requeued for the default timeout (60m)');
    const [pod] = await h.pods();
    assert.equal(pod.metadata.name, 'tr-pod');
    const tr = await h.taskRun();
    assert.deepEqual(pod.metadata.ownerReferences, [
      { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'tr', uid: tr.metadata.uid, controller: true, blockOwnerDeletion: true },
    ]);
    assert.deepEqual(pod.metadata.finalizers, ['tektite.dev/kubelet']);
    assert.equal(pod.metadata.labels?.['tekton.dev/task'], 't', 'the Pod carries the label written on the TaskRun');
    assert.equal(tr.metadata.labels?.['tekton.dev/task'], 't');
    assert.equal(tr.spec.timeout, undefined, 'defaults are not written to spec');
    assert.equal(tr.status?.podName, 'tr-pod');
    assert.equal(tr.status?.startTime, '2026-12-02T00:00:00Z');
    assert.equal(succeeded(tr.status)?.reason, 'Started');
    assert.equal(tr.status?.taskSpec?.steps?.[0].name, 'a');

    h.clock.advance(5_000);
    await h.kubelet.start('tr-pod');
    assert.deepEqual(await h.settle(), { requeueAfterMs: 3_595_000 }, 'the timeout counts from startTime');
    assert.equal(succeeded((await h.taskRun()).status)?.reason, 'Running');

    await h.kubelet.finish('tr-pod', { 'step-a': { results: { out: 'hi' } } });
    assert.equal(await h.settle(), undefined, 'done: nothing left to wait for');
    const done = await h.taskRun();
    assert.deepEqual(succeeded(done.status), {
      type: 'Succeeded',
      status: 'True',
      reason: 'Succeeded',
      message: 'All Steps have completed executing',
      lastTransitionTime: '2026-12-02T00:00:05Z',
    });
    assert.deepEqual(done.status?.results, [{ name: 'out', type: 'string', value: 'hi' }]);
    assert.equal(done.status?.completionTime, '2026-12-02T00:00:05Z');
    assert.equal(done.status?.steps?.[0].terminated?.exitCode, 0);
    assert.equal((await h.pods()).length, 1, 'a succeeded Pod stays, as on a cluster');
  });

  it('fails with StepFailed when a step exits non-zero', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: oneStep() }));
    await h.settle();
    await h.kubelet.start('tr-pod');
    await h.kubelet.finish('tr-pod', { 'step-a': { exitCode: 3 } });
    await h.settle();
    const c = succeeded((await h.taskRun()).status);
    assert.equal(c?.status, 'False');
    assert.equal(c?.reason, 'StepFailed');
    assert.equal(c?.message, '"step-a" exited with code 3');
    assert.equal((await h.taskRun()).metadata.labels?.['tekton.dev/task'], undefined, 'an inline taskSpec gets no task label');
  });

  it('reads FailureIgnored from status.ts under pipeline-task-on-error: continue', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: oneStep() }, { annotations: { 'pipeline.tekton.dev/pipeline-task-on-error': 'continue' } }));
    await h.settle();
    await h.kubelet.finish('tr-pod', { 'step-a': { exitCode: 1 } });
    await h.settle();
    const c = succeeded((await h.taskRun()).status);
    assert.deepEqual([c?.status, c?.reason, c?.message], ['False', 'FailureIgnored', '"step-a" exited with code 1']);
  });

  it('retries a failed attempt in a new Pod, keeping the failed one in retriesStatus', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: oneStep(), retries: 1 }));
    await h.settle();
    await h.kubelet.finish('tr-pod', { 'step-a': { exitCode: 1 } });
    h.clock.advance(2_000);
    assert.deepEqual(await h.settle(), { requeueAfterMs: 3_600_000 }, 'the retry has its own timeout');
    assert.deepEqual(
      (await h.pods()).map((p) => p.metadata.name),
      ['tr-pod', 'tr-pod-retry1'],
    );
    const retrying = await h.taskRun();
    assert.equal(retrying.status?.podName, 'tr-pod-retry1');
    assert.equal(retrying.status?.startTime, '2026-12-02T00:00:02Z');
    assert.equal(succeeded(retrying.status)?.reason, 'ToBeRetried');
    assert.equal(retrying.status?.retriesStatus?.length, 1);
    assert.equal(retrying.status?.retriesStatus?.[0].podName, 'tr-pod');
    assert.equal(succeeded(retrying.status?.retriesStatus?.[0])?.reason, 'StepFailed');

    await h.kubelet.finish('tr-pod-retry1', { 'step-a': { exitCode: 1 } });
    await h.settle();
    const done = await h.taskRun();
    assert.equal(succeeded(done.status)?.reason, 'StepFailed', 'no retries left');
    assert.equal(done.status?.retriesStatus?.length, 1);
    assert.equal((await h.pods()).length, 2);
  });

  it('fails with TaskRunResolutionFailed when the Task is missing, and makes no Pod', async () => {
    h = harness();
    await create(h.store, taskRun({ taskRef: { name: 'nope' }, retries: 2 }));
    assert.equal(await h.settle(), undefined);
    const tr = await h.taskRun();
    const c = succeeded(tr.status);
    assert.deepEqual([c?.status, c?.reason, c?.message], ['False', 'TaskRunResolutionFailed', 'tasks.tekton.dev "nope" not found']);
    assert.equal(tr.status?.completionTime, '2026-12-02T00:00:00Z');
    assert.equal(tr.status?.retriesStatus, undefined, 'a resolution failure is not retried');
    assert.equal((await h.pods()).length, 0);
  });

  it('fails a StepAction that is missing with the step named', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: { steps: [{ name: 's', ref: { name: 'gone' } }] } }));
    await h.settle();
    const c = succeeded((await h.taskRun()).status);
    assert.equal(c?.reason, 'TaskRunResolutionFailed');
    assert.equal(c?.message, 'failed to resolve step ref for step "s" (index 0): stepactions.tekton.dev "gone" not found');
  });

  it('fails with TaskRunValidationFailed on a missing param, keeping taskSpec and the task label', async () => {
    h = harness();
    await create(h.store, task(oneStep({ params: [{ name: 'p' }] })), taskRun({ taskRef: { name: 't' } }));
    await h.settle();
    const tr = await h.taskRun();
    const c = succeeded(tr.status);
    assert.equal(c?.reason, 'TaskRunValidationFailed');
    assert.equal(c?.message, '[User error] invalid input params for task t: missing values for these params which have no default values: [p]');
    assert.equal(tr.status?.taskSpec?.params?.[0].name, 'p');
    assert.equal(tr.metadata.labels?.['tekton.dev/task'], 't');
    assert.equal((await h.pods()).length, 0);
  });

  it('waits while TaskRunPending, and starts when spec.status is cleared', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: oneStep(), status: 'TaskRunPending' }));
    assert.equal(await h.settle(), undefined, 'no timeout runs while pending');
    const pending = await h.taskRun();
    const c = succeeded(pending.status);
    assert.deepEqual([c?.status, c?.reason, c?.message], ['Unknown', 'TaskRunPending', 'TaskRun "tr" is pending']);
    assert.equal((await h.pods()).length, 0);

    h.clock.advance(30_000);
    const { status: _, ...spec } = pending.spec;
    const released = await h.store.update({ ...pending, spec });
    assert.ok(released.ok);
    assert.deepEqual(await h.settle(), { requeueAfterMs: 3_600_000 }, 'the timeout counts from the release');
    const started = await h.taskRun();
    assert.equal(started.status?.startTime, '2026-12-02T00:00:30Z');
    assert.equal(started.status?.podName, 'tr-pod');
    assert.equal(succeeded(started.status)?.reason, 'Started');
  });

  it('fails with PodCreationFailed when an image cannot be looked up or a LimitRange forbids the Pod', async () => {
    h = harness();
    h.deps.entrypoints = { get: async (image) => ({ ok: false, error: `image ${JSON.stringify(image)} not found` }) };
    await create(h.store, task({ steps: [{ name: 'a', image: 'nope' }] }), taskRun({ taskRef: { name: 't' } }));
    await h.settle();
    let c = succeeded((await h.taskRun()).status);
    assert.deepEqual(
      [c?.reason, c?.message],
      ['PodCreationFailed', 'failed to create task run pod "tr": translating TaskSpec to Pod: image "nope" not found. Maybe missing or invalid Task default/t'],
    );
    await h.close();

    h = harness();
    const limits = { type: 'Container', min: { memory: '99Mi' } };
    await create(h.store, { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: 'default' }, spec: { limits: [limits] } });
    await create(h.store, taskRun({ taskSpec: { steps: [{ name: 'a', image: 'busybox', script: 'true', computeResources: { requests: { memory: '10Mi' } } }] } }));
    await h.settle();
    c = succeeded((await h.taskRun()).status);
    assert.equal(c?.reason, 'PodCreationFailed');
    assert.match(
      c?.message ?? '',
      /^failed to create task run pod "tr": pods "tr-pod" is forbidden: \[.*minimum memory usage per Container is 99Mi, but request is 10Mi.*\]\. Maybe invalid TaskSpec$/,
    );
    assert.equal((await h.pods()).length, 0);
  });
});
