// kubelet.test.ts: the kubelet (src/kubelet) with the podman backend: a Pod from the store runs in
// containers, a deleted one is killed with nothing left in podman, and podman objects recorded by a
// kubelet whose process died are removed by the next one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import type { V1Pod } from '@kubernetes/client-node';
import { cleanupSettled, POD_LABEL, podmanExecutor } from '../../src/executors/podman/index.ts';
import { KUBELET_FINALIZER, startKubelet, type Kubelet, type PodObject } from '../../src/kubelet/index.ts';
import { Records } from '../../src/kubelet/records.ts';
import { createPod, getPod, podEnded, tempStateDir, waitFor } from '../../src/kubelet/test-support.ts';
import { LogStore, openMemoryStore } from '../../src/store/index.ts';
import { entrypointBundle, images, leftovers, skipReason, tektonPod, uniqueName } from './helpers.ts';

const asStored = (pod: V1Pod): PodObject => ({ ...pod, apiVersion: 'v1', kind: 'Pod', metadata: { ...pod.metadata, finalizers: [KUBELET_FINALIZER] } }) as PodObject;

describe('the kubelet with the podman backend', { skip: skipReason }, () => {
  let busybox: string;
  const store = openMemoryStore();
  const stateDir = tempStateDir();
  const logs = new LogStore(stateDir);
  let kubelet: Kubelet;
  before(async () => {
    busybox = (await images()).busybox;
    kubelet = startKubelet({ store, logs, backend: podmanExecutor({ entrypointBundle }), stateDir });
    await kubelet.synced;
  });
  after(() => kubelet.stop());

  it('runs a Pod in containers and kills a deleted one, leaving nothing in podman', async () => {
    const ok = uniqueName('kubelet-ok');
    await createPod(store, asStored(tektonPod(ok, [{ name: 'hi', image: busybox, command: ['/bin/sh', '-c', 'echo hi'] }])));
    const done = await podEnded(store, 'default', ok, 60_000);
    assert.equal(done.status?.phase, 'Succeeded');
    let text = '';
    for await (const c of logs.read({ namespace: 'default', pod: ok, container: 'step-hi' })) text += c.toString();
    assert.equal(text, 'hi\n');

    const slow = uniqueName('kubelet-del');
    await createPod(store, asStored(tektonPod(slow, [{ name: 'wait', image: busybox, command: ['/bin/sh', '-c', 'echo started; sleep 300'] }])));
    await waitFor('the step to start', async () => (await getPod(store, 'default', slow))?.status?.containerStatuses?.[0]?.state?.running !== undefined, 60_000);
    const record = new Records(stateDir).pods().find((r) => r.header.name === slow);
    assert.ok(
      record?.started.some((s) => 'podman' in s && s.podman.startsWith(slow)),
      'the run recorded its podman objects',
    );
    assert.ok((await store.delete({ kind: 'Pod', namespace: 'default', name: slow })).ok);
    await waitFor('the Pod to be gone', async () => (await getPod(store, 'default', slow)) === undefined, 30_000);
    await cleanupSettled();
    assert.deepEqual(leftovers(slow), []);
  });

  it('removes the podman containers recorded by a kubelet whose process died', async () => {
    const label = uniqueName('kubelet-crashed');
    const run = spawnSync('podman', ['run', '-d', '--name', label, '--label', `${POD_LABEL}=${label}`, busybox, 'sleep', '300'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const records = new Records(stateDir);
    records.writeNode({ nodeName: 'crashed', hostname: os.hostname(), pid: spawnSync('true').pid, startTime: '1' });
    records.startPod({ nodeName: 'crashed', namespace: 'default', name: label, uid: 'crashed-uid' }).add({ podman: label });
    await waitFor('the leftover container to be removed', () => leftovers(label).length === 0, 20_000);
  });
});
