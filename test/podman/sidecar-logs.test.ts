// sidecar-logs.test.ts: `results-from: sidecar-logs` under `tektite run --executor podman`. The
// tekton-log-results sidecar runs the entrypoint bundle's `sidecarlogresults` through the carried node
// in the executor's empty image; the controller reads the results from its container log.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parseRunList, runCli } from '../helpers/cli.ts';
import { images, skipReason } from './helpers.ts';

describe('tektite run --executor podman with results-from=sidecar-logs', { skip: skipReason }, () => {
  let busybox: string;
  before(async () => {
    busybox = (await images()).busybox;
  });

  it("reports a 6000-byte Task result and a step result read from the results sidecar's log", async () => {
    const name = `sidecar-logs-${randomBytes(3).toString('hex')}`;
    const dir = mkdtempSync(join(tmpdir(), 'tektite-podman-sidecar-logs-'));
    writeFileSync(
      join(dir, 'run.yaml'),
      `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: ${name}}
spec:
  taskSpec:
    results: [{name: big}]
    steps:
      - name: produce
        image: ${busybox}
        script: head -c 6000 /dev/zero | tr '\\0' y > $(results.big.path)
      - name: digest
        image: ${busybox}
        results: [{name: digest}]
        script: printf sha256:abc > $(step.results.digest.path)
`,
    );
    const state = join(dir, 'state');
    const r = await runCli(
      [
        'run',
        '--executor',
        'podman',
        '-f',
        join(dir, 'run.yaml'),
        '-o',
        'json',
        '--state-dir',
        state,
        '--feature-flag',
        'results-from=sidecar-logs',
        '--feature-flag',
        'enable-api-fields=beta',
        '--feature-flag',
        'max-result-size=8192',
      ],
      180_000,
    );
    assert.equal(r.code, 0, r.stderr);
    const tr = parseRunList(r.stdout)!.items[0] as {
      status?: {
        conditions?: { reason?: string }[];
        results?: { name: string; value: unknown }[];
        steps?: { name: string; results?: unknown }[];
        sidecars?: { name: string; terminated?: { exitCode: number } }[];
      };
    };
    assert.equal(tr.status?.conditions?.[0].reason, 'Succeeded');
    assert.deepEqual(
      tr.status?.results?.map((x) => [x.name, x.value]),
      [['big', 'y'.repeat(6000)]],
    );
    assert.deepEqual(tr.status?.steps?.[1].results, [{ name: 'digest', type: 'string', value: 'sha256:abc' }]);
    assert.deepEqual(
      tr.status?.sidecars?.map((s) => [s.name, s.terminated?.exitCode]),
      [['tekton-log-results', 0]],
    );
    const log = readFileSync(join(state, 'logs', 'default', `${name}-pod`, 'sidecar-tekton-log-results.log'), 'utf8');
    assert.ok(log.endsWith('{"name":"step-digest.digest","value":"sha256:abc","type":"step"}\n'), log.slice(-200));
  });
});
