import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostExecutor } from '../executors/host/index.ts';
import { markedReady, NOP_IMAGE, sidecarsReady, sidecarsStopped } from '../pod/index.ts';
import { LogStore, openMemoryStore } from '../store/index.ts';
import { startKubelet, type Kubelet } from './index.ts';
import type { PodObject } from './status-writer.ts';
import { createPod, getPod, podEnded, taskRunPod, tempStateDir, waitFor } from './test-support.ts';

const kubelets: Kubelet[] = [];
after(() => Promise.all(kubelets.map((k) => k.stop())));

/** update writes the Pod the controller decided on, retrying on a conflict with the kubelet's status writes. */
async function update(store: ReturnType<typeof openMemoryStore>, name: string, decide: (pod: PodObject) => PodObject | undefined): Promise<void> {
  await waitFor(`the update of ${name}`, async () => {
    const pod = await getPod(store, 'default', name);
    const next = pod && decide(pod);
    if (!next) return false;
    return (await store.update(next)).ok;
  });
}

describe('the kubelet and the controller’s changes to a running Pod', () => {
  it('writes the ready file when tekton.dev/ready is set and stops a sidecar whose image became the nop image', async () => {
    const store = openMemoryStore();
    const stateDir = tempStateDir();
    const kubelet = startKubelet({ store, logs: new LogStore(stateDir), backend: hostExecutor(), stateDir });
    kubelets.push(kubelet);
    const pod = taskRunPod('withsidecar', [{ name: 'first', image: 'busybox', script: 'echo first' }], 'default', {
      sidecars: [{ name: 'server', image: 'busybox', script: 'trap "exit 0" TERM; while true; do sleep 0.05; done' }],
    });
    assert.equal(pod.metadata.annotations?.['tekton.dev/ready'], undefined, 'a Pod with sidecars waits for the controller');
    await createPod(store, pod);
    // The sidecar runs and is ready; the step waits on /tekton/downward/ready, which is still empty.
    const running = await waitFor('the sidecar to be ready', async () => {
      const p = await getPod(store, 'default', 'withsidecar-pod');
      return p && sidecarsReady(p.status) ? p : undefined;
    });
    assert.equal(running.status?.containerStatuses?.find((s) => s.name === 'step-first')?.state?.terminated, undefined, 'the step has not run before the annotation');
    await update(store, 'withsidecar-pod', markedReady);
    const stepsDone = await waitFor('the step to end', async () => {
      const p = await getPod(store, 'default', 'withsidecar-pod');
      return p?.status?.containerStatuses?.find((s) => s.name === 'step-first')?.state?.terminated ? p : undefined;
    });
    assert.equal(stepsDone.status?.phase, 'Running', 'the sidecar keeps the Pod running until the controller stops it');
    await update(store, 'withsidecar-pod', (p) => sidecarsStopped(p, NOP_IMAGE));
    const done = await podEnded(store, 'default', 'withsidecar-pod');
    assert.equal(done.status?.phase, 'Succeeded');
    const sidecar = done.status?.containerStatuses?.find((s) => s.name === 'sidecar-server');
    assert.equal(sidecar?.state?.terminated?.exitCode, 0);
    assert.equal(sidecar?.state?.terminated?.reason, 'Completed');
    assert.equal(sidecar?.restartCount, 1, 'replaced by the nop container');
    assert.equal(sidecar?.image, NOP_IMAGE, 'the status names the image now running');
    assert.ok(sidecar?.lastState?.terminated, 'the stopped sidecar is the last state');
  });
});
