import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openMemoryStore, type KObject, type ObjectStore } from '../store/index.ts';
import { cancelInStore } from './cancel.ts';

const opts = { name: 'pr', namespace: 'default', stateDir: '', mode: 'finally' as const };

describe('cancelInStore', () => {
  it('reads the run again and retries when the reconciler wrote it in between (Conflict)', async () => {
    const store = openMemoryStore();
    const created = await store.create({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'pr', namespace: 'default' }, spec: {} });
    assert.ok(created.ok);
    // The first update loses the race: a status write lands just before it.
    let raced = false;
    const racing: ObjectStore = Object.assign(Object.create(store) as ObjectStore, {
      update: async <T extends KObject>(obj: T) => {
        if (!raced) {
          raced = true;
          const cur = (await store.get({ kind: 'PipelineRun', namespace: 'default', name: 'pr' }))!;
          await store.updateStatus({ ...cur, status: { conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Running' }] } });
        }
        return store.update(obj);
      },
    });
    assert.deepEqual(await cancelInStore(racing, opts), { kind: 'PipelineRun', status: 'CancelledRunFinally' });
    assert.equal(raced, true);
    const stored = (await store.get({ kind: 'PipelineRun', namespace: 'default', name: 'pr' })) as KObject & {
      spec: { status?: string };
      status?: { conditions: { reason: string }[] };
    };
    assert.equal(stored.spec.status, 'CancelledRunFinally');
    assert.equal(stored.status?.conditions[0]?.reason, 'Running', "the reconciler's write is kept");
  });

  it('is absent when no run has the name', async () => {
    assert.equal(await cancelInStore(openMemoryStore(), opts), 'absent');
  });
});
