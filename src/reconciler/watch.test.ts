import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFileStore } from '../store/index.ts';
import { watchSpecStatus, type SpecStatus } from './watch.ts';

const run = (uid: string, status?: string) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'PipelineRun',
  metadata: { name: 'pr', namespace: 'default', uid },
  spec: status ? { status } : {},
});

describe('watchSpecStatus', () => {
  it('reports a spec.status written by someone else, once, and ignores a same-named object of another run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tektite-watch-'));
    try {
      const store = openFileStore(dir);
      store.put(run('mine'));
      const seen: SpecStatus[] = [];
      const w = watchSpecStatus(store, run('mine'), undefined, (s) => seen.push(s));
      store.put(run('stale', 'Cancelled'));
      w.check();
      store.put(run('mine', 'StoppedRunFinally'));
      w.check();
      w.check();
      w.stop();
      assert.deepEqual(seen, [{ status: 'StoppedRunFinally', statusMessage: undefined }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
