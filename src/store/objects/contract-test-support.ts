// contract-test-support.ts: the one contract every ObjectStore meets (in-memory, SQLite, and the
// Kubernetes store later), written as node:test suites run against a factory.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KObject, ObjectStore, StoreResult, WatchEvent } from './types.ts';

/** Opened is a fresh store and how to dispose of it. */
export interface Opened {
  store: ObjectStore;
  cleanup(): Promise<void>;
}

/** StoreFactory opens an empty store on a fixed clock, keeping at most retainEvents events. */
export type StoreFactory = (options: { now: () => Date; retainEvents?: number }) => Promise<Opened>;

const now = () => new Date('2026-12-02T01:02:03.456Z');

export function taskRun(name: string, extra: Partial<KObject['metadata']> = {}, spec: object = { taskRef: { name: 't' } }): KObject {
  return { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name, ...extra }, spec };
}

export function must<T>(r: StoreResult<T>): T {
  if (!r.ok) assert.fail(`${r.reason}: ${r.message}`);
  return r.object;
}

/** collect gathers a watch's events until `until` says stop (or a timeout fails the test). */
export function collect(store: ObjectStore, options: Parameters<ObjectStore['watch']>[0], until: (events: WatchEvent[]) => boolean, ms = 10_000): Promise<WatchEvent[]> {
  return new Promise((resolve, reject) => {
    const events: WatchEvent[] = [];
    const timer = setTimeout(() => {
      w.stop();
      reject(new Error(`watch timed out with ${JSON.stringify(events.map((e) => (e.type === 'ERROR' ? e : [e.type, e.object.metadata.name])))}`));
    }, ms);
    const w = store.watch(options, (e) => {
      events.push(e);
      if (until(events)) {
        clearTimeout(timer);
        w.stop();
        resolve(events);
      }
    });
  });
}

