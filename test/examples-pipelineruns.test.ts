// examples-pipelineruns.test.ts: runs every examples/pipelineruns/*.yaml through the built CLI
// on the host executor and checks the file's FIRST PipelineRun against its `# expect:` header,
// as Tekton's test/examples_test.go waits on the first run a file creates. Beyond Tekton's
// pass/fail it checks the condition reason and message, status.skippedTasks, the Pipeline
// results, log lines, selected fields of child TaskRuns, and the exit code.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunList, repoRoot, runCli } from './helpers/cli.ts';
import { storedObjects } from './helpers/store.ts';
import type { RunObject, RunResult } from './helpers/cli.ts';
import { assertName, declaredRuns, type DeclaredRun } from './helpers/declared.ts';
import { parseExpectations } from './helpers/expect.ts';
import type { Expectation } from './helpers/expect.ts';
import { subsetMismatch } from './helpers/subset.ts';

const examplesDir = join(repoRoot, 'examples', 'pipelineruns');
const exampleFiles = readdirSync(examplesDir)
  .filter((n) => n.endsWith('.yaml'))
  .sort();

/** PrintedPipelineRun is the part of a printed PipelineRun this test reads. */
interface PrintedPipelineRun extends RunObject {
  status?: RunObject['status'] & {
    pipelineResults?: RunResult[];
    skippedTasks?: Array<{ name: string; reason: string }>;
  };
}

/** pipelineResultsOf reads a PipelineRun's results under its apiVersion's field (v1beta1: pipelineResults). */
function pipelineResultsOf(run: PrintedPipelineRun): RunResult[] {
  return (run.apiVersion === 'tekton.dev/v1beta1' ? run.status?.pipelineResults : run.status?.results) ?? [];
}

/** childTaskRuns reads the TaskRuns a PipelineRun created, from the state dir the CLI kept them in. */
function childTaskRuns(stateDir: string, namespace: string, prName: string): Array<{ metadata: { name: string; labels?: Record<string, string> } }> {
  return storedObjects<{ metadata: { name: string; labels?: Record<string, string> } }>(stateDir, 'TaskRun', namespace).filter(
    (tr) => tr.metadata.labels?.['tekton.dev/pipelineRun'] === prName,
  );
}

function assertPipelineRun(run: PrintedPipelineRun, expect: Expectation, context: string): void {
  const condition = run.status?.conditions?.[0];
  assert.ok(condition, `PipelineRun ${run.metadata.name} has a condition: ${JSON.stringify(run.status)}`);
  assert.deepEqual(
    { type: condition.type, status: condition.status, reason: condition.reason },
    { type: 'Succeeded', status: expect.status, reason: expect.reason },
    `condition of ${run.metadata.name}: ${JSON.stringify(condition)}\n${context}`,
  );
  if (expect.message !== undefined) assert.equal(condition.message, expect.message, `condition message\n${context}`);
  // A file that says nothing about skipped tasks expects none.
  const skipped = (run.status?.skippedTasks ?? []).map((t) => ({ name: t.name, reason: t.reason }));
  assert.deepEqual(skipped, expect.skipped ?? [], `status.skippedTasks of ${run.metadata.name}`);
  const results = pipelineResultsOf(run);
  for (const [name, value] of Object.entries(expect.results)) {
    const found = results.find((r) => r.name === name);
    assert.ok(found, `PipelineRun ${run.metadata.name} has result ${name}; results: ${JSON.stringify(results)}`);
    assert.deepEqual(found.value, value, `value of result ${name}`);
  }
  for (const name of expect.absentResults ?? []) {
    assert.equal(
      results.find((r) => r.name === name),
      undefined,
      `PipelineRun ${run.metadata.name} has no result ${name}`,
    );
  }
}

function assertChildTaskRuns(stateDir: string, declared: DeclaredRun, prName: string, expect: Expectation): void {
  const children = childTaskRuns(stateDir, declared.namespace, prName);
  for (const [pipelineTask, subset] of Object.entries(expect.taskRuns ?? {})) {
    const mine = children.filter((tr) => tr.metadata.labels?.['tekton.dev/pipelineTask'] === pipelineTask);
    assert.equal(mine.length, 1, `one child TaskRun for ${pipelineTask}: ${mine.map((t) => t.metadata.name).join(', ')}`);
    const mismatch = subsetMismatch(mine[0], subset);
    assert.equal(mismatch, undefined, `child TaskRun ${mine[0]!.metadata.name}: ${mismatch}\n${JSON.stringify(mine[0])}`);
  }
}

describe('every example in examples/pipelineruns', () => {
  it('has at least 25 examples, each with a valid "# expect:" header and a PipelineRun', () => {
    assert.ok(exampleFiles.length >= 25, `${exampleFiles.length} examples`);
    for (const file of exampleFiles) {
      const text = readFileSync(join(examplesDir, file), 'utf8');
      const parsed = parseExpectations(text);
      assert.ok(parsed.ok, `${file}: ${parsed.ok ? '' : parsed.error}`);
      assert.ok(declaredRuns(text, 'PipelineRun').length > 0, `${file} creates a PipelineRun`);
    }
  });
});

describe('running examples/pipelineruns with the host executor', { concurrency: 2 }, () => {
  for (const file of exampleFiles) {
    const text = readFileSync(join(examplesDir, file), 'utf8');
    const parsed = parseExpectations(text);
    const declared = declaredRuns(text, 'PipelineRun')[0];
    if (!parsed.ok || !declared) continue; // reported by the header test above
    const expect = parsed.expectation;
    it(`${file} ends with status ${expect.status} and reason ${expect.reason}`, async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'tektite-pr-example-'));
      try {
        const out = await runCli(['run', '-f', join('examples', 'pipelineruns', file), '-o', 'json', '--state-dir', stateDir], 60_000);
        const context = `exit ${out.code}\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`;
        const list = parseRunList(out.stdout);
        assert.ok(list, `stdout holds the -o json List\n${context}`);
        const run = list.items.find((i) => i.kind === 'PipelineRun') as PrintedPipelineRun | undefined;
        assert.ok(run, `the List holds the PipelineRun\n${context}`);
        assertName(run, declared);
        assertPipelineRun(run, expect, context);
        assertChildTaskRuns(stateDir, declared, run.metadata.name, expect);
        for (const log of expect.logs) assert.ok(out.stdout.includes(log) || out.stderr.includes(log), `output contains ${JSON.stringify(log)}\n${context}`);
        assert.equal(out.code, expect.status === 'True' ? 0 : 1, `exit code\n${context}`);
        assert.doesNotMatch(out.stderr, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    });
  }
});
