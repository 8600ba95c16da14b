import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openMemoryStore, type KObject } from '../store/index.ts';
import { ObjectCache } from './cache.ts';
import { FakeClock } from './clock.ts';
import { cacheLister } from './lister.ts';
import { SharedInformers } from './shared.ts';

const tick = () => new Promise((r) => setImmediate(r));
const obj = (name: string, rv: string, extra: Partial<KObject['metadata']> = {}): KObject => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'TaskRun',
  metadata: { name, namespace: 'ns', resourceVersion: rv, ...extra },
  spec: {},
});
const owned = (uid: string) => ({ ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'p', uid, controller: true }] });

describe('ObjectCache', () => {
  it('indexes by key and owner uid, keeps the newest version, and freezes what it holds', () => {
    const c = new ObjectCache(true);
    c.replace([obj('b', '2', owned('u1')), obj('a', '1', owned('u1')), obj('c', '3', owned('u2'))]);
    assert.deepEqual(
      c.list({ ownerUid: 'u1' }).map((o) => o.metadata.name),
      ['a', 'b'],
    );
    assert.deepEqual(
      c.list({ namespace: 'other' }).map((o) => o.metadata.name),
      [],
    );
    c.upsert(obj('a', '5', { ...owned('u2'), labels: { x: 'y' } }));
    assert.deepEqual(
      c.list({ ownerUid: 'u1' }).map((o) => o.metadata.name),
      ['b'],
      'the old owner index entry went',
    );
    assert.deepEqual(
      c.list({ ownerUid: 'u2', labelSelector: 'x=y' }).map((o) => o.metadata.name),
      ['a'],
    );
    c.upsert(obj('a', '4')); // an older event after a write was cached
    assert.equal(c.get('ns', 'a')?.metadata.resourceVersion, '5');
    c.remove(obj('a', '3'));
    assert.ok(c.get('ns', 'a'), 'a deletion older than the cached create is not applied');
    c.remove(obj('a', '6'));
    assert.equal(c.get('ns', 'a'), undefined);
    const b = c.get('ns', 'b');
    assert.throws(() => {
      (b as KObject).metadata.name = 'changed';
    }, TypeError);
  });
});

describe('cacheLister', () => {
  it('answers from the cache, asks the store on a miss, and lists from the store until synced', async () => {
    const store = openMemoryStore();
    const created = await store.create(obj('in-store', ''));
    assert.ok(created.ok);
    const c = new ObjectCache();
    const lister = cacheLister(c, store, 'TaskRun');
    assert.deepEqual(
      (await lister.list()).map((o) => o.metadata.name),
      ['in-store'],
      'not synced: the store',
    );
    c.replace([obj('cached', '1')]);
    assert.deepEqual(
      (await lister.list()).map((o) => o.metadata.name),
      ['cached'],
    );
    assert.equal((await lister.get('ns', 'cached'))?.metadata.resourceVersion, '1');
    assert.equal((await lister.get('ns', 'in-store'))?.metadata.uid, created.object.metadata.uid, 'a miss reads the store');
    await store.close();
  });
});

describe('SharedInformers', () => {
  it('fills the cache before handlers hear, and caches its own writes before their watch event', async () => {
    const store = openMemoryStore();
    const informers = new SharedInformers(store, new FakeClock(), { freeze: true });
    const lister = informers.lister('TaskRun');
    const heard: string[] = [];
    informers.on('TaskRun', (type, o) => heard.push(`${type} ${o.metadata.name}`));
    await store.create(obj('before', ''));
    await informers.start();
    assert.deepEqual(heard, ['ADDED before']);
    assert.ok(await lister.get('ns', 'before'));
    const seenByHandler: (string | undefined)[] = [];
    informers.on('TaskRun', (_, o) => void lister.get('ns', o.metadata.name ?? '').then((x) => seenByHandler.push(x?.metadata.resourceVersion)));
    const r = await informers.writes.create(obj('mine', ''));
    assert.ok(r.ok);
    assert.equal((await lister.get('ns', 'mine'))?.metadata.resourceVersion, r.object.metadata.resourceVersion, 'cached at once');
    assert.ok(Object.isFrozen(r.object), 'what a write returns is shared with the cache');
    const u = await informers.writes.updateStatus({ ...r.object, status: { podName: 'x' } });
    assert.ok(u.ok);
    for (let i = 0; i < 5; i++) await tick();
    assert.equal((await lister.get('ns', 'mine'))?.metadata.resourceVersion, u.object.metadata.resourceVersion, 'the older ADDED event did not replace it');
    assert.equal(seenByHandler.at(-1), u.object.metadata.resourceVersion);
    informers.stop();
    await store.close();
  });
});
