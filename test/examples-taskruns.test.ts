// examples-taskruns.test.ts: runs every examples/taskruns/*.yaml through the built CLI on the
// host executor and checks each TaskRun against the file's `# expect:` header, the way
// Tekton's test/examples_test.go judges its examples (condition Succeeded), plus results,
// condition messages, log lines and the exit code (0 when all succeeded, 1 otherwise).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunList, repoRoot, resultsOf, runCli } from './helpers/cli.ts';
import type { RunObject } from './helpers/cli.ts';
import { assertName, declaredRuns } from './helpers/declared.ts';
import { parseExpectations } from './helpers/expect.ts';
import type { Expectation } from './helpers/expect.ts';

const examplesDir = join(repoRoot, 'examples', 'taskruns');
const exampleFiles = readdirSync(examplesDir)
  .filter((n) => n.endsWith('.yaml'))
  .sort();

function assertRun(run: RunObject, expect: Expectation): void {
  const condition = run.status?.conditions?.[0];
  assert.ok(condition, `TaskRun ${run.metadata.name} has a condition: ${JSON.stringify(run.status)}`);
  assert.deepEqual(
    { type: condition.type, status: condition.status, reason: condition.reason },
    { type: 'Succeeded', status: expect.status, reason: expect.reason },
    `condition of ${run.metadata.name}: ${JSON.stringify(condition)}`,
  );
  if (expect.message !== undefined) assert.equal(condition.message, expect.message);
  const results = resultsOf(run) ?? [];
  for (const [name, value] of Object.entries(expect.results)) {
    const found = results.find((r) => r.name === name);
    assert.ok(found, `TaskRun ${run.metadata.name} has result ${name}; results: ${JSON.stringify(results)}`);
    assert.deepEqual(found.value, value, `value of result ${name}`);
  }
}

describe('every example in examples/taskruns', () => {
  it('has at least 18 examples, each with a valid "# expect:" header', () => {
    assert.ok(exampleFiles.length >= 18, `${exampleFiles.length} examples`);
    for (const file of exampleFiles) {
      const parsed = parseExpectations(readFileSync(join(examplesDir, file), 'utf8'));
      assert.ok(parsed.ok, `${file}: ${parsed.ok ? '' : parsed.error}`);
    }
  });
});

describe('running examples/taskruns with the host executor', { concurrency: 2 }, () => {
  for (const file of exampleFiles) {
    const text = readFileSync(join(examplesDir, file), 'utf8');
    const parsed = parseExpectations(text);
    if (!parsed.ok) continue; // reported by the header test above
    const expect = parsed.expectation;
    it(`${file} ends with status ${expect.status} and reason ${expect.reason}`, async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'tektite-example-'));
      try {
        const out = await runCli(['run', '-f', join('examples', 'taskruns', file), '-o', 'json', '--state-dir', stateDir]);
        const context = `exit ${out.code}\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`;
        const list = parseRunList(out.stdout);
        assert.ok(list, `stdout holds the -o json List\n${context}`);
        const declared = declaredRuns(text, 'TaskRun');
        const runs = list.items.filter((i) => i.kind === 'TaskRun');
        assert.equal(runs.length, declared.length, `one printed TaskRun per TaskRun in the file\n${context}`);
        runs.forEach((run, i) => assertName(run, declared[i]!));
        for (const run of runs) assertRun(run, expect);
        for (const log of expect.logs) assert.ok(out.stdout.includes(log) || out.stderr.includes(log), `output contains ${JSON.stringify(log)}\n${context}`);
        assert.equal(out.code, expect.status === 'True' ? 0 : 1, `exit code\n${context}`);
        assert.doesNotMatch(out.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    });
  }
});
