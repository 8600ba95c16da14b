import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openMemoryStore, type KObject } from '../store/index.ts';
import { FakeClock, realClock } from './clock.ts';
import { runController } from './controller.ts';
import { controllerOf, inform, objectKey } from './informer.ts';
import { WorkQueue } from './workqueue.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('FakeClock and realClock', () => {
  it('fire due timers in order and not before', () => {
    const c = new FakeClock();
    const fired: string[] = [];
    c.setTimer(30, () => fired.push('b'));
    c.setTimer(10, () => fired.push('a'));
    const cancel = c.setTimer(20, () => fired.push('cancelled'));
    cancel();
    c.advance(9);
    assert.deepEqual(fired, []);
    c.advance(25);
    assert.deepEqual(fired, ['a', 'b']);
    assert.equal(c.now().toISOString(), '2026-12-02T00:00:00.034Z');
  });
  it('arms a timer longer than setTimeout allows (30 days) without firing it at once', async () => {
    let fired = false;
    const cancel = realClock.setTimer(30 * 24 * 3600 * 1000, () => (fired = true));
    await new Promise((r) => setTimeout(r, 20));
    cancel();
    assert.equal(fired, false);
  });
});

describe('WorkQueue', () => {
  it('queues a key once however often it is added, and never to two workers at once', async () => {
    const q = new WorkQueue(new FakeClock());
    q.add('a');
    q.add('a');
    q.add('b');
    assert.equal(q.len(), 2);
    assert.equal(await q.get(), 'a');
    q.add('a'); // while a is being processed
    assert.equal(await q.get(), 'b');
    assert.equal(q.len(), 0, 'a is not handed out again while processed');
    q.done('a');
    assert.equal(await q.get(), 'a', 're-added after done');
  });
  it('backs off failed keys exponentially, and forget resets it', () => {
    const c = new FakeClock();
    const q = new WorkQueue(c, { baseMs: 10, maxMs: 1000 });
    q.addRateLimited('k');
    c.advance(9);
    assert.equal(q.len(), 0);
    c.advance(1);
    assert.equal(q.len(), 1);
    void q.get();
    q.done('k');
    q.addRateLimited('k');
    c.advance(19);
    assert.equal(q.len(), 0, 'second failure waits 20 ms');
    c.advance(1);
    assert.equal(q.len(), 1);
    void q.get();
    q.done('k');
    q.forget('k');
    q.addRateLimited('k');
    c.advance(10);
    assert.equal(q.len(), 1, 'forgotten: back to 10 ms');
  });
  it('keeps the earliest of two delayed adds of one key', () => {
    const c = new FakeClock();
    const q = new WorkQueue(c);
    q.addAfter('k', 100);
    q.addAfter('k', 50);
    q.addAfter('k', 500);
    c.advance(50);
    assert.equal(q.len(), 1);
    void q.get();
    q.done('k');
    c.advance(1000);
    assert.equal(q.len(), 0, 'the later timers were dropped');
  });
  it('hands waiting workers undefined on shutDown', async () => {
    const q = new WorkQueue(new FakeClock());
    const waiting = q.get();
    q.shutDown();
    assert.equal(await waiting, undefined);
    q.add('late');
    assert.equal(q.len(), 0);
  });
});

describe('runController', () => {
  it('runs keys on N workers, retries with backoff, requeues after a delay, and drains on shutDown', async () => {
    const c = new FakeClock();
    const q = new WorkQueue(c, { baseMs: 10, maxMs: 100 });
    const calls: string[] = [];
    let concurrent = 0;
    let most = 0;
    const problems: string[] = [];
    const running = runController({
      queue: q,
      workers: 3,
      onProblem: (k, m) => problems.push(`${k}: ${m.split('\n')[0]}`),
      reconcile: async (key) => {
        calls.push(key);
        concurrent++;
        most = Math.max(most, concurrent);
        await tick();
        concurrent--;
        if (key === 'flaky' && calls.filter((k) => k === 'flaky').length === 1) return { retry: 'Conflict' };
        if (key === 'bug' && calls.filter((k) => k === 'bug').length === 1) throw new Error('boom');
        if (key === 'timeout' && calls.filter((k) => k === 'timeout').length === 1) return { requeueAfterMs: 60_000 };
        return undefined;
      },
    });
    for (const k of ['a', 'b', 'c', 'd', 'flaky', 'bug', 'timeout']) q.add(k);
    for (let i = 0; i < 20; i++) await tick();
    assert.equal(most, 3);
    c.advance(10);
    for (let i = 0; i < 10; i++) await tick();
    assert.equal(calls.filter((k) => k === 'flaky').length, 2);
    assert.equal(calls.filter((k) => k === 'bug').length, 2);
    assert.equal(calls.filter((k) => k === 'timeout').length, 1);
    c.advance(60_000);
    for (let i = 0; i < 10; i++) await tick();
    assert.equal(calls.filter((k) => k === 'timeout').length, 2);
    assert.deepEqual(problems, ['flaky: Conflict', 'bug: reconcile threw: Error: boom']);
    q.shutDown();
    await running;
  });
});

describe('inform', () => {
  const tr = (name: string, extra: object = {}): KObject => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name, ...extra }, spec: {} });

  it('lists, then watches, and lists again when the watch falls behind (Expired)', async () => {
    const store = openMemoryStore({ retainEvents: 5 });
    const clock = new FakeClock();
    await store.create(tr('before'));
    const seen: string[] = [];
    const inf = inform(store, clock, { kind: 'TaskRun' }, (t, o) => seen.push(`${t} ${o.metadata.name}`));
    await inf.synced;
    assert.deepEqual(seen, ['ADDED before']);
    await store.create(tr('after'));
    for (let i = 0; i < 5; i++) await tick();
    assert.deepEqual(seen, ['ADDED before', 'ADDED after']);
    inf.stop();
    await store.close();
  });

  it('recovers from a watch that fell behind by listing again', async () => {
    const store = openMemoryStore({ retainEvents: 5 });
    const clock = new FakeClock();
    const seen: string[] = [];
    const inf = inform(store, clock, { kind: 'TaskRun' }, (t, o) => seen.push(`${t} ${o.metadata.name}`));
    await inf.synced;
    // Twenty changes before the watch can read any: its resourceVersion is compacted away.
    for (let i = 0; i < 20; i++) await store.create(tr(`r${i}`));
    for (let i = 0; i < 5; i++) await tick();
    assert.equal(seen.length, 0, 'the watch expired');
    clock.advance(100);
    for (let i = 0; i < 5; i++) await tick();
    assert.equal(seen.length, 20, 'the re-list handed over every object');
    await store.create(tr('later'));
    for (let i = 0; i < 5; i++) await tick();
    assert.equal(seen.at(-1), 'ADDED later', 'and the new watch goes on');
    inf.stop();
    await store.close();
  });

  it("maps an owned object to its controller's key", () => {
    const pod: KObject = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'tr-pod', namespace: 'ns', ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'tr', uid: 'u', controller: true }] },
    };
    assert.equal(controllerOf(pod, 'TaskRun'), 'ns/tr');
    assert.equal(controllerOf(pod, 'PipelineRun'), undefined);
    assert.equal(objectKey(pod), 'ns/tr-pod');
  });
});
