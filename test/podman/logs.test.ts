// logs.test.ts: `tektite run --executor podman` prints a step's last line without a trailing
// newline under that step's [task : step] prefix, like the host executor (test/real-world-yaml.test.ts).
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.ts';
import { images, skipReason } from './helpers.ts';

const bin = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'tektite.mjs');
const skip = skipReason || (!existsSync(bin) && 'dist/bin/tektite.mjs is not built (npm run build)');

describe('tektite run --executor podman: step logs', { skip }, () => {
  let busybox: string;
  before(async () => {
    busybox = (await images()).busybox;
  });

  it('prints last lines without newline under their own [task : step]', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tektite-podman-logs-'));
    try {
      const r = await runCli([
        'run',
        '--executor',
        'podman',
        '--image-map',
        `mirror.gcr.io/busybox=${busybox}`,
        '-f',
        'test/fixtures/logs/no-trailing-newline.yaml',
        '--state-dir',
        dir,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '[printer : first] one\n[printer : first] first without newline\n[printer : second] second without newline\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
