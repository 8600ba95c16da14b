// sidecar-logs.test.ts: `results-from: sidecar-logs` on the host executor, through the built CLI. Results
// travel as JSON lines in the tekton-log-results sidecar's log, so they may exceed the 4 KB termination
// message; each line is held to feature-flags' max-result-size (TaskRunResultLargerThanAllowedLimit).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunList, runCli } from './helpers/cli.ts';

function yamlFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tektite-sidecar-logs-')), 'run.yaml');
  writeFileSync(file, text);
  return file;
}

// 6000 bytes of `x` into a Task result, a step result fetched by a Task result, and an array result.
const taskRun = (name: string) => `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: ${name}}
spec:
  taskSpec:
    results:
      - {name: big}
      - {name: list, type: array}
      - {name: fetched, value: $(steps.digest.results.digest)}
    steps:
      - name: produce
        image: busybox
        script: |
          head -c 6000 /dev/zero | tr '\\0' x > $(results.big.path)
          printf '["a","b"]' > $(results.list.path)
          echo produced
      - name: digest
        image: busybox
        results: [{name: digest}]
        script: printf sha256:abc > $(step.results.digest.path)
      - name: check
        image: busybox
        script: test "$(wc -c < $(results.big.path))" -eq 6000 && echo checked
`;

describe('results-from=sidecar-logs on the host executor', () => {
  it('carries a result larger than the 4 KB termination message (max-result-size raised), step results and array results', async () => {
    const state = mkdtempSync(join(tmpdir(), 'tektite-sidecar-logs-state-'));
    const r = await runCli([
      'run',
      '-f',
      yamlFile(taskRun('large-result')),
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
    ]);
    assert.equal(r.code, 0, r.stderr);
    const tr = parseRunList(r.stdout)!.items[0];
    assert.equal(tr.status?.conditions?.[0].reason, 'Succeeded');
    assert.deepEqual(tr.status?.results, [
      { name: 'big', type: 'string', value: 'x'.repeat(6000) },
      { name: 'list', type: 'array', value: ['a', 'b'] },
      { name: 'fetched', type: 'string', value: 'sha256:abc' },
    ]);
    // The steps' own lines are shown; the sidecar's result lines are not, but they are in its log file.
    assert.match(r.stderr, /\[large-result : produce\] produced\n/);
    assert.doesNotMatch(r.stdout + r.stderr, /tekton-log-results\]|"type":"task"/);
    const log = readFileSync(join(state, 'logs', 'default', 'large-result-pod', 'sidecar-tekton-log-results.log'), 'utf8');
    assert.ok(log.includes(`{"name":"big","value":"${'x'.repeat(6000)}","type":"task"}\n`));
  });

  it("fails a TaskRun whose result line exceeds max-result-size with Tekton's reason and message", async () => {
    const r = await runCli([
      'run',
      '-f',
      yamlFile(taskRun('too-large')),
      '-o',
      'json',
      '--state-dir',
      mkdtempSync(join(tmpdir(), 'tektite-sidecar-logs-state-')),
      '--feature-flag',
      'results-from=sidecar-logs',
      '--feature-flag',
      'enable-api-fields=beta',
      '--feature-flag',
      'max-result-size=5000',
    ]);
    assert.equal(r.code, 1, r.stderr);
    const tr = parseRunList(r.stdout)!.items[0];
    const line = JSON.stringify({ name: 'big', value: 'x'.repeat(6000), type: 'task' });
    assert.deepEqual(
      tr.status?.conditions?.map(({ status, reason, message }) => ({ status, reason, message })),
      [
        {
          status: 'False',
          reason: 'TaskRunResultLargerThanAllowedLimit',
          message: `[User error]  TaskRun ""too-large"" failed: ${line.length} bytes results size exceeds configured limit of 5000 bytes`,
        },
      ],
    );
    assert.deepEqual(
      tr.status?.steps?.map((s) => s.terminated?.exitCode),
      [0, 0, 0],
    );
  });
});
