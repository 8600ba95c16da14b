// check.test.ts: checkPodman starts a real container and names the fix when podman is missing or misconfigured.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkPodman } from '../../src/executors/podman/index.ts';
import { checkStamp, forgetCheck } from '../../src/executors/podman/check-stamp.ts';
import { skipReason } from './helpers.ts';

describe('checkPodman', { skip: skipReason }, () => {
  const saved = process.env.CONTAINERS_CONF;
  after(() => {
    if (saved === undefined) delete process.env.CONTAINERS_CONF;
    else process.env.CONTAINERS_CONF = saved;
  });
  const withConf = async (text: string) => {
    const file = join(mkdtempSync(join(tmpdir(), 'tektite-conf-')), 'containers.conf');
    writeFileSync(file, text);
    process.env.CONTAINERS_CONF = file;
    try {
      return await checkPodman();
    } finally {
      delete process.env.CONTAINERS_CONF;
    }
  };

  it('says podman works when a container starts', async () => {
    assert.deepEqual(await checkPodman({ cache: false }), { ok: true });
  });

  it('remembers a passed check until a containers.conf changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tektite-stamp-'));
    const conf = join(dir, 'containers.conf');
    writeFileSync(conf, '[engine]\n');
    process.env.CONTAINERS_CONF = conf;
    try {
      const file = join(dir, 'stamp');
      assert.equal(checkStamp('podman', file)!.passed(), false);
      checkStamp('podman', file)!.record();
      assert.equal(checkStamp('podman', file)!.passed(), true);
      writeFileSync(conf, '[engine]\nruntime = "runc"\n');
      assert.equal(checkStamp('podman', file)!.passed(), false);
      checkStamp('podman', file)!.record();
      forgetCheck(file);
      assert.equal(checkStamp('podman', file)!.passed(), false);
      assert.equal(checkStamp('/nonexistent/podman', file)?.passed() ?? false, false);
    } finally {
      delete process.env.CONTAINERS_CONF;
    }
  });

  it('names apt-get install podman runc and the containers.conf fix when podman is missing', async () => {
    const r = await checkPodman({ podmanPath: '/nonexistent/podman' });
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /^podman is not installed: run `apt-get install -y podman runc` and write \/etc\/containers\/containers.conf with\n/);
    assert.match((r as { message: string }).message, /runtime = "runc"/);
  });

  it('names the ulimit fix when the default ulimits cannot be set', async () => {
    const r = await withConf('[engine]\nruntime = "runc"\n');
    assert.equal(r.ok, false);
    assert.match(
      (r as { message: string }).message,
      /^podman cannot start containers: the default ulimits are above what this machine allows \(.*rlimit.*\)\.\nSet default_ulimits = \["nofile=1024:1024", "nproc=1024:1024"\]/,
    );
  });

  it('names runc when the configured runtime is crun', async () => {
    const r = await withConf('[containers]\ndefault_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n[engine]\nruntime = "crun"\n');
    assert.equal(r.ok, false);
    assert.match((r as { message: string }).message, /^podman cannot start containers with crun here \(.*\)\.\nUse runc: `apt-get install -y runc`/);
  });
});
