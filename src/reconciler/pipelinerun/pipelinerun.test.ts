import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PipelineTask, TaskRun, WhenExpression } from '../../api/index.ts';
import { evaluateCel, loadCel } from './cel.ts';
import { finallyStatusReplacements, taskReason } from './facts.ts';
import { applyToPipelineTask, pipelineParamReplacements } from './variables.ts';
import { TIMEOUT_MSG, CANCEL_MSG, effectiveTimeouts } from './control.ts';
import { matrixCombinations } from './matrix.ts';
import { SkippingReason, countTasks, finalReason, runningMessage, type ResolvedPipelineTask } from './state.ts';
import { evaluateWhen, type WhenOutcome } from './when.ts';

const flat = (combos: { name: string; value: string }[][]) => combos.map((c) => Object.fromEntries(c.map((p) => [p.name, p.value])));

describe('matrixCombinations fans out as Tekton does (TEKTON-FACTS §8.7)', () => {
  it('lets the first param vary fastest', () => {
    const combos = matrixCombinations({
      params: [
        { name: 'platform', value: ['linux', 'mac', 'windows'] },
        { name: 'browser', value: ['chrome', 'safari'] },
      ],
    });
    assert.deepEqual(flat(combos), [
      { platform: 'linux', browser: 'chrome' },
      { platform: 'mac', browser: 'chrome' },
      { platform: 'windows', browser: 'chrome' },
      { platform: 'linux', browser: 'safari' },
      { platform: 'mac', browser: 'safari' },
      { platform: 'windows', browser: 'safari' },
    ]);
  });

  it('merges includes into matching combinations and adds the ones that match none (docs/matrix.md)', () => {
    const combos = matrixCombinations({
      params: [
        { name: 'GOARCH', value: ['linux/amd64', 'linux/ppc64le', 'linux/s390x'] },
        { name: 'version', value: ['go1.17', 'go1.18.1'] },
      ],
      include: [
        { name: 'common-package', params: [{ name: 'package', value: 'path/to/common/package/' }] },
        {
          name: 's390x-no-race',
          params: [
            { name: 'GOARCH', value: 'linux/s390x' },
            { name: 'flags', value: '-cover -v' },
          ],
        },
        {
          name: 'go117-context',
          params: [
            { name: 'version', value: 'go1.17' },
            { name: 'context', value: 'path/to/go117/context' },
          ],
        },
        { name: 'non-existent-arch', params: [{ name: 'GOARCH', value: 'I-do-not-exist' }] },
      ],
    });
    const pkg = 'path/to/common/package/';
    const ctx = 'path/to/go117/context';
    assert.deepEqual(flat(combos), [
      { GOARCH: 'linux/amd64', version: 'go1.17', package: pkg, context: ctx },
      { GOARCH: 'linux/ppc64le', version: 'go1.17', package: pkg, context: ctx },
      { GOARCH: 'linux/s390x', version: 'go1.17', package: pkg, flags: '-cover -v', context: ctx },
      { GOARCH: 'linux/amd64', version: 'go1.18.1', package: pkg },
      { GOARCH: 'linux/ppc64le', version: 'go1.18.1', package: pkg },
      { GOARCH: 'linux/s390x', version: 'go1.18.1', package: pkg, flags: '-cover -v' },
      { GOARCH: 'I-do-not-exist' },
    ]);
  });

  it('takes exactly the includes when there are no matrix params', () => {
    const combos = matrixCombinations({
      include: [
        {
          name: 'a',
          params: [
            { name: 'IMAGE', value: 'image-1' },
            { name: 'DOCKERFILE', value: 'path/to/Dockerfile1' },
          ],
        },
        { name: 'b', params: [{ name: 'IMAGE', value: 'image-2' }] },
      ],
    });
    assert.deepEqual(flat(combos), [{ IMAGE: 'image-1', DOCKERFILE: 'path/to/Dockerfile1' }, { IMAGE: 'image-2' }]);
  });
});

const tr = (reason: string, status: 'True' | 'False', statusMessage?: string): TaskRun => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'TaskRun',
  metadata: { name: 'x' },
  spec: statusMessage ? { statusMessage } : {},
  status: { conditions: [{ type: 'Succeeded', status, reason, message: '' }] },
});
const rpt = (name: string, extra: Partial<ResolvedPipelineTask> = {}): ResolvedPipelineTask => ({
  task: { name } as PipelineTask,
  isFinally: false,
  taskRuns: [],
  running: false,
  done: true,
  ...extra,
});
const ok = (name: string) => rpt(name, { taskRuns: [tr('Succeeded', 'True')] });

