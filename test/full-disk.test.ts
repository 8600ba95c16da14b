// full-disk.test.ts: a state dir on a full disk. The run must end with a clear message and a
// non-zero exit, the step logs are reported incomplete, and the state dir holds no
// half-written object (only the last complete version, thanks to temp file + rename).
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesUnder, runCli } from './helpers/cli.ts';

const isRoot = process.getuid?.() === 0;

describe('a full disk under the state dir', { skip: isRoot ? false : 'mounting a small tmpfs needs root' }, () => {
  const mnt = mkdtempSync(join(tmpdir(), 'tektite-full-'));
  after(() => execFileSync('umount', ['-l', mnt]));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]);
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
        head -c 300000 /dev/zero | tr '\\0' 'a'; echo
`,
  );

  it('says the state could not be written, exits 1, and leaves only complete JSON', async () => {
    const r = await runCli(['run', '-f', yaml, '--state-dir', join(mnt, 'state')]);
    const out = r.stdout + r.stderr;
    assert.equal(r.code, 1);
    assert.match(out, /the log file of big-output\/step-unnamed-0 is incomplete: ENOSPC/);
    assert.match(
      out,
      /Error: the state dir could not be written; the final state of these runs is only in this output:\n {2}cannot write TaskRun "big-output" to the state dir .*: ENOSPC: no space left on device/,
    );
    assert.doesNotMatch(out, /\n {4}at /);
    const files = filesUnder(join(mnt, 'state'));
    assert.deepEqual(
      files.filter((f) => f.endsWith('.tmp')),
      [],
    );
    for (const f of files.filter((x) => x.endsWith('.json'))) JSON.parse(readFileSync(join(mnt, 'state', f), 'utf8'));
    assert.ok(readdirSync(join(mnt, 'state', 'objects', 'default', 'taskrun')).includes('big-output.json'));
  });
});
