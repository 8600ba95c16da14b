import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pipeline, PipelineRun, PipelineTask } from '../api/index.ts';
import { buildConfig, defaultConfig } from '../config/index.ts';
import { validatePipeline } from './pipeline.ts';
import { validatePipelineRun } from './pipelinerun.ts';

const config = defaultConfig();
const t = (name: string, extra: Partial<PipelineTask> = {}): PipelineTask => ({ name, taskRef: { name: 'echo' }, ...extra });
const pipeline = (spec: Pipeline['spec']): Pipeline => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p' }, spec });
const run = (spec: PipelineRun['spec']): PipelineRun => ({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'pr' }, spec });

describe("validatePipeline gives Tekton's messages", () => {
  const cases: [string, Pipeline['spec'], string | undefined][] = [
    ['a valid fan-in', { tasks: [t('a'), t('b'), t('c', { runAfter: ['a', 'b'] })] }, undefined],
    ['an empty spec', {}, 'expected at least one, got none: spec.description, spec.params, spec.resources, spec.tasks, spec.workspaces'],
    [
      'a bad task name',
      { tasks: [t('Bad_Name')] },
      'invalid value "Bad_Name": spec.tasks[0].name\nPipeline Task name must be a valid DNS Label.For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
    ],
    ['a name shared by tasks and finally', { tasks: [t('a')], finally: [t('a')] }, 'expected exactly one, got both: spec.finally[0].name'],
    ['neither taskRef nor taskSpec', { tasks: [{ name: 'a' }] }, 'expected exactly one, got neither: spec.tasks[0].taskRef, spec.tasks[0].taskSpec'],
    ['a cycle', { tasks: [t('a', { runAfter: ['b'] }), t('b', { runAfter: ['a'] })] }, 'invalid value: cycle detected; task "a" depends on "b": spec.tasks'],
    [
      'an unknown runAfter',
      { tasks: [t('a', { runAfter: ['nope'] })] },
      "invalid value: couldn't add link between a and nope: task a depends on nope but nope wasn't present in Pipeline: spec.tasks",
    ],
    [
      'finally with runAfter',
      { tasks: [t('a')], finally: [t('f', { runAfter: ['a'] })] },
      'invalid value: no runAfter allowed under spec.finally, final task f has runAfter specified: spec.finally[0]',
    ],
    ['finally without tasks', { finally: [t('f')] }, 'invalid value: spec.tasks is empty but spec.finally has 1 tasks: spec.finally'],
    [
      'status in a DAG task',
      { tasks: [t('a'), t('b', { params: [{ name: 'p', value: '$(tasks.a.status)' }] })] },
      'invalid value: pipeline tasks can not refer to execution status of any other pipeline task or aggregate status of tasks: spec.tasks[1].params[p].value',
    ],
    [
      'finally status of an unknown task',
      { tasks: [t('a')], finally: [t('f', { params: [{ name: 'p', value: '$(tasks.nope.status)' }] })] },
      'invalid value: pipeline task nope is not defined in the pipeline: spec.finally[0].params[p].value',
    ],
    [
      'a finally result from a finally task',
      { tasks: [t('a')], finally: [t('f1'), t('f2', { params: [{ name: 'p', value: '$(tasks.f1.results.r)' }] })] },
      'invalid value: invalid task result reference, final task has task result reference from a final task f1: spec.finally[1].params[p].value',
    ],
    [
      'a when with a bad operator',
      { tasks: [t('a', { when: [{ input: 'a', operator: 'exists', values: ['a'] }] })] },
      'invalid value: operator "exists" is not recognized. valid operators: in,notin: spec.tasks[0].when[0]',
    ],
    ['a when without values', { tasks: [t('a', { when: [{ input: 'a', operator: 'in' }] })] }, 'invalid value: expecting non-empty values field: spec.tasks[0].when[0]'],
    [
      'CEL without its flag',
      { tasks: [t('a', { when: [{ cel: "'a' == 'a'" }] })] },
      "feature flag enable-cel-in-whenexpression should be set to true to use CEL: 'a' == 'a' in WhenExpression: spec.tasks[0].when[0]",
    ],
    [
      'a pipeline result without a task result',
      { tasks: [t('a')], results: [{ name: 'r', value: 'plain' }] },
      'invalid value: expected pipeline results to be task result expressions but no expressions were found: spec.results[0].value',
    ],
    [
      'a param in both params and matrix',
      { tasks: [t('a', { params: [{ name: 'x', value: 'a' }], matrix: { params: [{ name: 'x', value: ['a', 'b'] }] } })] },
      'expected exactly one, got both: spec.tasks[0].matrix[x], spec.tasks[0].params[x]',
    ],
    [
      'a matrix over the limit',
      {
        tasks: [
          t('a', {
            matrix: {
              params: [
                { name: 'x', value: Array.from({ length: 20 }, (_, i) => `${i}`) },
                { name: 'y', value: Array.from({ length: 15 }, (_, i) => `${i}`) },
              ],
            },
          }),
        ],
      },
      'expected 0 <= 300 <= 256: spec.tasks[0].matrix',
    ],
    [
      'onError continue with retries',
      { tasks: [t('a', { onError: 'continue', retries: 1 })] },
      'PipelineTask OnError cannot be set to "continue" when Retries is greater than 0: ',
    ],
    [
      'an unknown onError',
      { tasks: [t('a', { onError: 'bogus' })] },
      'invalid value: bogus: spec.tasks[0].OnError\nPipelineTask OnError must be either "continue" or "stopAndFail"',
    ],
    ['onError from a param', { params: [{ name: 'e' }], tasks: [t('a', { onError: '$(params.e)', retries: 1 })] }, undefined],
    [
      'a workspace bound twice',
      {
        workspaces: [{ name: 'w' }],
        tasks: [
          t('a', {
            workspaces: [
              { name: 'src', workspace: 'w' },
              { name: 'src', workspace: 'w' },
            ],
          }),
        ],
      },
      'invalid value: workspace name "src" must be unique: spec.tasks[0].workspaces[1]',
    ],
    [
      'an undeclared pipeline workspace',
      { tasks: [t('a', { workspaces: [{ name: 'src', workspace: 'nope' }] })] },
      'invalid value: pipeline task "a" expects workspace with name "nope" but none exists in pipeline spec: spec.tasks[0].workspaces[0]',
    ],
    // validateTask: an embedded taskSpec is a TaskSpec; a standalone Pipeline's inline steps may use only
    // their taskSpec's and the Pipeline's params (validateUsageOfDeclaredPipelineTaskParameters; no `taskSpec` in the path).
    ['an invalid embedded taskSpec', { tasks: [{ name: 'a', taskSpec: { steps: [] } }] }, 'missing field(s): spec.tasks[0].taskSpec.steps'],
    [
      'an undeclared param in an inline step',
      {
        params: [{ name: 'p' }],
        tasks: [{ name: 'a', taskSpec: { params: [{ name: 't' }], steps: [{ image: 'alpine', script: 'echo $(params.p) $(params.t) $(params.nope)' }] } }],
      },
      'non-existent variable in "echo $(params.p) $(params.t) $(params.nope)": spec.tasks[0].steps[0].script',
    ],
    ['a custom task spec is not a TaskSpec', { tasks: [{ name: 'a', taskSpec: { apiVersion: 'example.dev/v1', kind: 'Example', spec: {} } }] }, undefined],
    [
      'an undeclared pipeline param',
      { tasks: [t('a', { params: [{ name: 'x', value: '$(params.nope)' }] })] },
      'non-existent variable in "$(params.nope)": spec.tasks[0].params[x].value',
    ],
  ];
  for (const [what, spec, want] of cases) {
    it(`for ${what}`, () => assert.equal(validatePipeline(pipeline(spec), config)?.toString(), want));
  }
});

