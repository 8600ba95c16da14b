import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { formatProblem, loadYaml, toV1beta1 } from '../load/index.ts';
import type { TaskRun, PipelineRun } from '../v1/index.ts';

const TASKRUN = `apiVersion: tekton.dev/v1beta1
kind: TaskRun
metadata:
  name: tr
  namespace: default
spec:
  serviceAccountName: builder
  stepOverrides:
  - name: build
    resources: {limits: {memory: 1Gi}}
  taskSpec:
    stepTemplate:
      resources: {requests: {cpu: 100m}}
    steps:
    - name: build
      image: alpine
      resources: {limits: {cpu: "1"}}
    sidecars:
    - name: db
      image: postgres
      resources: {limits: {cpu: "2"}}
`;

const PIPELINERUN = `apiVersion: tekton.dev/v1beta1
kind: PipelineRun
metadata:
  name: pr
  namespace: default
spec:
  serviceAccountName: sa
  podTemplate: {securityContext: {runAsNonRoot: true}}
  taskRunSpecs:
  - pipelineTaskName: build
    taskServiceAccountName: builder
    taskPodTemplate: {hostNetwork: true}
    stepOverrides:
    - {name: s, resources: {limits: {cpu: "1"}}}
  pipelineSpec:
    tasks:
    - name: build
      taskSpec:
        steps:
        - {name: s, image: alpine, resources: {limits: {cpu: "1"}}}
    - name: lint
      taskRef: {name: lint}
`;

function loadOne(text: string) {
  const r = loadYaml(text, 'f.yaml');
  assert.deepEqual(r.problems.map(formatProblem), []);
  return r.objects[0];
}

describe('v1beta1 conversion', () => {
  it('converts a v1beta1 TaskRun to v1 (resources → computeResources, stepOverrides → stepSpecs)', () => {
    const o = loadOne(TASKRUN.replace('      image: alpine\n', '      image: alpine\n      ports: [{containerPort: 80}]\n      readinessProbe: {}\n'));
    assert.equal(o.sourceApiVersion, 'tekton.dev/v1beta1');
    assert.deepEqual(o.object, {
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: { name: 'tr', namespace: 'default' },
      spec: {
        serviceAccountName: 'builder',
        stepSpecs: [{ name: 'build', computeResources: { limits: { memory: '1Gi' } } }],
        taskSpec: {
          stepTemplate: { computeResources: { requests: { cpu: '100m' } } },
          steps: [{ name: 'build', image: 'alpine', computeResources: { limits: { cpu: '1' } } }],
          sidecars: [{ name: 'db', image: 'postgres', computeResources: { limits: { cpu: '2' } } }],
        },
      },
    });
    assert.deepEqual(o.locate('spec.taskSpec.steps[0].computeResources.limits'), { file: 'f.yaml', line: 19, col: 19 });
  });

  it('converts a v1beta1 PipelineRun to v1 (taskRunTemplate, timeouts, taskRunSpecs)', () => {
    const o = loadOne(`${PIPELINERUN}  timeout: 1h\n`);
    assert.deepEqual((o.object as PipelineRun).spec, {
      pipelineSpec: {
        tasks: [
          { name: 'build', taskSpec: { steps: [{ name: 's', image: 'alpine', computeResources: { limits: { cpu: '1' } } }] } },
          { name: 'lint', taskRef: { name: 'lint' } },
        ],
      },
      timeouts: { pipeline: '1h' },
      taskRunTemplate: { podTemplate: { securityContext: { runAsNonRoot: true } }, serviceAccountName: 'sa' },
      taskRunSpecs: [
        {
          pipelineTaskName: 'build',
          serviceAccountName: 'builder',
          podTemplate: { hostNetwork: true },
          stepSpecs: [{ name: 's', computeResources: { limits: { cpu: '1' } } }],
        },
      ],
    });
    assert.deepEqual(o.locate('spec.taskRunTemplate.serviceAccountName'), { file: 'f.yaml', line: 7, col: 3 });
    assert.deepEqual(o.locate('spec.timeouts.pipeline'), { file: 'f.yaml', line: 23, col: 3 });
  });

  it('turns taskRef.bundle and pipelineRef.bundle into the bundles resolver', () => {
    const tr = loadOne(TASKRUN.replace(/ {2}taskSpec:[\s\S]*/, '  taskRef: {name: build, bundle: "reg.io/t:1"}\n'));
    assert.deepEqual((tr.object as TaskRun).spec.taskRef, {
      resolver: 'bundles',
      params: [
        { name: 'bundle', value: 'reg.io/t:1' },
        { name: 'name', value: 'build' },
        { name: 'kind', value: 'Task' },
      ],
    });
    const pr = loadOne('apiVersion: tekton.dev/v1beta1\nkind: PipelineRun\nmetadata: {name: p}\nspec:\n  pipelineRef: {name: p, bundle: "reg.io/p:1"}\n');
    assert.deepEqual((pr.object as PipelineRun).spec.pipelineRef, {
      resolver: 'bundles',
      params: [
        { name: 'bundle', value: 'reg.io/p:1' },
        { name: 'name', value: 'p' },
        { name: 'kind', value: 'Pipeline' },
      ],
    });
  });

  it('reports PipelineResources and unknown v1beta1 fields at the paths the user wrote', () => {
    const text = `${TASKRUN}  resources:\n    inputs: []\n---\n${PIPELINERUN.replace('      taskRef: {name: lint}', '      taskRef: {name: lint}\n      resources: {}')}---\n${TASKRUN.replace('      image: alpine', '      image: alpine\n      stepTemplate: {}')}`;
    assert.deepEqual(loadYaml(text, 'f.yaml').problems.map(formatProblem), [
      'spec.resources: PipelineResources are not supported: they were removed from Tekton (use workspaces, params and results instead) (f.yaml:22:3)',
      'spec.pipelineSpec.tasks[1].resources: PipelineResources are not supported: they were removed from Tekton (use workspaces, params and results instead) (f.yaml:47:7)',
      'spec.taskSpec.steps[0]: unknown field "stepTemplate" (f.yaml:65:7)',
    ]);
  });
});

describe('toV1beta1', () => {
  it('round-trips a v1beta1 TaskRun and PipelineRun back to what the user wrote', () => {
    for (const text of [TASKRUN, PIPELINERUN]) {
      assert.deepEqual(toV1beta1(loadOne(text).object as TaskRun), parse(text, { version: '1.1' }));
    }
  });

  it('renames run status results to taskResults and pipelineResults', () => {
    const tr = loadOne(TASKRUN).object as TaskRun;
    tr.status = {
      results: [{ name: 'r', type: 'string', value: 'v' }],
      taskSpec: { steps: [{ name: 'build', image: 'alpine', computeResources: { limits: { cpu: '1' } } }] },
    };
    assert.deepEqual(toV1beta1(tr).status, {
      taskResults: [{ name: 'r', type: 'string', value: 'v' }],
      taskSpec: { steps: [{ name: 'build', image: 'alpine', resources: { limits: { cpu: '1' } } }] },
    });
    const pr = loadOne(PIPELINERUN).object as PipelineRun;
    pr.status = { results: [{ name: 'out', value: 'x' }], childReferences: [] };
    assert.deepEqual(toV1beta1(pr).status, { pipelineResults: [{ name: 'out', value: 'x' }], childReferences: [] });
  });

  it('leaves core objects unchanged', () => {
    const cm = loadOne('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n').object;
    assert.deepEqual(toV1beta1(cm as never), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' } });
  });
});
