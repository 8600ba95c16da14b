// termination-compression.test.ts: feature-flags' enable-termination-message-compression (alpha) on the
// host executor: the entrypoint writes "tknz:" + flate + base64 (pkg/termination/write.go), so results
// that compress below 4 KB fit the termination message; without the flag they do not.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRunList, runCli } from './helpers/cli.ts';

const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: compress}
spec:
  taskSpec:
    results: [{name: a}, {name: b}]
    steps:
    - name: write
      image: alpine
      script: |
        head -c 3000 /dev/zero | tr '\\0' x > $(results.a.path)
        head -c 3000 /dev/zero | tr '\\0' y > $(results.b.path)
`;

describe('enable-termination-message-compression', () => {
  it('lets 6 KB of compressible results through the 4 KB termination message, and only with the flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tektite-compress-'));
    try {
      const file = join(dir, 'run.yaml');
      writeFileSync(file, yaml);
      const run = async (...flags: string[]) => {
        const out = await runCli(['run', '-f', file, '-o', 'json', '--state-dir', join(dir, `state-${flags.length}`), ...flags]);
        const tr = parseRunList(out.stdout)?.items[0];
        assert.ok(tr, out.stderr);
        return tr;
      };
      const on = await run('--feature-flag', 'enable-termination-message-compression=true');
      assert.equal(on.status?.conditions?.[0].reason, 'Succeeded');
      assert.deepEqual(
        on.status?.results?.map((r) => [r.name, String(r.value).length]),
        [
          ['a', 3000],
          ['b', 3000],
        ],
      );
      const off = await run();
      assert.equal(off.status?.conditions?.[0].status, 'False', 'without compression the results overflow the termination message');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
