import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cachedProbe, probeKey, rememberProbe } from './probe-cache.ts';
import { detectSandbox, SetupErrorGate } from './sandbox.ts';

/** withEnv runs fn with env changes, restoring the old values after. */
async function withEnv<T>(env: Record<string, string>, fn: () => T | Promise<T>): Promise<T> {
  const old = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const [k, v] of Object.entries(old)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** fakeProgram writes an executable `name` that counts its calls and fails. */
function fakeProgram(dir: string, name: string): () => number {
  const counter = path.join(dir, `${name}.calls`);
  writeFileSync(counter, '');
  writeFileSync(path.join(dir, name), `#!/bin/sh\necho x >> '${counter}'\nexit 1\n`);
  chmodSync(path.join(dir, name), 0o755);
  return () => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;
}

describe('sandbox probe cache', () => {
  it('keys the answer on the programs PATH finds: another PATH or a changed binary is another key', async () => {
    const bin = mkdtempSync(path.join(os.tmpdir(), 'tektite-probe-key-'));
    fakeProgram(bin, 'bwrap');
    const before = await withEnv({ PATH: `${bin}:${process.env.PATH}` }, () => probeKey(['bwrap']));
    assert.equal(await withEnv({ PATH: `${bin}:${process.env.PATH}` }, () => probeKey(['bwrap'])), before);
    assert.match(before, new RegExp(`${bin}/bwrap:`));
    assert.notEqual(probeKey(['bwrap']), before);
    utimesSync(path.join(bin, 'bwrap'), new Date(0), new Date(0));
    assert.notEqual(await withEnv({ PATH: `${bin}:${process.env.PATH}` }, () => probeKey(['bwrap'])), before);
  });

  it('gives back a remembered mode only for the same key and a mode asked for; a damaged file is no answer', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'tektite-probe-cache-'));
    await withEnv({ XDG_CACHE_HOME: cache }, () => {
      assert.equal(cachedProbe('auto', 'k1', ['bwrap']), undefined);
      rememberProbe('auto', 'k1', 'bwrap');
      assert.equal(cachedProbe('auto', 'k1', ['bwrap']), 'bwrap');
      assert.equal(cachedProbe('auto', 'k2', ['bwrap']), undefined);
      assert.equal(cachedProbe('auto', 'k1', ['unshare']), undefined);
      assert.equal(cachedProbe('unshare', 'k1', ['bwrap']), undefined);
      writeFileSync(path.join(cache, 'tektite', 'sandbox-auto.json'), '{"key":"k1","mo');
      assert.equal(cachedProbe('auto', 'k1', ['bwrap']), undefined);
    });
  });

  it('detectSandbox skips the probe when the same key was remembered, and probes (remembering no failure) when not', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'tektite-probe-cache-'));
    const bin = mkdtempSync(path.join(os.tmpdir(), 'tektite-probe-bin-'));
    const bwrapCalls = fakeProgram(bin, 'bwrap');
    const unshareCalls = fakeProgram(bin, 'unshare');
    await withEnv({ XDG_CACHE_HOME: cache, PATH: `${bin}:${process.env.PATH}` }, async () => {
      rememberProbe('bwrap', probeKey(['bwrap']), 'bwrap');
      assert.equal(await detectSandbox('bwrap'), 'bwrap');
      assert.equal(bwrapCalls(), 0, 'the remembered answer needs no probe');

      rememberProbe('unshare', 'another machine', 'unshare');
      assert.equal(await detectSandbox('unshare'), 'none');
      assert.equal(unshareCalls(), 1, 'a different key means a probe');
      const kept = JSON.parse(readFileSync(path.join(cache, 'tektite', 'sandbox-unshare.json'), 'utf8'));
      assert.deepEqual(kept, { key: 'another machine', mode: 'unshare' }, 'a failed probe is not remembered');
    });
  });

  it('a cache directory that cannot be made costs only the memory of the answer', async () => {
    const notADir = path.join(mkdtempSync(path.join(os.tmpdir(), 'tektite-probe-cache-')), 'file');
    writeFileSync(notADir, '');
    await withEnv({ XDG_CACHE_HOME: notADir }, () => {
      rememberProbe('auto', 'k', 'bwrap');
      assert.equal(cachedProbe('auto', 'k', ['bwrap']), undefined);
    });
  });
  it('a bubblewrap set-up error shown to a run forgets the remembered answers; other output does not', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'tektite-probe-cache-'));
    await withEnv({ XDG_CACHE_HOME: cache }, () => {
      rememberProbe('auto', 'k', 'bwrap');
      const shown: string[] = [];
      const quiet = new SetupErrorGate((d) => shown.push(d.toString()));
      quiet.stderr()(Buffer.from('some error of the command\n'));
      quiet.release();
      assert.equal(cachedProbe('auto', 'k', ['bwrap']), 'bwrap');
      const failed = new SetupErrorGate((d) => shown.push(d.toString()));
      failed.stderr()(Buffer.from('bwrap: No permissions to create new namespace\n'));
      failed.release();
      assert.equal(cachedProbe('auto', 'k', ['bwrap']), undefined);
      assert.deepEqual(shown, ['some error of the command\n', 'bwrap: No permissions to create new namespace\n']);
    });
  });
});
