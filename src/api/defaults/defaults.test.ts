import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PipelineRun, TaskRun, TaskSpec } from '../v1/index.ts';
import { buildConfig, defaultConfig } from '../../config/index.ts';
import { setPipelineRunDefaults, setTaskRunDefaults, setTaskSpecDefaults } from './index.ts';

describe('setTaskSpecDefaults', () => {
  it("infers param types in Tekton's order and types results and properties", () => {
    const spec: TaskSpec = {
      params: [
        { name: 'explicit', type: 'array' },
        { name: 'props', properties: { k: {} } },
        { name: 'none' },
        { name: 'arr', default: ['a'] },
        { name: 'obj', default: { k: 'v' } },
        { name: 'str', default: 'x' },
      ],
      results: [{ name: 'r' }, { name: 'o', properties: { k: {} } }],
      steps: [{ image: 'alpine', results: [{ name: 'sr' }] }],
    };
    const out = setTaskSpecDefaults(spec);
    assert.deepEqual(
      out.params!.map((p) => [p.name, p.type]),
      [
        ['explicit', 'array'],
        ['props', 'object'],
        ['none', 'string'],
        ['arr', 'array'],
        ['obj', 'object'],
        ['str', 'string'],
      ],
    );
    assert.deepEqual(out.params![1].properties, { k: { type: 'string' } });
    assert.deepEqual(out.results, [
      { name: 'r', type: 'string' },
      { name: 'o', type: 'object', properties: { k: { type: 'string' } } },
    ]);
    assert.deepEqual(out.steps![0].results, [{ name: 'sr', type: 'string' }]);
    assert.equal(spec.params![2].type, undefined, 'the input is not modified');
  });
});

describe('setTaskRunDefaults', () => {
  const tr: TaskRun = {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: { name: 'tr', annotations: { 'results.tekton.dev/x': 'y', keep: 'me' } },
    spec: { taskRef: { name: 't' } },
  };

  it('fills timeout, service account, managed-by label and taskRef kind like the webhook', () => {
    assert.deepEqual(setTaskRunDefaults(tr, defaultConfig()), {
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: { name: 'tr', annotations: { keep: 'me' }, labels: { 'app.kubernetes.io/managed-by': 'tekton-pipelines' } },
      spec: { taskRef: { name: 't', kind: 'Task' }, timeout: '1h0m0s', serviceAccountName: 'default' },
    });
  });

  it('keeps what the user set and renders a zero default timeout as 0s', () => {
    const config = buildConfig([], [{ 'default-timeout-minutes': '0' }]).config;
    const mine: TaskRun = { ...tr, metadata: { name: 'tr', labels: { 'app.kubernetes.io/managed-by': 'me' } }, spec: { taskRef: { resolver: 'git' }, serviceAccountName: 'sa' } };
    const out = setTaskRunDefaults(mine, config);
    assert.deepEqual(out.spec, { taskRef: { resolver: 'git' }, timeout: '0s', serviceAccountName: 'sa' });
    assert.deepEqual(out.metadata.labels, { 'app.kubernetes.io/managed-by': 'me' });
  });

  it('applies the default resolver, merges the default pod template and defaults an inline taskSpec', () => {
    const config = buildConfig([], [{ 'default-resolver-type': 'hub', 'default-pod-template': 'env:\n- name: A\n  value: d\n- name: B\n  value: d\n' }]).config;
    const out = setTaskRunDefaults({ ...tr, spec: { taskRef: {}, podTemplate: { env: [{ name: 'A', value: 'mine' }] } } }, config);
    assert.deepEqual(out.spec.taskRef, { resolver: 'hub' });
    assert.deepEqual(out.spec.podTemplate, {
      env: [
        { name: 'A', value: 'mine' },
        { name: 'B', value: 'd' },
      ],
    });
    const inline = setTaskRunDefaults({ ...tr, spec: { taskSpec: { params: [{ name: 'p' }], steps: [{ image: 'alpine' }] } } }, config);
    assert.deepEqual(inline.spec.taskSpec!.params, [{ name: 'p', type: 'string' }]);
  });
});

describe('setPipelineRunDefaults', () => {
  const pr: PipelineRun = { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name: 'pr' }, spec: { pipelineRef: { name: 'p' } } };

  it('sets timeouts.pipeline and the service account, and drops reserved annotations', () => {
    const config = buildConfig([], [{ 'default-timeout-minutes': '5', 'default-service-account': 'builder' }]).config;
    const out = setPipelineRunDefaults({ ...pr, metadata: { name: 'pr', annotations: { 'results.tekton.dev/x': 'y', mine: 'z' } } }, config);
    assert.deepEqual(out.spec.timeouts, { pipeline: '5m0s' });
    assert.deepEqual(out.spec.taskRunTemplate, { serviceAccountName: 'builder' });
    assert.deepEqual(out.metadata.annotations, { mine: 'z' });
    assert.equal(pr.spec.timeouts, undefined, 'the input is not changed');
  });

  it("applies the default resolver to a nameless pipelineRef and defaults an inline pipelineSpec's tasks", () => {
    const config = buildConfig([], [{ 'default-resolver-type': 'git' }]).config;
    assert.deepEqual(setPipelineRunDefaults({ ...pr, spec: { pipelineRef: {} } }, config).spec.pipelineRef, { resolver: 'git' });
    const inline = setPipelineRunDefaults(
      {
        ...pr,
        spec: {
          pipelineSpec: {
            tasks: [
              { name: 'a', taskRef: { name: 't' } },
              { name: 'b', taskRef: {} },
            ],
          },
        },
      },
      config,
    );
    assert.deepEqual(
      inline.spec.pipelineSpec!.tasks!.map((t) => t.taskRef),
      [{ name: 't', kind: 'Task' }, { resolver: 'git' }],
    );
  });
});