describe('beta gates match pipeline_validation.go and pipelinerun_validation.go', () => {
  const stable = buildConfig([{ 'enable-api-fields': 'stable' }], []).config;
  const gate = (f: string) => `${f} requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": `;
  it('gates onError, taskRef resolvers and matrix', () => {
    const spec = {
      tasks: [
        t('a', { onError: 'continue' }),
        { name: 'b', taskRef: { resolver: 'git', params: [{ name: 'url', value: 'x' }] } },
        t('c', { matrix: { params: [{ name: 'x', value: ['1'] }] } }),
      ],
    };
    assert.equal(validatePipeline(pipeline(spec), stable)?.toString(), [gate('OnError'), gate('matrix'), gate('taskref.params'), gate('taskref.resolver')].join('\n'));
    assert.equal(validatePipeline(pipeline(spec), config), undefined);
  });
  it('does not gate an empty matrix (IsMatrixed) or a param-driven onError', () => {
    assert.equal(validatePipeline(pipeline({ params: [{ name: 'e' }], tasks: [t('a', { matrix: {}, onError: '$(params.e)' })] }), stable), undefined);
  });
  it('gates stepSpecs, sidecarSpecs and computeResources in taskRunSpecs', () => {
    const pr = run({
      pipelineRef: { name: 'p' },
      taskRunSpecs: [{ pipelineTaskName: 'a', stepSpecs: [{ name: 's', computeResources: {} }], sidecarSpecs: [{ name: 'c', computeResources: {} }], computeResources: {} }],
    });
    assert.equal(validatePipelineRun(pr, stable)?.toString(), [gate('computeResources'), gate('sidecarSpecs'), gate('stepSpecs')].join('\n'));
    assert.equal(validatePipelineRun(pr, config), undefined);
  });
});

