import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { realClock } from '../controller/index.ts';
import { openMemoryStore, type KObject } from '../store/index.ts';
import { startControllers } from './manager.ts';

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), 'condition not reached within 1 s');
};

describe('startControllers', () => {
  it('wakes a TaskRun for its Pod and a PipelineRun for its TaskRuns (once done) and child PipelineRuns', async () => {
    const store = openMemoryStore();
    const seen: string[] = [];
    const c = startControllers({
      store,
      clock: realClock,
      reconcileTaskRun: async (k) => void seen.push(`tr ${k}`),
      reconcilePipelineRun: async (k) => void seen.push(`pr ${k}`),
    });
    await c.synced;
    const owned = (kind: string, name: string): KObject['metadata']['ownerReferences'] => [{ apiVersion: 'tekton.dev/v1', kind, name, uid: 'u', controller: true }];
    await store.create({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'p', namespace: 'ns' }, spec: {} });
    await until(() => seen.includes('pr ns/p'));
    seen.length = 0;
    // The PipelineRun created the TaskRun and does not follow its progress: only its end wakes it.
    const created = await store.create({
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: { name: 't', namespace: 'ns', ownerReferences: owned('PipelineRun', 'p') },
      spec: {},
    });
    assert.ok(created.ok);
    await until(() => seen.includes('tr ns/t') && c.idle());
    assert.ok(!seen.includes('pr ns/p'), 'a new TaskRun does not wake its PipelineRun');
    let tr = created.object;
    const setStatus = async (status: string, reason: string) => {
      seen.length = 0;
      const r = await store.updateStatus({ ...tr, status: { conditions: [{ type: 'Succeeded', status, reason }] } });
      assert.ok(r.ok);
      tr = r.object;
    };
    await setStatus('Unknown', 'Running');
    await until(() => seen.includes('tr ns/t') && c.idle());
    assert.ok(!seen.includes('pr ns/p'), 'a running TaskRun does not wake its PipelineRun');
    await setStatus('True', 'Succeeded');
    await until(() => seen.includes('tr ns/t') && seen.includes('pr ns/p'));
    seen.length = 0;
    await store.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 't-pod', namespace: 'ns', ownerReferences: owned('TaskRun', 't') }, spec: {} });
    await until(() => seen.includes('tr ns/t'));
    assert.ok(!seen.includes('pr ns/p'), 'a Pod wakes its TaskRun only');
    seen.length = 0;
    await store.create({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'child', namespace: 'ns', ownerReferences: owned('PipelineRun', 'p') }, spec: {} });
    await until(() => seen.includes('pr ns/child') && seen.includes('pr ns/p'));
    await c.stop();
    assert.ok(c.idle());
  });
});
