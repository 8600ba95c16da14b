import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { watchExit } from './exit-file.ts';
import { FifoPool, FifoStream } from './stdio-fifos.ts';

const dir = mkdtempSync(join(tmpdir(), 'tektite-early-end-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('a step that ends with its process', () => {
  it('reads the exit code from the exit file named by the cidfile, once conmon renames it into place', async () => {
    const exits = mkdtempSync(join(dir, 'exits-'));
    const cidFile = join(dir, 'a.cid');
    writeFileSync(cidFile, 'abc123\n');
    // The watch does not keep the process alive (`podman run` does): this test must.
    const alive = setTimeout(() => {}, 5000);
    const code = new Promise<number>((resolve) => watchExit(cidFile, resolve, exits));
    writeFileSync(join(exits, 'other'), '0');
    writeFileSync(join(exits, '.tmp'), '3');
    renameSync(join(exits, '.tmp'), join(exits, 'abc123'));
    assert.equal(await code, 3);
    clearTimeout(alive);
  });

  it('reports nothing when the exits directory does not exist', async () => {
    let called = false;
    const stop = watchExit(join(dir, 'none.cid'), () => (called = true), join(dir, 'missing'));
    await new Promise((r) => setTimeout(r, 50));
    stop();
    assert.equal(called, false);
  });

  it('hands out unlinked FIFOs whose remaining bytes drain in order, later bytes going elsewhere', async () => {
    const pool = new FifoPool();
    const path = await pool.take();
    assert.ok(path);
    const got: string[] = [];
    const stream = new FifoStream(path, (d) => got.push(d.toString()));
    assert.equal(existsSync(path), false, 'the FIFO is unlinked once open');
    const fd = stream.writeFd!;
    writeSync(fd, 'first ');
    await new Promise((r) => setTimeout(r, 20));
    writeSync(fd, 'second');
    const later: string[] = [];
    stream.drain((d) => later.push(d.toString()));
    assert.equal(got.join(''), 'first second');
    writeSync(fd, 'podman');
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(later, ['podman']);
    closeSync(fd);
    stream.writeFd = undefined;
    stream.close();
    const spareDir = join(path, '..');
    pool.remove();
    assert.equal(existsSync(spareDir), false);
    assert.equal(readdirSync(tmpdir()).includes(spareDir), false);
  });
});