describe("validatePipelineRun gives Tekton's messages", () => {
  const cases: [string, PipelineRun['spec'], string | undefined][] = [
    ['neither ref nor spec', {}, 'expected exactly one, got neither: spec.pipelineRef, spec.pipelineSpec'],
    [
      'a bad status',
      { pipelineRef: { name: 'p' }, status: 'Foo' },
      'invalid value: Foo should be Cancelled, CancelledRunFinally, StoppedRunFinally or PipelineRunPending: spec.status',
    ],
    [
      'tasks longer than pipeline',
      { pipelineRef: { name: 'p' }, timeouts: { pipeline: '1h', tasks: '2h' } },
      'invalid value: 2h0m0s should be <= pipeline duration: spec.timeouts.tasks',
    ],
    [
      'tasks + finally longer than pipeline',
      { pipelineRef: { name: 'p' }, timeouts: { pipeline: '1h', tasks: '40m', finally: '30m' } },
      'invalid value: 40m0s + 30m0s should be <= pipeline duration: spec.timeouts.finally, spec.timeouts.tasks',
    ],
    [
      'a taskRunSpec longer than pipeline',
      { pipelineRef: { name: 'p' }, timeouts: { pipeline: '1h' }, taskRunSpecs: [{ pipelineTaskName: 'a', timeout: '2h' }] },
      'invalid value: 2h0m0s should be <= pipeline duration 1h0m0s: spec.taskRunSpecs[0].timeout',
    ],
    ['an inline spec with a cycle', { pipelineSpec: { tasks: [t('a', { runAfter: ['a'] })] } }, 'invalid value: cycle detected; task "a" depends on "a": spec.pipelineSpec.tasks'],
    // Only a standalone Pipeline must declare the workspaces and params its tasks use (Pipeline.Validate);
    // an inline pipelineSpec gets them from the PipelineRun.
    [
      'an inline spec using run workspaces and params',
      {
        pipelineSpec: { tasks: [t('a', { workspaces: [{ name: 'shared-data' }], params: [{ name: 'x', value: '$(params.from-run)' }] })] },
        params: [{ name: 'from-run', value: 'v' }],
        workspaces: [{ name: 'shared-data', emptyDir: {} }],
      },
      undefined,
    ],
  ];
  for (const [what, spec, want] of cases) {
    it(`for ${what}`, () => assert.equal(validatePipelineRun(run(spec), config)?.toString(), want));
  }
});
