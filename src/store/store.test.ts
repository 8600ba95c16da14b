import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileStore } from './store.ts';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { a: '1' } });

describe('the file store keeps one JSON file per object', () => {
  it('puts, gets, lists and deletes objects', () => {
    const store = openFileStore(mkdtempSync(join(tmpdir(), 'store-')));
    assert.deepEqual(store.put(cm('b')), { ok: true });
    assert.deepEqual(store.put(cm('a')), { ok: true });
    assert.deepEqual(store.get('ConfigMap', 'default', 'a'), cm('a'));
    assert.deepEqual(
      store.list('ConfigMap').map((o) => o.metadata.name),
      ['a', 'b'],
    );
    store.delete('ConfigMap', 'default', 'a');
    assert.equal(store.get('ConfigMap', 'default', 'a'), undefined);
  });

  it('reports a failed write as a value and leaves no temp file behind', () => {
    const root = mkdtempSync(join(tmpdir(), 'store-'));
    const store = openFileStore(root);
    store.put(cm('x'));
    // A directory where the file should go fails the rename even for root (like a full disk would fail the write).
    mkdirSync(join(root, 'objects', 'default', 'configmap', 'y.json'));
    const r = store.put(cm('y'));
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /cannot write ConfigMap "y" to the state dir/);
    assert.deepEqual(readdirSync(join(root, 'objects', 'default', 'configmap')).sort(), ['x.json', 'y.json']);
    assert.deepEqual(readdirSync(join(root, 'objects', 'default', 'configmap', 'y.json')), []);
  });

  it('writes without fsync when asked, still atomically: the object reads back whole and no temp file is left', () => {
    const root = mkdtempSync(join(tmpdir(), 'store-'));
    const store = openFileStore(root);
    assert.deepEqual(store.put(cm('a'), { sync: false }), { ok: true });
    assert.deepEqual(store.put({ ...cm('a'), data: { a: '2' } }, { sync: false }), { ok: true });
    assert.deepEqual(store.get('ConfigMap', 'default', 'a'), { ...cm('a'), data: { a: '2' } });
    assert.deepEqual(readdirSync(join(root, 'objects', 'default', 'configmap')), ['a.json']);
  });
});