/** objectStoreContract defines the contract suites for one implementation. */
export function objectStoreContract(name: string, factory: StoreFactory): void {
  const withStore = (fn: (s: ObjectStore) => Promise<void>, retainEvents?: number) => async () => {
    const { store, cleanup } = await factory({ now, retainEvents });
    try {
      await fn(store);
    } finally {
      await cleanup();
    }
  };

  describe(`${name}: create and get`, () => {
    it(
      'fills in uid, resourceVersion, generation, creationTimestamp and the default namespace, and drops status',
      withStore(async (s) => {
        const obj = must(await s.create({ ...taskRun('a'), status: { podName: 'x' } }));
        assert.match(obj.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
        assert.equal(obj.metadata.generation, 1);
        assert.equal(obj.metadata.creationTimestamp, '2026-12-02T01:02:03Z');
        assert.equal(obj.metadata.namespace, 'default');
        assert.ok(Number(obj.metadata.resourceVersion) > 0);
        assert.equal(obj.status, undefined);
        assert.deepEqual(await s.get({ kind: 'TaskRun', namespace: 'default', name: 'a' }), obj);
        assert.equal(await s.get({ kind: 'TaskRun', namespace: 'default', name: 'b' }), undefined);
        assert.equal(await s.get({ kind: 'Pod', namespace: 'default', name: 'a' }), undefined);
      }),
    );
    it(
      'refuses a second object of the same kind, namespace and name (AlreadyExists)',
      withStore(async (s) => {
        must(await s.create(taskRun('a')));
        const r = await s.create(taskRun('a'));
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.reason, 'AlreadyExists');
        assert.match(!r.ok ? r.message : '', /TaskRun "a" in namespace "default" already exists/);
        must(await s.create(taskRun('a', { namespace: 'other' })));
        must(await s.create({ ...taskRun('a'), kind: 'PipelineRun' }));
      }),
    );
    it(
      "generates a name from generateName with the API server's 5-character suffix",
      withStore(async (s) => {
        const a = must(await s.create(taskRun('', { generateName: 'run-' })));
        const b = must(await s.create(taskRun('', { generateName: 'run-' })));
        assert.match(a.metadata.name ?? '', /^run-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
        assert.notEqual(a.metadata.name, b.metadata.name);
      }),
    );
    it(
      'refuses invalid names and a resourceVersion on create (Invalid)',
      withStore(async (s) => {
        for (const bad of ['', 'Upper', 'a_b', '-a', 'a'.repeat(254)]) {
          const r = await s.create(taskRun(bad));
          assert.equal(!r.ok && r.reason, 'Invalid', bad);
        }
        const r = await s.create(taskRun('a', { resourceVersion: '5' }));
        assert.equal(!r.ok && r.reason, 'Invalid');
      }),
    );
  });

  describe(`${name}: list`, () => {
    it(
      'lists by kind, namespace and label selector, with the store resourceVersion',
      withStore(async (s) => {
        must(await s.create(taskRun('a', { labels: { 'tekton.dev/pipelineRun': 'p1', tier: 'x' } })));
        must(await s.create(taskRun('b', { labels: { 'tekton.dev/pipelineRun': 'p2' } })));
        must(await s.create(taskRun('c', { namespace: 'ns2', labels: { 'tekton.dev/pipelineRun': 'p1' } })));
        const last = must(await s.create({ ...taskRun('d'), kind: 'Pod' }));
        const names = async (opts: Parameters<ObjectStore['list']>[1]) => (await s.list('TaskRun', opts)).items.map((o) => o.metadata.name);
        assert.deepEqual(await names({}), ['a', 'b', 'c']);
        assert.deepEqual(await names({ namespace: 'default' }), ['a', 'b']);
        assert.deepEqual(await names({ labelSelector: 'tekton.dev/pipelineRun=p1' }), ['a', 'c']);
        assert.deepEqual(await names({ labelSelector: 'tekton.dev/pipelineRun!=p1' }), ['b']);
        assert.deepEqual(await names({ labelSelector: 'tekton.dev/pipelineRun in (p2, p3)' }), ['b']);
        assert.deepEqual(await names({ labelSelector: 'tekton.dev/pipelineRun notin (p2),tier' }), ['a']);
        assert.deepEqual(await names({ labelSelector: '!tier' }), ['b', 'c']);
        assert.equal((await s.list('TaskRun')).resourceVersion, last.metadata.resourceVersion);
      }),
    );
    it(
      'lists the dependents of one owner (ownerUid), by kind, namespace and label, in name order',
      withStore(async (s) => {
        const owner = must(await s.create<KObject>({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'p', namespace: 'default' }, spec: {} }));
        const ref = [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'p', uid: owner.metadata.uid!, controller: true }];
        must(await s.create(taskRun('z', { ownerReferences: ref, labels: { k: 'v' } })));
        must(await s.create(taskRun('a', { ownerReferences: ref })));
        must(await s.create(taskRun('free')));
        must(await s.create({ ...taskRun('pod'), kind: 'Pod', metadata: { name: 'pod', namespace: 'default', ownerReferences: ref } }));
        const names = async (opts: Parameters<ObjectStore['list']>[1]) => (await s.list('TaskRun', opts)).items.map((o) => o.metadata.name);
        assert.deepEqual(await names({ ownerUid: owner.metadata.uid }), ['a', 'z']);
        assert.deepEqual(await names({ ownerUid: owner.metadata.uid, labelSelector: 'k=v' }), ['z']);
        assert.deepEqual(await names({ ownerUid: owner.metadata.uid, namespace: 'other' }), []);
        assert.deepEqual(await names({ ownerUid: 'nobody' }), []);
      }),
    );
  });

  describe(`${name}: update and updateStatus`, () => {
    it(
      'compare-and-swaps on resourceVersion (Conflict), bumps generation only for spec changes',
      withStore(async (s) => {
        const v1 = must(await s.create(taskRun('a')));
        const v2 = must(await s.update({ ...v1, metadata: { ...v1.metadata, labels: { x: 'y' } } }));
        assert.ok(Number(v2.metadata.resourceVersion) > Number(v1.metadata.resourceVersion));
        assert.equal(v2.metadata.generation, 1, 'labels are not spec');
        const stale = await s.update({ ...v1, spec: { taskRef: { name: 'other' } } });
        assert.equal(!stale.ok && stale.reason, 'Conflict');
        assert.match(!stale.ok ? stale.message : '', /the object has been modified; please apply your changes to the latest version/);
        const v3 = must(await s.update({ ...v2, spec: { taskRef: { name: 'other' } } }));
        assert.equal(v3.metadata.generation, 2);
        assert.equal(v3.metadata.uid, v1.metadata.uid);
        assert.equal(v3.metadata.creationTimestamp, v1.metadata.creationTimestamp);
        const unconditional = must(await s.update({ ...v3, metadata: { ...v3.metadata, resourceVersion: undefined, labels: { z: '1' } } }));
        assert.deepEqual(unconditional.metadata.labels, { z: '1' });
      }),
    );
    it(
      'keeps status out of update and spec out of updateStatus',
      withStore(async (s) => {
        const v1 = must(await s.create(taskRun('a')));
        const v2 = must(await s.updateStatus({ ...v1, spec: { ignored: true }, status: { podName: 'p' } }));
        assert.deepEqual(v2.status, { podName: 'p' });
        assert.deepEqual(v2.spec, v1.spec);
        assert.equal(v2.metadata.generation, 1);
        const v3 = must(await s.update({ ...v2, status: { podName: 'changed' }, spec: { taskRef: { name: 'u' } } }));
        assert.deepEqual(v3.status, { podName: 'p' });
        const stale = await s.updateStatus({ ...v2, status: { podName: 'q' } });
        assert.equal(!stale.ok && stale.reason, 'Conflict');
      }),
    );
    it(
      'does not make a new resourceVersion for an update that changes nothing',
      withStore(async (s) => {
        const v1 = must(await s.create(taskRun('a')));
        const v2 = must(await s.update(v1));
        const v3 = must(await s.updateStatus(v2));
        assert.equal(v3.metadata.resourceVersion, v1.metadata.resourceVersion);
      }),
    );
    it(
      'answers NotFound for a missing object',
      withStore(async (s) => {
        const r = await s.update(taskRun('nope'));
        assert.equal(!r.ok && r.reason, 'NotFound');
        const q = await s.updateStatus(taskRun('nope'));
        assert.equal(!q.ok && q.reason, 'NotFound');
      }),
    );
    it(
      'serialises concurrent read-modify-write loops that retry on Conflict (no lost update)',
      withStore(async (s) => {
        must(await s.create(taskRun('counter')));
        const key = { kind: 'TaskRun', namespace: 'default', name: 'counter' };
        const bump = async () => {
          for (;;) {
            const cur = (await s.get(key)) as KObject;
            const n = ((cur.status as { n?: number } | undefined)?.n ?? 0) + 1;
            await new Promise((r) => setImmediate(r));
            const r = await s.updateStatus({ ...cur, status: { n } });
            if (r.ok) return;
            assert.equal(r.reason, 'Conflict');
          }
        };
        await Promise.all(Array.from({ length: 20 }, bump));
        assert.deepEqual((await s.get(key))?.status, { n: 20 });
      }),
    );
  });

  describe(`${name}: delete, finalizers and ownerReferences`, () => {
    it(
      'deletes (NotFound after), honours preconditions',
      withStore(async (s) => {
        const v1 = must(await s.create(taskRun('a')));
        const stale = await s.delete({ kind: 'TaskRun', namespace: 'default', name: 'a' }, { preconditions: { resourceVersion: '999999' } });
        assert.equal(!stale.ok && stale.reason, 'Conflict');
        must(await s.delete({ kind: 'TaskRun', namespace: 'default', name: 'a' }, { preconditions: { resourceVersion: v1.metadata.resourceVersion } }));
        assert.equal(await s.get({ kind: 'TaskRun', namespace: 'default', name: 'a' }), undefined);
        const again = await s.delete({ kind: 'TaskRun', namespace: 'default', name: 'a' });
        assert.equal(!again.ok && again.reason, 'NotFound');
      }),
    );
    it(
      'marks an object with finalizers (deletionTimestamp) and removes it once they are gone',
      withStore(async (s) => {
        must(await s.create(taskRun('a', { finalizers: ['chains.tekton.dev'] })));
        const key = { kind: 'TaskRun', namespace: 'default', name: 'a' };
        must(await s.delete(key));
        const marked = (await s.get(key)) as KObject;
        assert.equal(marked.metadata.deletionTimestamp, '2026-12-02T01:02:03Z');
        must(await s.update({ ...marked, metadata: { ...marked.metadata, finalizers: [] } }));
        assert.equal(await s.get(key), undefined);
      }),
    );
    it(
      'collects dependents through ownerReferences (PipelineRun → TaskRun → Pod), or orphans them',
      withStore(async (s) => {
        const owner = (o: KObject) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name ?? '', uid: o.metadata.uid ?? '', controller: true });
        const pr = must(await s.create({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'pr' }, spec: {} }));
        const tr = must(await s.create(taskRun('pr-t', { ownerReferences: [owner(pr)] })));
        must(await s.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pr-t-pod', ownerReferences: [owner(tr)] }, spec: {} }));
        must(await s.create(taskRun('unrelated')));
        must(await s.delete({ kind: 'PipelineRun', namespace: 'default', name: 'pr' }));
        assert.deepEqual(
          (await s.list('TaskRun')).items.map((o) => o.metadata.name),
          ['unrelated'],
        );
        assert.deepEqual((await s.list('Pod')).items, []);

        const pr2 = must(await s.create({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'pr2' }, spec: {} }));
        must(await s.create(taskRun('pr2-t', { ownerReferences: [owner(pr2)] })));
        must(await s.delete({ kind: 'PipelineRun', namespace: 'default', name: 'pr2' }, { propagationPolicy: 'Orphan' }));
        const orphan = await s.get({ kind: 'TaskRun', namespace: 'default', name: 'pr2-t' });
        assert.equal(orphan?.metadata.ownerReferences, undefined);
      }),
    );
    it(
      'keeps a dependent while another owner exists',
      withStore(async (s) => {
        const a = must(await s.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }));
        const b = must(await s.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } }));
        const ref = (o: KObject) => ({ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name ?? '', uid: o.metadata.uid ?? '' });
        must(await s.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dep', ownerReferences: [ref(a), ref(b)] } }));
        must(await s.delete({ kind: 'ConfigMap', namespace: 'default', name: 'a' }));
        const dep = await s.get({ kind: 'Secret', namespace: 'default', name: 'dep' });
        assert.deepEqual(
          dep?.metadata.ownerReferences?.map((r) => r.name),
          ['b'],
        );
        must(await s.delete({ kind: 'ConfigMap', namespace: 'default', name: 'b' }));
        assert.equal(await s.get({ kind: 'Secret', namespace: 'default', name: 'dep' }), undefined);
      }),
    );
  });

  describe(`${name}: watch`, () => {
    it(
      'streams ADDED, MODIFIED and DELETED in order from a resourceVersion, filtered',
      withStore(async (s) => {
        const from = (await s.list('TaskRun')).resourceVersion;
        const seen = collect(s, { kind: 'TaskRun', namespace: 'default', resourceVersion: from }, (e) => e.length === 3);
        const a = must(await s.create(taskRun('a')));
        must(await s.create(taskRun('other-ns', { namespace: 'x' })));
        must(await s.create({ ...taskRun('pod'), kind: 'Pod' }));
        const a2 = must(await s.updateStatus({ ...a, status: { podName: 'p' } }));
        must(await s.delete({ kind: 'TaskRun', namespace: 'default', name: 'a' }));
        const events = await seen;
        assert.deepEqual(
          events.map((e) => e.type),
          ['ADDED', 'MODIFIED', 'DELETED'],
        );
        const objs = events.map((e) => (e.type === 'ERROR' ? assert.fail('error') : e.object));
        assert.equal(objs[1].metadata.resourceVersion, a2.metadata.resourceVersion);
        assert.ok(Number(objs[2].metadata.resourceVersion) > Number(a2.metadata.resourceVersion));
      }),
    );
    it(
      'without a resourceVersion, first sends every existing object as ADDED',
      withStore(async (s) => {
        must(await s.create(taskRun('old', { labels: { app: 'x' } })));
        must(await s.create(taskRun('skip')));
        const seen = collect(s, { kind: 'TaskRun', labelSelector: 'app=x' }, (e) => e.length === 2);
        must(await s.create(taskRun('new', { labels: { app: 'x' } })));
        const events = await seen;
        assert.deepEqual(
          events.map((e) => (e.type === 'ERROR' ? e.type : `${e.type} ${e.object.metadata.name}`)),
          ['ADDED old', 'ADDED new'],
        );
      }),
    );
    it(
      'resumes after a resourceVersion and sends nothing after stop',
      withStore(async (s) => {
        const a = must(await s.create(taskRun('a')));
        must(await s.create(taskRun('b')));
        const events = await collect(s, { kind: 'TaskRun', resourceVersion: a.metadata.resourceVersion }, (e) => e.length === 1);
        assert.equal(events[0].type === 'ADDED' && events[0].object.metadata.name, 'b');
        let late = 0;
        const w = s.watch({ kind: 'TaskRun' }, () => late++);
        w.stop();
        must(await s.create(taskRun('c')));
        await new Promise((r) => setTimeout(r, 50));
        assert.equal(late, 0);
      }),
    );
    it(
      'finds the events of its kind behind more than a page (500) of other kinds, however their fields mention the kind',
      withStore(async (s) => {
        const from = (await s.list('TaskRun')).resourceVersion;
        must(await s.create(taskRun('first')));
        // Some Pods' specs mention the watched kind: the watch must still go by each object's own kind.
        for (let i = 0; i < 520; i++) must(await s.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}` }, spec: i % 2 ? { note: { kind: 'TaskRun' } } : {} }));
        must(await s.create(taskRun('second')));
        // Watched after the writes: no later change wakes the watch, its first reading must find both.
        const events = await collect(s, { kind: 'TaskRun', resourceVersion: from }, (e) => e.length === 2, 5_000);
        assert.deepEqual(
          events.map((e) => (e.type === 'ERROR' ? e.type : `${e.object.kind} ${e.object.metadata.name}`)),
          ['TaskRun first', 'TaskRun second'],
        );
      }),
    );
    it(
      'ends a watch from a compacted resourceVersion with Expired (re-list and watch again)',
      withStore(async (s) => {
        const first = must(await s.create(taskRun('a')));
        for (let i = 0; i < 40; i++) must(await s.updateStatus({ ...first, metadata: { ...first.metadata, resourceVersion: undefined }, status: { i } }));
        const events = await collect(s, { kind: 'TaskRun', resourceVersion: first.metadata.resourceVersion }, (e) => e.some((x) => x.type === 'ERROR'));
        const err = events.find((e) => e.type === 'ERROR');
        assert.equal(err?.type === 'ERROR' && err.reason, 'Expired');
      }, 10),
    );
  });
}
