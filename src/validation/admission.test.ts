import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Pipeline, PipelineRun, StepAction, Task, TaskRun } from '../api/index.ts';
import { buildConfig, defaultConfig } from '../config/index.ts';
import { localResolver } from '../resolution/index.ts';
import { openMemoryStore } from '../store/index.ts';
import { admit, batchResolver, setDefaults } from './index.ts';

const config = defaultConfig();
const meta = (name: string) => ({ name, namespace: 'default' });
const task: Task = {
  apiVersion: 'tekton.dev/v1',
  kind: 'Task',
  metadata: meta('greet'),
  spec: { params: [{ name: 'who' }], steps: [{ image: 'alpine', script: 'echo $(params.who)' }] },
};
const taskRun = (spec: Partial<TaskRun['spec']>): TaskRun => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: meta('tr'), spec: spec as TaskRun['spec'] });
const pipelineRun = (spec: Partial<PipelineRun['spec']>): PipelineRun => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'PipelineRun',
  metadata: meta('pr'),
  spec: spec as PipelineRun['spec'],
});
const messages = (r: { ok: boolean; error?: { merged(): { message: string; paths: string[] }[] } }) =>
  r.ok ? [] : r.error!.merged().map((e) => `${e.paths.join(', ')}: ${e.message}`);
const nothing = batchResolver([]);

describe('setDefaults (the mutating half of the webhook)', () => {
  it('gives a TaskRun its timeout, managed-by label and taskRef kind', () => {
    const tr = setDefaults(taskRun({ taskRef: { name: 'greet' } }), config);
    assert.equal(tr.spec.timeout, '1h0m0s');
    assert.equal(tr.spec.taskRef?.kind, 'Task');
    assert.equal(tr.metadata.labels?.['app.kubernetes.io/managed-by'], 'tekton-pipelines');
  });

  it('gives a PipelineRun spec.timeouts.pipeline from default-timeout-minutes, keeping its other timeouts', () => {
    const custom = buildConfig([], [{ 'default-timeout-minutes': '15' }]).config;
    const pr = setDefaults(pipelineRun({ pipelineRef: { name: 'p' }, timeouts: { tasks: '5m' } }), custom);
    assert.deepEqual(pr.spec.timeouts, { tasks: '5m', pipeline: '15m0s' });
    assert.deepEqual(setDefaults(pipelineRun({ pipelineRef: { name: 'p' }, timeouts: { pipeline: '2h' } }), custom).spec.timeouts, { pipeline: '2h' });
  });

  it("types a Pipeline's params and its tasks' inline params, and gives taskRefs kind Task", () => {
    const p: Pipeline = {
      apiVersion: 'tekton.dev/v1',
      kind: 'Pipeline',
      metadata: meta('p'),
      spec: {
        params: [{ name: 'list', default: ['a'] }],
        tasks: [
          { name: 'a', taskRef: { name: 'greet' } },
          { name: 'b', taskSpec: { params: [{ name: 'x' }], steps: [{ image: 'alpine' }] } },
        ],
      },
    };
    const out = setDefaults(p, config);
    assert.equal(out.spec.params?.[0]?.type, 'array');
    assert.equal(out.spec.tasks?.[0]?.taskRef?.kind, 'Task');
    assert.equal(out.spec.tasks?.[1]?.taskSpec?.params?.[0]?.type, 'string');
    assert.equal(p.spec.params?.[0]?.type, undefined, 'the input is not changed');
  });

  it("types a StepAction's params and results", () => {
    const sa = {
      apiVersion: 'tekton.dev/v1beta1',
      kind: 'StepAction',
      metadata: meta('sa'),
      spec: { image: 'alpine', params: [{ name: 'p' }], results: [{ name: 'r' }] },
    } as StepAction;
    const out = setDefaults(sa, config) as StepAction;
    assert.deepEqual([out.spec.params?.[0]?.type, out.spec.results?.[0]?.type], ['string', 'string']);
  });
});

describe('admit', () => {
  it('returns the defaulted object when it is valid', async () => {
    const r = await admit(pipelineRun({ pipelineSpec: { tasks: [{ name: 't', taskSpec: { steps: [{ image: 'alpine' }] } }] } }), config, nothing);
    assert.equal(r.ok && r.object.spec.timeouts?.pipeline, '1h0m0s');
  });

  it("refuses invalid objects with Tekton's message and path", async () => {
    assert.deepEqual(messages(await admit(taskRun({}), config, nothing)), ['spec.taskRef, spec.taskSpec: expected exactly one, got neither']);
  });

  it('refuses a taskRef, pipelineRef or step ref that names nothing', async () => {
    assert.deepEqual(messages(await admit(taskRun({ taskRef: { name: 'nope' } }), config, nothing)), ['spec.taskRef.name: tasks.tekton.dev "nope" not found']);
    assert.deepEqual(messages(await admit(pipelineRun({ pipelineRef: { name: 'nope' } }), config, nothing)), ['spec.pipelineRef.name: pipelines.tekton.dev "nope" not found']);
    const withRef = taskRun({ taskSpec: { steps: [{ ref: { name: 'gone' } }] } });
    assert.deepEqual(messages(await admit(withRef, config, nothing)), ['spec.taskSpec.steps[0].ref.name: stepactions.tekton.dev "gone" not found']);
  });

  it('leaves remote (resolver) references to resolution', async () => {
    assert.equal((await admit(taskRun({ taskRef: { resolver: 'git' } }), config, nothing)).ok, true);
  });

  it('finds a referenced Task among the objects admitted with it and checks the params against it', async () => {
    const batch = batchResolver([task]);
    assert.deepEqual(messages(await admit(taskRun({ taskRef: { name: 'greet' }, params: [{ name: 'who', value: 'me' }] }), config, batch)), []);
    // The reconciler's message, which has no field path (validateTaskRunParams).
    assert.deepEqual(messages(await admit(taskRun({ taskRef: { name: 'greet' } }), config, batch)), [': missing values for these params which have no default values: [who]']);
  });

  it('finds a referenced Task in the object store, through localResolver', async () => {
    const store = openMemoryStore();
    assert.equal((await store.create(task as never)).ok, true);
    const r = await admit(taskRun({ taskRef: { name: 'greet' }, params: [{ name: 'who', value: 'me' }] }), config, batchResolver([], localResolver(store)));
    assert.equal(r.ok, true);
    const other = await admit({ ...taskRun({ taskRef: { name: 'greet' } }), metadata: { name: 'tr', namespace: 'elsewhere' } }, config, localResolver(store));
    assert.deepEqual(messages(other), ['spec.taskRef.name: tasks.tekton.dev "greet" not found'], 'references stay in their namespace');
    await store.close();
  });
});
