// contract-sharing-test-support.ts: the part of the store contract about what it hands out: the
// objects a write returns and a watch delivers are shared by every reader, so they are frozen; a
// get is the caller's own copy; the caller's input is never kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { collect, must, type StoreFactory, taskRun } from './contract-test-support.ts';
import type { KObject } from './types.ts';

export function sharingContract(name: string, factory: StoreFactory): void {
  const now = () => new Date('2026-12-02T01:02:03.456Z');
  describe(`${name}: what it hands out`, () => {
    it("never keeps the caller's object, freezes what writes return and watches deliver, and gives each reader of get its own copy", async () => {
      const { store: s, cleanup } = await factory({ now });
      try {
        const input = { ...taskRun('a'), spec: { params: [{ name: 'p', value: 'v' }] } };
        const created = must(await s.create(input));
        input.spec.params[0].value = 'changed by the caller';
        assert.equal((created.spec as { params: { value: string }[] }).params[0].value, 'v', 'the stored object is a copy');
        assert.throws(() => {
          (created.metadata as { name: string }).name = 'b';
        }, TypeError);
        const status = { podName: 'x', steps: [{ name: 's' }] };
        const updated = must(await s.updateStatus({ ...created, status }));
        status.steps[0].name = 'changed by the caller';
        assert.ok(Object.isFrozen((updated.status as typeof status).steps[0]));
        const events = await collect(s, { kind: 'TaskRun', resourceVersion: created.metadata.resourceVersion }, (e) => e.length === 1);
        const event = events[0];
        assert.ok(event.type === 'MODIFIED' && Object.isFrozen(event.object.status));
        const initial = await collect(s, { kind: 'TaskRun' }, (e) => e.length === 1);
        assert.ok(initial[0].type === 'ADDED' && Object.isFrozen(initial[0].object.metadata), 'the ADDED events of a watch without resourceVersion too');
        const got = (await s.get({ kind: 'TaskRun', namespace: 'default', name: 'a' })) as KObject;
        assert.deepEqual(got, updated);
        (got.status as typeof status).steps[0].name = 'changed by a reader';
        assert.deepEqual((await s.get({ kind: 'TaskRun', namespace: 'default', name: 'a' }))?.status, { podName: 'x', steps: [{ name: 's' }] });
      } finally {
        await cleanup();
      }
    });
  });
}
