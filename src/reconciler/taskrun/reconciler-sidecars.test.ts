import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { V1ContainerStatus } from '@kubernetes/client-node';
import { NOP_IMAGE } from '../../pod/index.ts';
import { create, harness, oneStep, succeeded, taskRun, type Harness } from './reconciler-test-support.ts';

let h: Harness;
afterEach(() => h?.close());

const withSidecar = () => oneStep({ sidecars: [{ name: 'db', image: 'postgres', script: 'serve' }] });

/** report writes the Pod's status as a kubelet would, each container's status changed by edit. */
async function report(phase: string, edit: (s: V1ContainerStatus) => V1ContainerStatus): Promise<void> {
  const pod = (await h.pods())[0];
  await h.kubelet.setStatus(pod.metadata.name!, { ...pod.status, phase, containerStatuses: (pod.status?.containerStatuses ?? []).map(edit) });
}

const readyAnnotation = async () => (await h.pods())[0].metadata.annotations?.['tekton.dev/ready'];

describe('taskRunReconciler: sidecars (taskrun.go: UpdateReady once SidecarsReady, stopSidecars once done)', () => {
  it('sets tekton.dev/ready on the Pod once every sidecar is running and Ready, not before', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: withSidecar() }));
    await h.settle();
    assert.equal(await readyAnnotation(), undefined, 'a Pod with sidecars is not ready when created');
    await h.kubelet.pending('tr-pod');
    await h.settle();
    assert.equal(await readyAnnotation(), undefined, 'not while Pending');
    await h.kubelet.start('tr-pod');
    await report('Running', (s) => (s.name === 'sidecar-db' ? { ...s, ready: false } : s));
    await h.settle();
    assert.equal(await readyAnnotation(), undefined, 'the sidecar runs but its readiness probe has not passed');
    await report('Running', (s) => ({ ...s, ready: true }));
    await h.settle();
    assert.equal(await readyAnnotation(), 'READY');
  });

  it('readies a Pod without sidecars as soon as it runs when sidecars may be injected (the default)', async () => {
    h = harness();
    h.deps.podOptions = { ...h.deps.podOptions, runningInEnvironmentWithInjectedSidecars: true };
    await create(h.store, taskRun({ taskSpec: oneStep() }));
    await h.settle();
    assert.equal(await readyAnnotation(), undefined);
    await h.kubelet.start('tr-pod');
    await h.settle();
    assert.equal(await readyAnnotation(), 'READY');
  });

  it('stops the sidecars of a done TaskRun with the nop image, then records how they ended', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: withSidecar() }));
    await h.settle();
    await h.kubelet.start('tr-pod');
    const t = new Date('2026-12-02T00:00:05Z');
    await report('Running', (s) => (s.name === 'step-a' ? { ...s, state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: t, finishedAt: t } } } : s));
    await h.settle();
    let tr = await h.taskRun();
    assert.equal(succeeded(tr.status)?.status, 'True', 'done when the steps are, whatever the sidecars do');
    const pod = (await h.pods())[0];
    assert.deepEqual(
      pod.spec?.containers.map((c) => [c.name, c.image]),
      [
        ['step-a', 'busybox'],
        ['sidecar-db', NOP_IMAGE],
      ],
    );
    assert.ok(tr.status?.sidecars?.[0].running, 'still running until the kubelet says otherwise');
    // The kubelet replaced the sidecar: the killed one is lastState, the nop container exited 0.
    await report('Succeeded', (s) =>
      s.name === 'sidecar-db'
        ? {
            ...s,
            restartCount: 1,
            state: { terminated: { exitCode: 0, reason: 'Completed' } },
            lastState: { terminated: { exitCode: 143, reason: 'Error', startedAt: t, finishedAt: t } },
          }
        : s,
    );
    await h.settle();
    tr = await h.taskRun();
    assert.deepEqual(tr.status?.sidecars, [
      {
        name: 'db',
        container: 'sidecar-db',
        imageID: 'docker-pullable://postgres@sha256:0',
        terminated: {
          exitCode: 143,
          reason: 'Completed',
          message: 'Sidecar container successfully stopped by nop image',
          startedAt: '2026-12-02T00:00:05Z',
          finishedAt: '2026-12-02T00:00:05Z',
        },
      },
    ]);
    assert.equal(succeeded(tr.status)?.status, 'True');
  });

  it('does not stop the sidecars of a cancelled TaskRun by image: its Pod is deleted', async () => {
    h = harness();
    await create(h.store, taskRun({ taskSpec: withSidecar() }));
    await h.settle();
    await h.kubelet.start('tr-pod');
    await h.settle();
    const tr = await h.taskRun();
    const r = await h.store.update({ ...tr, spec: { ...tr.spec, status: 'TaskRunCancelled' } });
    assert.ok(r.ok);
    const images: string[] = [];
    await h.reconcile();
    for (const p of await h.pods()) images.push(...(p.spec?.containers ?? []).map((c) => c.image ?? ''));
    assert.ok(!images.includes(NOP_IMAGE), images.join(','));
    await h.settle();
    assert.deepEqual(await h.pods(), [], 'the kubelet killed the deleted Pod');
    assert.equal(succeeded((await h.taskRun()).status)?.reason, 'TaskRunCancelled');
  });
});
