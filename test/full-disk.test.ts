// full-disk.test.ts: a state dir on a full disk. The run must end with a clear message and the
// state-store exit code (74), and the store holds no half-written object: each write is one
// SQLite transaction, so the last complete version of every run is there.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.ts';
import { storedObject } from './helpers/store.ts';

const isRoot = process.getuid?.() === 0;

describe('a full disk under the state dir', { skip: isRoot ? false : 'mounting a small tmpfs needs root' }, () => {
  const mnt = mkdtempSync(join(tmpdir(), 'tektite-full-'));
  after(() => execFileSync('umount', ['-l', mnt]));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tmpfs', mnt]);
  const yaml = join(mkdtempSync(join(tmpdir(), 'tektite-full-yaml-')), 'big.yaml');
  writeFileSync(
    yaml,
    `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: big-output}
spec:
  taskSpec:
    steps:
    - image: busybox
      script: |
        head -c 2000000 /dev/zero | tr '\\0' 'a'; echo
`,
  );

  it('says the runs could not be recorded, exits 74, and leaves a store holding their last complete state', async () => {
    const r = await runCli(['run', '-f', yaml, '--state-dir', join(mnt, 'state')]);
    const out = r.stdout + r.stderr;
    assert.equal(r.code, 74, out.slice(-2000));
    assert.match(out, /Error: the runs could not be recorded in the state dir .*: .*the state store: the disk is full; they were stopped/);
    assert.doesNotMatch(out, /\n {4}at /);
    // Every write is one SQLite transaction: the store opens, and the TaskRun is there, whole.
    const tr = storedObject<{ status?: { podName?: string } }>(join(mnt, 'state'), 'TaskRun', 'big-output');
    assert.ok(tr, 'the TaskRun is stored');
    assert.equal(tr.status?.podName, 'big-output-pod');
  });
});
