import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pipeline, PipelineTask } from '../api/index.ts';
import { defaultConfig, type Config } from '../config/index.ts';
import { validatePipeline } from './pipeline.ts';

const withApiFields = (v: Config['featureFlags']['enableApiFields']): Config => {
  const c = defaultConfig();
  c.featureFlags.enableApiFields = v;
  return c;
};
const alpha = withApiFields('alpha');
const t = (name: string, extra: Partial<PipelineTask> = {}): PipelineTask => ({ name, taskRef: { name: 'echo' }, ...extra });
const child = (name: string, extra: Partial<PipelineTask> = {}): PipelineTask => ({ name, pipelineRef: { name: 'child' }, ...extra });
const pipeline = (spec: Pipeline['spec']): Pipeline => ({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name: 'p' }, spec });
const check = (spec: Pipeline['spec'], config: Config) => validatePipeline(pipeline(spec), config)?.toString();

describe('pipelineRef/pipelineSpec tasks are alpha (pipeline_validation.go validateRefOrSpec)', () => {
  it('accepts both with enable-api-fields alpha', () => {
    assert.equal(check({ tasks: [child('a'), t('b', { pipelineRef: undefined, taskRef: undefined, pipelineSpec: { tasks: [t('x')] } })] }, alpha), undefined);
  });

  for (const gate of ['beta', 'stable'] as const) {
    it(`refuses pipelineRef with "${gate}" with Tekton's path-less message`, () => {
      assert.equal(check({ tasks: [child('a')] }, withApiFields(gate)), `pipelineRef requires "enable-api-fields" feature gate to be "alpha" but it is "${gate}": `);
    });
    it(`refuses pipelineSpec with "${gate}"`, () => {
      assert.equal(
        check({ tasks: [{ name: 'a', pipelineSpec: { tasks: [t('x')] } }] }, withApiFields(gate)),
        `pipelineSpec requires "enable-api-fields" feature gate to be "alpha" but it is "${gate}": `,
      );
    });
  }

  it('names only taskRef and taskSpec when none is set and alpha is off', () => {
    assert.equal(check({ tasks: [{ name: 'a' }] }, withApiFields('beta')), 'expected exactly one, got neither: spec.tasks[0].taskRef, spec.tasks[0].taskSpec');
  });
  it('names all four when none is set and alpha is on', () => {
    assert.equal(
      check({ tasks: [{ name: 'a' }] }, alpha),
      'expected exactly one, got neither: spec.tasks[0].pipelineRef, spec.tasks[0].pipelineSpec, spec.tasks[0].taskRef, spec.tasks[0].taskSpec',
    );
  });
  it('refuses a task and a pipeline together', () => {
    assert.equal(check({ tasks: [child('a', { taskRef: { name: 'echo' } })] }, alpha), 'expected exactly one, got multiple: spec.tasks[0].pipelineRef, spec.tasks[0].taskRef');
    assert.equal(
      check({ tasks: [child('a', { pipelineSpec: { tasks: [t('x')] } })] }, alpha),
      'expected exactly one, got multiple: spec.tasks[0].pipelineRef, spec.tasks[0].pipelineSpec',
    );
  });
  it('validates the embedded child spec under its path', () => {
    assert.equal(
      check({ tasks: [{ name: 'a', pipelineSpec: { tasks: [t('x', { runAfter: ['x'] })] } }] }, alpha),
      'invalid value: cycle detected; task "x" depends on "x": spec.tasks[0].pipelineSpec.tasks',
    );
    assert.equal(
      check({ tasks: [{ name: 'a', pipelineSpec: { tasks: [{ name: 'x' }] } }] }, alpha),
      'expected exactly one, got neither: spec.tasks[0].pipelineSpec.tasks[0].pipelineRef, spec.tasks[0].pipelineSpec.tasks[0].pipelineSpec, spec.tasks[0].pipelineSpec.tasks[0].taskRef, spec.tasks[0].pipelineSpec.tasks[0].taskSpec',
    );
  });
  it('wants a name (or a resolver) in pipelineRef', () => {
    assert.equal(check({ tasks: [{ name: 'a', pipelineRef: {} }] }, alpha), 'missing field(s): spec.tasks[0].pipelineRef.name');
  });
  it('honours disable-inline-spec "pipeline"', () => {
    const c = withApiFields('alpha');
    c.featureFlags.disableInlineSpec = ['pipeline'];
    assert.equal(check({ tasks: [{ name: 'a', pipelineSpec: { tasks: [t('x')] } }] }, c), 'must not set the field(s): spec.tasks[0].pipelineSpec');
  });
});

describe('results of a child Pipeline are not propagated (validatePipelineRefResultReferencesDisallowed)', () => {
  const msg = (task: string, path: string) =>
    `invalid value: result reference to pipelineTask "${task}" is not supported: referenced task uses pipelineRef or pipelineSpec and result propagation from child Pipelines is not yet implemented: ${path}`;
  it('refuses a param taking a child result', () => {
    assert.equal(check({ tasks: [child('c'), t('b', { params: [{ name: 'x', value: '$(tasks.c.results.out)' }] })] }, alpha), msg('c', 'spec.tasks[1]'));
  });
  it('refuses a when over a child result, in finally too', () => {
    assert.equal(
      check({ tasks: [child('c')], finally: [t('f', { when: [{ input: '$(tasks.c.results.out)', operator: 'in', values: ['x'] }] })] }, alpha),
      msg('c', 'spec.finally[0]'),
    );
  });
  it('allows the status of a child in finally, and results of ordinary tasks', () => {
    assert.equal(
      check(
        {
          tasks: [child('c'), t('a'), t('b', { params: [{ name: 'x', value: '$(tasks.a.results.out)' }] })],
          finally: [t('f', { params: [{ name: 's', value: '$(tasks.c.status)' }] })],
        },
        alpha,
      ),
      undefined,
    );
  });
});
