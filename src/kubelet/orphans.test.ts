import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { hostExecutor } from '../executors/host/index.ts';
import { LogStore, openMemoryStore, type ObjectStore } from '../store/index.ts';
import { startKubelet, type Kubelet } from './index.ts';
import { processStartTime, Records } from './records.ts';
import type { PodObject } from './status-writer.ts';
import { createPod, getPod, podEnded, processRunning, taskRunPod, tempStateDir, waitFor } from './test-support.ts';

const kubelets: Kubelet[] = [];
after(() => Promise.all(kubelets.map((k) => k.stop())));

function start(store: ObjectStore, stateDir: string, checkIntervalMs?: number): Kubelet {
  const k = startKubelet({ store, logs: new LogStore(stateDir), backend: hostExecutor(), stateDir, nodeName: `live-${kubelets.length}`, checkIntervalMs });
  kubelets.push(k);
  return k;
}

/** deadNode records node `name` as a process that has ended (a pid reaped a moment ago). */
function deadNode(stateDir: string, name: string): Records {
  const records = new Records(stateDir);
  const pid = spawnSync('true').pid;
  records.writeNode({ nodeName: name, hostname: os.hostname(), pid, startTime: '1' });
  return records;
}

/** boundRunning stores a Pod as a kubelet of node would have left it: bound, Running, its step running. */
async function boundRunning(store: ObjectStore, name: string, node: string, deleted = false): Promise<PodObject> {
  const created = await createPod(store, taskRunPod(name, [{ name: 'work', image: 'busybox', script: 'sleep 300' }]));
  const bound = await store.update<PodObject>({ ...created, spec: { ...created.spec!, nodeName: node } });
  assert.ok(bound.ok);
  const startedAt = new Date('2026-12-02T00:00:00Z');
  const status = {
    phase: 'Running',
    initContainerStatuses: bound.object.spec?.initContainers?.map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: false,
      restartCount: 0,
      state: { terminated: { exitCode: 0, reason: 'Completed' } },
    })),
    containerStatuses: [{ name: 'step-work', image: 'busybox', imageID: '', ready: true, restartCount: 0, started: true, state: { running: { startedAt } } }],
  };
  const r = await store.updateStatus<PodObject>({ ...bound.object, status: status as PodObject['status'] });
  assert.ok(r.ok);
  if (deleted) assert.ok((await store.delete({ kind: 'Pod', namespace: 'default', name: `${name}-pod` })).ok);
  return r.object;
}

describe('clean-up after a kubelet whose process ended', () => {
  it('fails a Pod bound to a dead node, its unfinished containers killed (137) with the reason', async () => {
    const store = openMemoryStore();
    const stateDir = tempStateDir();
    deadNode(stateDir, 'gone');
    await boundRunning(store, 'orphan', 'gone');
    await start(store, stateDir).synced;
    const pod = await getPod(store, 'default', 'orphan-pod');
    assert.equal(pod?.status?.phase, 'Failed');
    assert.equal(pod?.status?.reason, 'NodeLost');
    assert.equal(pod?.status?.message, 'the tektite process running this Pod (node "gone") ended before the Pod did');
    const step = pod?.status?.containerStatuses?.[0].state?.terminated;
    assert.equal(step?.exitCode, 137);
    assert.equal(step?.reason, 'Error');
    assert.equal(step?.message, pod?.status?.message);
    assert.equal(pod?.status?.initContainerStatuses?.[0].state?.terminated?.exitCode, 0, 'what had ended keeps its state');
    assert.equal(new Records(stateDir).readNode('gone'), undefined, "the dead node's record is removed once nothing refers to it");
  });

  it('lets a deleted Pod of a node without a record go, and leaves Pods of live nodes alone', async () => {
    const store = openMemoryStore();
    const stateDir = tempStateDir();
    await boundRunning(store, 'deleted', 'never-recorded', true);
    new Records(stateDir).writeNode({ nodeName: 'alive', hostname: os.hostname(), pid: process.pid, startTime: processStartTime(process.pid) });
    await boundRunning(store, 'elsewhere', 'alive');
    await start(store, stateDir).synced;
    await waitFor('the deleted Pod to be gone', async () => (await getPod(store, 'default', 'deleted-pod')) === undefined);
    assert.equal((await getPod(store, 'default', 'elsewhere-pod'))?.status?.phase, 'Running');
  });

  it('kills a host process recorded by a dead kubelet', async () => {
    const store = openMemoryStore();
    const stateDir = tempStateDir();
    const records = deadNode(stateDir, 'crashed');
    const pod = await boundRunning(store, 'leftover', 'crashed');
    // A step's process group, as the host backend spawns it, outliving its kubelet.
    const sleeper = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    const pid = sleeper.pid!;
    const record = records.startPod({ nodeName: 'crashed', namespace: 'default', name: 'leftover-pod', uid: pod.metadata.uid! });
    record.add({ pgid: pid, startTime: processStartTime(pid) });
    assert.ok(processRunning(pid));
    await start(store, stateDir).synced;
    await waitFor('the leftover process to die', () => !processRunning(pid), 5000);
    assert.equal((await getPod(store, 'default', 'leftover-pod'))?.status?.phase, 'Failed');
    assert.deepEqual(new Records(stateDir).pods(), [], 'the record is removed after the clean-up');
  });

  it('does not kill a recorded pid that now names another process', async () => {
    const stateDir = tempStateDir();
    const records = deadNode(stateDir, 'reused');
    const other = spawn('sleep', ['300'], { detached: true, stdio: 'ignore' });
    records.startPod({ nodeName: 'reused', namespace: 'default', name: 'x', uid: 'u1' }).add({ pgid: other.pid!, startTime: 'not-its-start-time' });
    await start(openMemoryStore(), stateDir).synced;
    assert.ok(processRunning(other.pid!), 'a reused pid is left alone');
    other.kill('SIGKILL');
  });

  it('notices a kubelet that dies while it runs (the periodic check)', async () => {
    const store = openMemoryStore();
    const stateDir = tempStateDir();
    await start(store, stateDir, 100).synced;
    deadNode(stateDir, 'later');
    await boundRunning(store, 'late', 'later');
    const pod = await podEnded(store, 'default', 'late-pod', 5000);
    assert.equal(pod.status?.reason, 'NodeLost');
  });
});
