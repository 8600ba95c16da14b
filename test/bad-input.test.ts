// bad-input.test.ts: what `tektite run` does with input a user gets wrong. Every case must end
// with exit code 1 (a run was created and failed) or 2 (the input was rejected), a message that
// says where the problem is, no stack trace, and no half-written run left in the state dir.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filesUnder, parseRunList, runCli } from './helpers/cli.ts';
import { storedObjects } from './helpers/store.ts';

interface BadInputCase {
  file: string;
  what: string;
  /** exits are the exit codes allowed: [2] rejected input, [1] failed run, [1, 2] either (Tekton fails these at run time; rejecting up front is fine too). */
  exits: number[];
  /** output holds every one of these (stdout and stderr together). */
  output: Array<string | RegExp>;
  /** condition is what the printed TaskRun must show when the CLI exits 1. */
  condition?: { status: string; reason: string; message?: string };
}

const cases: BadInputCase[] = [
  {
    file: 'no-command.yaml',
    what: 'a step with neither command nor script whose image no one knows',
    exits: [1],
    output: ['could not find the ENTRYPOINT/CMD of image', 'registry.invalid/team/unknown-tool:1'],
    condition: { status: 'False', reason: 'PodCreationFailed' },
  },
  { file: 'alias-bomb.yaml', what: 'a YAML alias bomb', exits: [2], output: ['Excessive alias count', 'alias-bomb.yaml:'] },
  {
    file: 'duplicate-name.yaml',
    what: 'two TaskRuns with the same name',
    exits: [2],
    output: ['TaskRun "same": metadata.name: already exists: defined first at', 'duplicate-name.yaml:4:12', 'duplicate-name.yaml:9:12'],
  },
  { file: 'malformed-yaml.yaml', what: 'malformed YAML', exits: [2], output: [/malformed-yaml\.yaml:\d+:\d+/] },
  { file: 'not-an-object.yaml', what: 'a document that is not an object', exits: [2], output: ['not-an-object.yaml', /object|mapping|map/i] },
  { file: 'unknown-kind.yaml', what: 'an unknown kind', exits: [2], output: ['unknown-kind.yaml', 'Taskrun'] },
  { file: 'unknown-apiversion.yaml', what: 'an unknown apiVersion', exits: [2], output: ['unknown-apiversion.yaml', 'tekton.dev/v2'] },
  {
    file: 'unknown-field.yaml',
    what: 'an unknown field, located by path and by file:line:col',
    exits: [2],
    // The path may name the field (spec.taskSpec.steps[0].imag) or the object holding it.
    output: ['unknown field "imag"', 'spec.taskSpec.steps[0]', 'unknown-field.yaml:11:7'],
  },
  {
    file: 'taskref-missing.yaml',
    what: 'a taskRef that names no Task',
    exits: [1, 2],
    output: ['"does-not-exist"', 'not found'],
    condition: { status: 'False', reason: 'TaskRunResolutionFailed' },
  },
  {
    file: 'missing-param.yaml',
    what: 'a required param left out',
    exits: [1, 2],
    output: ['missing values for these params which have no default values: [name]'],
    condition: { status: 'False', reason: 'TaskRunValidationFailed' },
  },
  {
    file: 'wrong-param-type.yaml',
    what: 'a string value for an array param',
    exits: [1, 2],
    output: ["param types don't match the user-specified type: [flags]"],
    condition: { status: 'False', reason: 'TaskRunValidationFailed' },
  },
  {
    file: 'invalid-duration.yaml',
    what: 'a timeout that is not a duration',
    exits: [2],
    // Go's time.ParseDuration message, which Tekton's decoding surfaces.
    output: ['spec.timeout', 'time: unknown unit " minutes" in duration "5 minutes"', 'invalid-duration.yaml:7:'],
  },
  {
    file: 'command-not-found.yaml',
    what: 'a step command that does not exist',
    exits: [1],
    output: ['tektite-no-such-command'],
    condition: { status: 'False', reason: 'StepFailed', message: '"step-run" exited with code 1' },
  },
  {
    file: 'result-too-large.yaml',
    what: 'a result larger than the 4096-byte termination message',
    exits: [1],
    output: ['Termination message is above max allowed size 4096, caused by large task result.'],
    condition: { status: 'False', reason: 'StepFailed', message: '"step-write-big-result" exited with code 1' },
  },
  {
    file: 'limitrange-over-max.yaml',
    what: "a step limit over the namespace LimitRange's max",
    exits: [1],
    output: ['is forbidden: [maximum cpu usage per Container is 800m, but limit is 1]'],
    condition: { status: 'False', reason: 'PodCreationFailed' },
  },
  {
    file: 'other-kind-no-name.yaml',
    what: 'a ClusterRoleBinding without a name',
    exits: [2],
    output: ['metadata.name: Required value: name or generateName is required (test/fixtures/bad/other-kind-no-name.yaml:4:1)'],
  },
  {
    file: 'other-kind-no-apiversion.yaml',
    what: 'a Role without apiVersion',
    exits: [2],
    output: ["Object 'apiVersion' is missing (test/fixtures/bad/other-kind-no-apiversion.yaml:2:1)"],
  },
];

describe('tektite run with bad input', { concurrency: 2 }, () => {
  for (const c of cases) {
    it(`reports ${c.what} (${c.file}) with exit ${c.exits.join(' or ')}, a located message and no stack trace`, async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'tektite-bad-'));
      try {
        const out = await runCli(['run', '-f', join('test', 'fixtures', 'bad', c.file), '-o', 'json', '--state-dir', stateDir]);
        const all = `${out.stdout}\n${out.stderr}`;
        const context = `exit ${out.code}\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`;
        assert.ok(out.code !== null && c.exits.includes(out.code), `exit code in [${c.exits}]\n${context}`);
        for (const want of c.output) {
          if (typeof want === 'string') assert.ok(all.includes(want), `output contains ${JSON.stringify(want)}\n${context}`);
          else assert.match(all, want, context);
        }
        assert.ok(!out.stderr.includes('    at '), `no stack trace\n${context}`);
        if (out.code === 1 && c.condition) assertFailedRun(out.stdout, c.condition, context);
        const tmp = filesUnder(stateDir).filter((f) => f.endsWith('.tmp'));
        assert.deepEqual(tmp, [], 'no half-written files in the state dir');
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    });
  }
});

function assertFailedRun(stdout: string, want: NonNullable<BadInputCase['condition']>, context: string): void {
  const list = parseRunList(stdout);
  assert.ok(list, `a failed run is still printed as a List\n${context}`);
  const run = list.items.find((i) => i.kind === 'TaskRun');
  assert.ok(run, `the List holds the TaskRun\n${context}`);
  const condition = run.status?.conditions?.[0];
  assert.equal(condition?.status, want.status, context);
  assert.equal(condition?.reason, want.reason, context);
  if (want.message !== undefined) assert.equal(condition?.message, want.message, context);
}

describe('tektite run --executor docker', () => {
  it('names podman as the way to run containers, exit 2, before anything runs', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'tektite-docker-'));
    const r = await runCli(['run', '-f', 'examples/taskruns/hello-world.yaml', '--executor', 'docker', '--state-dir', stateDir]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /there is no docker executor: Tektite runs Pods in containers with podman \(--executor podman\)/);
    assert.deepEqual(storedObjects(stateDir, 'TaskRun'), []);
    rmSync(stateDir, { recursive: true, force: true });
  });
});
