import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1PodStatus } from '@kubernetes/client-node';
import { openMemoryStore, type KObject, type ObjectStore } from '../store/index.ts';
import { finalPhase, nodeLostStatus } from './status.ts';
import { StatusWriter, type PodObject } from './status-writer.ts';

const terminated = (name: string, exitCode: number) => ({ name, image: '', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode } } });
const running = (name: string) => ({ name, image: '', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: new Date(0) } } });

describe('finalPhase (restartPolicy Never)', () => {
  const cases: [string, V1PodStatus, string][] = [
    ['every container exited 0', { containerStatuses: [terminated('step-a', 0), terminated('step-b', 0)] }, 'Succeeded'],
    ['a container exited 1', { containerStatuses: [terminated('step-a', 0), terminated('step-b', 1)] }, 'Failed'],
    ['an init container failed', { initContainerStatuses: [terminated('prepare', 2)], containerStatuses: [terminated('step-a', 0)] }, 'Failed'],
    ['a container never ended', { containerStatuses: [terminated('step-a', 0), running('step-b')] }, 'Failed'],
    ['the backend said Failed', { phase: 'Failed', reason: 'FailedMount', containerStatuses: [] }, 'Failed'],
  ];
  for (const [name, status, phase] of cases) it(name, () => assert.equal(finalPhase(status), phase));
});

describe('nodeLostStatus', () => {
  it('kills running containers with the message, keeps ended and never-started ones as they were', () => {
    const pod = {
      spec: { containers: [{ name: 'step-a' }, { name: 'step-b' }, { name: 'step-c' }] },
      status: { phase: 'Running', containerStatuses: [terminated('step-a', 0), running('step-b')] },
    };
    const s = nodeLostStatus(pod, 'n1', new Date(1000));
    assert.equal(s.phase, 'Failed');
    assert.equal(s.reason, 'NodeLost');
    assert.deepEqual(
      s.containerStatuses?.map((c) => [c.name, c.state?.terminated?.exitCode, c.state?.terminated?.reason]),
      [
        ['step-a', 0, undefined],
        ['step-b', 137, 'Error'],
        ['step-c', undefined, undefined],
      ],
    );
    assert.equal(s.containerStatuses?.[1].state?.terminated?.message, s.message);
    assert.equal(s.containerStatuses?.[2].state?.waiting?.reason, 'ContainerCreating');
  });
});

/** counting wraps a store, counting updateStatus calls. */
function counting(store: ObjectStore): { store: ObjectStore; writes: () => number } {
  let n = 0;
  const wrapped = Object.create(store) as ObjectStore;
  wrapped.updateStatus = <T extends KObject>(o: T) => {
    n++;
    return store.updateStatus(o);
  };
  return { store: wrapped, writes: () => n };
}

async function storedPod(store: ObjectStore): Promise<PodObject> {
  const r = await store.create<PodObject>({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c' }] } });
  assert.ok(r.ok);
  return r.object;
}

describe('StatusWriter', () => {
  it('collapses a burst to the latest status and skips unchanged ones', async () => {
    const { store, writes } = counting(openMemoryStore());
    const writer = new StatusWriter(store, await storedPod(store), () => {});
    for (let i = 0; i < 50; i++) writer.push({ phase: 'Running', message: `m${i}` });
    assert.ok(await writer.finish({ phase: 'Running', message: 'm49' }));
    assert.ok(writes() <= 2, `${writes()} writes`);
    assert.equal((await store.get<PodObject>({ kind: 'Pod', namespace: 'default', name: 'p' }))?.status?.message, 'm49');
  });

  it('re-reads and writes again after a Conflict', async () => {
    const store = openMemoryStore();
    const pod = await storedPod(store);
    const writer = new StatusWriter(store, pod, () => {});
    assert.ok((await store.update({ ...pod, metadata: { ...pod.metadata, labels: { changed: 'yes' } } })).ok);
    assert.ok(await writer.finish({ phase: 'Succeeded' }));
    const stored = await store.get<PodObject>({ kind: 'Pod', namespace: 'default', name: 'p' });
    assert.equal(stored?.status?.phase, 'Succeeded');
    assert.equal(stored?.metadata.labels?.changed, 'yes', 'the status write did not undo the other change');
  });

  it('stops writing once the Pod is gone', async () => {
    const store = openMemoryStore();
    const pod = await storedPod(store);
    const warnings: string[] = [];
    const writer = new StatusWriter(store, pod, (m) => warnings.push(m));
    assert.ok((await store.delete({ kind: 'Pod', namespace: 'default', name: 'p' })).ok);
    assert.equal(await writer.finish({ phase: 'Failed' }), false);
    assert.deepEqual(warnings, []);
  });
});
