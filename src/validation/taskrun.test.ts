import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskRun, TaskRunSpec } from '../api/index.ts';
import { buildConfig, defaultConfig, type Config } from '../config/index.ts';
import { validateTaskRun } from './index.ts';

const stable = buildConfig([{ 'enable-api-fields': 'stable' }], []).config;
const run = (spec: Partial<TaskRunSpec>): TaskRun => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'tr' }, spec: spec as TaskRunSpec });
const taskSpec = { steps: [{ image: 'alpine', script: 'echo $(params.p)' }] };
const ref = { taskRef: { name: 't' } };

const cases: { name: string; spec: Partial<TaskRunSpec>; config?: Config; want: string }[] = [
  { name: 'a TaskRun needs a taskRef or a taskSpec', spec: {}, want: 'expected exactly one, got neither: spec.taskRef, spec.taskSpec' },
  {
    name: 'a TaskRun may not have both a taskRef and a taskSpec',
    spec: { taskRef: { name: 't' }, taskSpec: { steps: [{ image: 'alpine' }] } },
    want: 'expected exactly one, got both: spec.taskRef, spec.taskSpec',
  },
  { name: 'a taskRef without a name or resolver is missing its name', spec: { taskRef: {} }, want: 'missing field(s): spec.taskRef.name' },
  {
    name: 'resolvers are beta',
    spec: { taskRef: { resolver: 'git' } },
    config: stable,
    want: 'resolver requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": ',
  },
  {
    name: 'resolver params need a resolver',
    spec: { taskRef: { params: [{ name: 'url', value: 'x' }] } },
    want: 'missing field(s): spec.taskRef.resolver',
  },
  {
    name: 'inline taskSpec errors are under spec.taskSpec',
    spec: { taskSpec: { steps: [{ name: 'a' }] } },
    want: 'missing field(s): spec.taskSpec.steps[0].Image',
  },
  { name: 'an inline taskSpec may use a param the run propagates', spec: { params: [{ name: 'p', value: 'v' }], taskSpec }, want: '' },
  {
    name: 'an inline taskSpec using a param nobody provides is reported at spec level',
    spec: { taskSpec },
    want: 'non-existent variable in "echo $(params.p)": spec.steps[0].script',
  },
  {
    name: 'disable-inline-spec=taskrun forbids spec.taskSpec',
    spec: { params: [{ name: 'p', value: 'v' }], taskSpec },
    config: buildConfig([{ 'disable-inline-spec': 'pipeline,taskrun' }], []).config,
    want: 'must not set the field(s): spec.taskSpec',
  },
  {
    name: 'a param given twice (any case) is reported by key',
    spec: {
      ...ref,
      params: [
        { name: 'a', value: '1' },
        { name: 'A', value: '2' },
      ],
    },
    want: 'expected exactly one, got both: spec.params[A].name',
  },
  {
    name: 'an unknown spec.status is rejected',
    spec: { ...ref, status: 'Cancelled' },
    want: 'invalid value: Cancelled should be TaskRunCancelled or TaskRunPending: spec.status',
  },
  { name: 'TaskRunCancelled is a valid status', spec: { ...ref, status: 'TaskRunCancelled' }, want: '' },
  {
    name: 'a statusMessage needs a status',
    spec: { ...ref, statusMessage: 'why' },
    want: 'invalid value: statusMessage should not be set if status is not set, but it is currently set to why: spec.statusMessage',
  },
  { name: 'a negative timeout is rejected in Go duration text', spec: { ...ref, timeout: '-90s' }, want: 'invalid value: -1m30s should be >= 0: spec.timeout' },
  {
    name: 'a timeout that is not a Go duration is an invalid value',
    spec: { ...ref, timeout: '1 hour' },
    want: 'invalid value: 1 hour: spec.timeout\ntime: unknown unit " hour" in duration "1 hour"',
  },
  { name: 'negative retries are rejected', spec: { ...ref, retries: -1 }, want: 'invalid value: -1 should be >= 0: spec.retries' },
  {
    name: 'a workspace binding without a volume source names all sources',
    spec: { ...ref, workspaces: [{ name: 'w' }] },
    want: 'expected exactly one, got neither: spec.workspaces[0].configmap, spec.workspaces[0].emptydir, spec.workspaces[0].persistentvolumeclaim, spec.workspaces[0].secret, spec.workspaces[0].volumeclaimtemplate',
  },
  {
    name: 'a workspace binding with two sources is rejected',
    spec: { ...ref, workspaces: [{ name: 'w', emptyDir: {}, secret: { secretName: 's' } }] },
    want: 'expected exactly one, got both: spec.workspaces[0].configmap, spec.workspaces[0].emptydir, spec.workspaces[0].persistentvolumeclaim, spec.workspaces[0].secret, spec.workspaces[0].volumeclaimtemplate',
  },
  {
    name: 'a configMap binding needs a name',
    spec: { ...ref, workspaces: [{ name: 'w', configMap: {} }] },
    want: 'missing field(s): spec.workspaces[0].configmap.name',
  },
  {
    name: 'two bindings with one name are reported by index',
    spec: {
      ...ref,
      workspaces: [
        { name: 'w', emptyDir: {} },
        { name: 'w', emptyDir: {} },
      ],
    },
    want: 'expected exactly one, got both: spec.workspaces[1].name',
  },
  {
    name: 'debug is alpha',
    spec: { ...ref, debug: { breakpoints: { onFailure: 'enabled' } } },
    want: 'debug requires "enable-api-fields" feature gate to be "alpha" but it is "beta": ',
  },
  {
    name: 'stepSpecs are beta and need names',
    spec: { ...ref, stepSpecs: [{ name: '', computeResources: {} }] },
    config: stable,
    want: 'missing field(s): spec.stepSpecs[0].name\nstepSpecs requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": ',
  },
  {
    name: 'computeResources cannot be combined with step resources',
    spec: { ...ref, computeResources: { limits: { cpu: '1' } }, stepSpecs: [{ name: 's', computeResources: { limits: { cpu: '1' } } }] },
    want: 'expected exactly one, got both: spec.computeResources, spec.stepSpecs.resources',
  },
  {
    name: 'a podTemplate may not set a forbidden env',
    spec: { ...ref, podTemplate: { env: [{ name: 'HOME', value: '/x' }] } },
    config: buildConfig([], [{ 'default-forbidden-env': 'HOME, PATH' }]).config,
    want: 'invalid value: PodTemplate cannot update a forbidden env: HOME: spec.PodTemplate.Env',
  },
];

describe('validateTaskRun', () => {
  for (const c of cases) {
    it(c.name, () => {
      const err = validateTaskRun(run(c.spec), c.config ?? defaultConfig());
      assert.equal(err?.toString() ?? '', c.want);
    });
  }
});
