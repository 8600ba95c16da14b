import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LogStore } from './logs.ts';

const key = { namespace: 'default', pod: 'tr-pod', container: 'step-a' };

async function text(gen: AsyncGenerator<Buffer>): Promise<string> {
  let s = '';
  for await (const b of gen) s += b.toString('utf8');
  return s;
}

describe('LogStore', () => {
  it('follows a log while it is written and ends when it ends', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tektite-logs-'));
    try {
      const logs = new LogStore(root);
      const w = logs.open(key);
      w.write('one\n');
      const reading = text(logs.read(key, { follow: true }));
      await new Promise((r) => setTimeout(r, 30));
      w.write('two');
      await new Promise((r) => setTimeout(r, 30));
      w.write('\nthree\n');
      assert.equal(logs.ended(key), false);
      await w.end();
      assert.equal(await reading, 'one\ntwo\nthree\n');
      assert.equal(logs.ended(key), true);
      assert.equal(await text(logs.read(key)), 'one\ntwo\nthree\n', 'readable after');
      assert.equal(statSync(logs.path(key)).mode & 0o777, 0o600);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('streams a large log in chunks and stops following on abort', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tektite-logs-'));
    try {
      const logs = new LogStore(root);
      const w = logs.open(key);
      const line = `${'x'.repeat(1023)}\n`;
      for (let i = 0; i < 4096; i++) w.write(line); // 4 MiB
      await new Promise((r) => setTimeout(r, 100));
      const ac = new AbortController();
      let bytes = 0;
      let chunks = 0;
      let biggest = 0;
      const done = (async () => {
        for await (const b of logs.read(key, { follow: true, signal: ac.signal })) {
          bytes += b.length;
          chunks++;
          biggest = Math.max(biggest, b.length);
          if (bytes === 4 * 1024 * 1024) ac.abort();
        }
      })();
      await done;
      assert.equal(bytes, 4 * 1024 * 1024);
      assert.ok(chunks > 1 && biggest <= 64 * 1024, `read in chunks (${chunks}, largest ${biggest})`);
      await w.end();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('reads an absent log as empty and keeps unsafe names inside its directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tektite-logs-'));
    try {
      const logs = new LogStore(root);
      assert.equal(await text(logs.read({ namespace: 'default', pod: 'none', container: 'x' })), '');
      assert.ok(logs.path({ namespace: '..', pod: '../..', container: '../x' }).startsWith(join(root, 'logs')));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