describe("PipelineRun status messages and final reasons follow Tekton's priority (TEKTON-FACTS §4.1)", () => {
  const cases: [string, ResolvedPipelineTask[], boolean, { status: string; reason: string; message: string }][] = [
    ['all succeeded', [ok('a'), ok('b')], false, { status: 'True', reason: 'Succeeded', message: 'Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0' }],
    [
      'one skipped by when',
      [ok('a'), rpt('b', { skip: { reason: SkippingReason.When } })],
      false,
      { status: 'True', reason: 'Completed', message: 'Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 1' },
    ],
    [
      'an ignored failure',
      [ok('a'), rpt('b', { taskRuns: [tr('FailureIgnored', 'False')] })],
      false,
      { status: 'True', reason: 'Succeeded', message: 'Tasks Completed: 2 (Failed: 1 (Ignored: 1), Cancelled 0), Skipped: 0' },
    ],
    // pipelinerunstate.go getPipelineTasksCount: a matrixed task with onError continue and one failed child is one ignored failure.
    [
      'a matrix with one ignored failure',
      [ok('a'), rpt('m', { taskRuns: [tr('Succeeded', 'True'), tr('FailureIgnored', 'False')] })],
      false,
      { status: 'True', reason: 'Succeeded', message: 'Tasks Completed: 2 (Failed: 1 (Ignored: 1), Cancelled 0), Skipped: 0' },
    ],
    [
      'a failure',
      [rpt('a', { taskRuns: [tr('Failed', 'False')] }), rpt('b', { skip: { reason: SkippingReason.Stopping } })],
      false,
      { status: 'False', reason: 'Failed', message: 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 1' },
    ],
    [
      'a task cancelled by the PipelineRun timeout counts as failed',
      [rpt('a', { taskRuns: [tr('TaskRunCancelled', 'False', TIMEOUT_MSG)] })],
      false,
      { status: 'False', reason: 'Failed', message: 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0' },
    ],
    [
      'a skip due to the finally timeout fails the run',
      [ok('a'), rpt('f', { isFinally: true, skip: { reason: SkippingReason.FinallyTimeout } })],
      false,
      { status: 'False', reason: 'Failed', message: 'Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 1' },
    ],
    [
      'a cancelled task',
      [rpt('a', { taskRuns: [tr('TaskRunCancelled', 'False', CANCEL_MSG)] })],
      false,
      { status: 'False', reason: 'Cancelled', message: 'Tasks Completed: 1 (Failed: 0, Cancelled 1), Skipped: 0' },
    ],
    [
      'a graceful cancel without failures',
      [ok('a'), rpt('b', { skip: { reason: SkippingReason.GracefullyCancelled } })],
      true,
      { status: 'False', reason: 'Cancelled', message: 'PipelineRun "pr" was cancelled' },
    ],
    [
      'a graceful stop with a failure',
      [rpt('a', { taskRuns: [tr('Failed', 'False')] })],
      true,
      { status: 'False', reason: 'Failed', message: 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0' },
    ],
  ];
  for (const [name, state, graceful, want] of cases) {
    it(`gives ${want.reason} for ${name}`, () => assert.deepEqual(finalReason(countTasks(state), graceful, 'pr'), want));
  }

  it('counts unfinished tasks as Incomplete while running', () => {
    assert.equal(
      runningMessage(countTasks([ok('a'), rpt('b', { done: false, running: true }), rpt('c', { done: false })])),
      'Tasks Completed: 1 (Failed: 0, Cancelled 0), Incomplete: 2, Skipped: 0',
    );
  });
});

describe('$(tasks.<t>.reason) and status for finally tasks (GetPipelineTaskStatus, getReason)', () => {
  const matrix = rpt('m', { taskRuns: [tr('Succeeded', 'True'), tr('FailureIgnored', 'False')] });
  it('takes the reason of the first child TaskRun that did not succeed', () => {
    assert.equal(taskReason(matrix), 'FailureIgnored');
    assert.equal(taskReason(ok('a')), 'Succeeded');
  });
  it('is empty for a task without TaskRuns (skipped)', () => assert.equal(taskReason(rpt('s', { skip: { reason: SkippingReason.When } })), ''));
  // haveAnyTaskRunsFailed counts every TaskRun whose condition is False, ignored failures too.
  it('feeds the finally replacements; an ignored failure still makes $(tasks.status) Failed', () => {
    const r = finallyStatusReplacements([ok('a'), matrix]);
    assert.deepEqual([r.strings.get('tasks.m.reason'), r.strings.get('tasks.m.status'), r.strings.get('tasks.status')], ['FailureIgnored', 'Failed', 'Failed']);
  });
});

describe('applyToPipelineTask propagates run params into an inline taskSpec', () => {
  it("passes whole arrays and objects to a StepAction step's params (Params.ReplaceVariables)", () => {
    const r = pipelineParamReplacements(
      undefined,
      [
        { name: 's', value: 'str' },
        { name: 'arr', value: ['a', 'b'] },
        { name: 'obj', value: { k: 'v' } },
      ],
      { prName: 'pr', namespace: 'default', uid: 'u', pipelineName: 'p' },
    );
    const pt: PipelineTask = {
      name: 't',
      taskSpec: {
        steps: [
          {
            name: 'x',
            ref: { name: 'action' },
            params: [
              { name: 's', value: '$(params.s)' },
              { name: 'arr', value: '$(params.arr[*])' },
              { name: 'obj', value: '$(params.obj[*])' },
              { name: 'list', value: ['$(params.arr[*])', 'c'] },
            ],
          },
        ],
      },
    };
    assert.deepEqual(applyToPipelineTask(pt, r).taskSpec!.steps![0]!.params, [
      { name: 's', value: 'str' },
      { name: 'arr', value: ['a', 'b'] },
      { name: 'obj', value: { k: 'v' } },
      { name: 'list', value: ['a', 'b', 'c'] },
    ]);
  });

  it("lets an own object param override only its keys (propagateParams; Tekton's propagated-pipeline-object-param.yaml)", () => {
    const r = pipelineParamReplacements(undefined, [{ name: 'git', value: { url: 'abc.com', commit: 'sha123' } }], {
      prName: 'pr',
      namespace: 'default',
      uid: 'u',
      pipelineName: 'p',
    });
    const pt: PipelineTask = {
      name: 't',
      params: [{ name: 'git', value: { branch: 'main', url: 'xyz.com' } }],
      taskSpec: { steps: [{ name: 'x', image: 'bash', args: ['$(params.git.url)', '$(params.git.commit)', '$(params.git.branch)'] }] },
    };
    // url and branch are left for the TaskRun (the PipelineTask's value), commit comes from the run.
    assert.deepEqual(applyToPipelineTask(pt, r).taskSpec!.steps![0]!.args, ['$(params.git.url)', 'sha123', '$(params.git.branch)']);
  });
});

describe('evaluateWhen (when_types.go AllowsExecution, with CEL)', () => {
  before(loadCel);
  const cases: [string, WhenExpression[], WhenOutcome][] = [
    ['in, matching', [{ input: 'main', operator: 'in', values: ['main', 'dev'] }], { allowed: true }],
    ['notin, matching', [{ input: 'main', operator: 'notin', values: ['main'] }], { allowed: false }],
    [
      'all must hold',
      [
        { input: 'a', operator: 'in', values: ['a'] },
        { input: 'b', operator: 'in', values: ['c'] },
      ],
      { allowed: false },
    ],
    ['a true CEL', [{ cel: "'main' == 'main' && size('abc') == 3" }], { allowed: true }],
    ['a false CEL', [{ cel: "'main' in ['dev', 'release']" }], { allowed: false }],
    ['a missing result', [{ input: '$(tasks.a.results.r)', operator: 'in', values: ['x'] }], { unresolved: '$(tasks.a.results.r)' }],
    ['a missing result in CEL', [{ cel: "'$(tasks.a.results.r)' == 'x'" }], { unresolved: '$(tasks.a.results.r)' }],
    ['a CEL that is not boolean', [{ cel: '1 + 2' }], { celError: 'The CEL expression 1 + 2 is not evaluated to a boolean' }],
    ['a CEL error after a false expression', [{ input: 'a', operator: 'in', values: ['b'] }, { cel: 'nope == 1' }], { celError: 'Unknown variable: nope' }],
  ];
  for (const [name, whens, want] of cases) it(`gives ${JSON.stringify(want)} for ${name}`, () => assert.deepEqual(evaluateWhen(whens), want));

  it('reports CEL parse errors by their first line', () => {
    assert.deepEqual(evaluateCel("'a' =="), { ok: false, message: 'Unexpected token: EOF' });
  });
});

describe('timeouts', () => {
  it('derives tasks and finally timeouts as pipelinerun_types.go does', () => {
    assert.deepEqual(effectiveTimeouts({ pipeline: '1h', finally: '10m' }), { pipeline: 3_600_000, tasks: 3_000_000, finally: 600_000 });
    assert.deepEqual(effectiveTimeouts({ pipeline: '1h', tasks: '50m' }), { pipeline: 3_600_000, tasks: 3_000_000, finally: 600_000 });
    assert.deepEqual(effectiveTimeouts({ pipeline: '0s', tasks: '5m' }), { pipeline: 0, tasks: 300_000, finally: undefined });
  });
});
