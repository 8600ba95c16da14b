import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Task, TaskSpec } from '../api/index.ts';
import { buildConfig, defaultConfig, type Config } from '../config/index.ts';
import { validateTask } from './index.ts';

const stable = buildConfig([{ 'enable-api-fields': 'stable' }], []).config;
const alpha = buildConfig([{ 'enable-api-fields': 'alpha' }], []).config;
const task = (spec: Partial<TaskSpec>): Task => ({ apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name: 't' }, spec: spec as TaskSpec });
const step = { name: 's', image: 'alpine' };
const NAME_DETAILS =
  "Name must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$')";

const cases: { name: string; spec: Partial<TaskSpec>; config?: Config; want: string }[] = [
  { name: 'a Task without steps is missing spec.steps', spec: {}, want: 'missing field(s): spec.steps' },
  { name: 'a step without an image is missing a capital-I Image', spec: { steps: [{ name: 'a' }] }, want: 'missing field(s): spec.steps[0].Image' },
  {
    name: 'a stepTemplate image satisfies a step without one',
    spec: { stepTemplate: { image: 'alpine' }, steps: [{ name: 'a' }] },
    want: '',
  },
  {
    name: 'a repeated step name is an invalid value at the second step',
    spec: { steps: [step, step] },
    want: 'invalid value: s: spec.steps[1].name',
  },
  {
    name: 'a step name that is not a DNS label is explained with a link',
    spec: { steps: [{ name: 'Foo_Bar', image: 'alpine' }] },
    want: 'invalid value "Foo_Bar": spec.steps[0].name\nTask step name must be a valid DNS Label, For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
  },
  {
    name: 'script and command together are rejected at script',
    spec: { steps: [{ image: 'alpine', script: 'echo', command: ['sh'] }] },
    want: 'script cannot be used with command: spec.steps[0].script',
  },
  {
    name: 'an unknown onError value lists the allowed ones',
    spec: { steps: [{ image: 'alpine', onError: 'bogus' }] },
    want: 'invalid value: "bogus": spec.steps[0].onError\nTask step onError must be either "continue" or "stopAndFail"',
  },
  {
    name: 'onError may be a param reference',
    spec: { params: [{ name: 'e' }], steps: [{ image: 'alpine', onError: '$(params.e)' }] },
    want: '',
  },
  {
    name: 'a negative step timeout uses Tekton\'s "negative timeout" path',
    spec: { steps: [{ image: 'alpine', timeout: '-1s' }] },
    want: 'invalid value: -1s: spec.steps[0].negative timeout',
  },
  {
    name: 'a step timeout that is not a Go duration is an invalid value',
    spec: { steps: [{ image: 'alpine', timeout: '5 minutes' }] },
    want: 'invalid value: 5 minutes: spec.steps[0].timeout\ntime: unknown unit " minutes" in duration "5 minutes"',
  },
  {
    name: 'an undeclared param in a script is a non-existent variable',
    spec: { steps: [{ image: 'alpine', script: 'echo $(params.foo)' }] },
    want: 'non-existent variable in "echo $(params.foo)": spec.steps[0].script',
  },
  {
    name: 'undeclared params are found in args, env and volume mounts',
    spec: {
      steps: [
        {
          image: 'alpine',
          args: ['ok', '$(params.a)'],
          env: [{ name: 'E', value: '$(params.b)' }],
          volumeMounts: [{ name: 'v', mountPath: '/x/$(params.c)' }],
        },
      ],
    },
    want: [
      'non-existent variable in "$(params.a)": spec.steps[0].args[1]',
      'non-existent variable in "$(params.b)": spec.steps[0].env[E]',
      'non-existent variable in "/x/$(params.c)": spec.steps[0].volumeMount[0].MountPath',
    ].join('\n'),
  },
  {
    name: 'bracket and indexed references to declared params are accepted',
    spec: { params: [{ name: 'a.b' }, { name: 'arr', type: 'array' }], steps: [{ image: 'alpine', script: '$(params["a.b"]) $(params.arr[0])', args: ['$(params.arr[*])'] }] },
    want: '',
  },
  {
    name: 'a dotted name needs the bracket form',
    spec: { params: [{ name: 'a.b' }], steps: [{ image: 'alpine', script: 'echo $(params.a.b)' }] },
    want: 'non-existent variable in "echo $(params.a.b)": spec.steps[0].script',
  },
  {
    name: 'more than two dotted components is an invalid reference',
    spec: { params: [{ name: 'a' }], steps: [{ image: 'alpine', script: 'echo $(params.a.b.c)' }] },
    want: 'Invalid referencing of parameters in "echo $(params.a.b.c)"! Only two dot-separated components after the prefix "params" are allowed.: spec.steps[0].script',
  },
  {
    name: 'an array param inside a script is a type error',
    spec: { params: [{ name: 'arr', type: 'array' }], steps: [{ image: 'alpine', script: 'echo $(params.arr)' }] },
    want: 'variable type invalid in "echo $(params.arr)": spec.steps[0].script',
  },
  {
    name: 'an array param in args must stand alone',
    spec: { params: [{ name: 'arr', type: 'array' }], steps: [{ image: 'alpine', args: ['x $(params.arr[*])'] }] },
    want: 'variable is not properly isolated in "x $(params.arr[*])": spec.steps[0].args[0]',
  },
  {
    name: "array misuse in the first of two steps gets Tekton's doubled path",
    spec: { params: [{ name: 'arr', type: 'array' }], steps: [{ image: 'alpine', script: '$(params.arr)' }, { image: 'alpine' }] },
    want: 'variable type invalid in "$(params.arr)": spec.steps[1].steps[0].script',
  },
  {
    name: 'an unknown key of an object param is a non-existent variable',
    spec: { params: [{ name: 'o', properties: { k: {} } }], steps: [{ image: 'alpine', script: '$(params.o.k) $(params.o.nope)' }] },
    want: 'non-existent variable in "$(params.o.k) $(params.o.nope)": spec.steps[0].script',
  },
  {
    name: 'a whole object param in a script is a type error',
    spec: { params: [{ name: 'o', properties: { k: {} } }], steps: [{ image: 'alpine', script: 'echo $(params.o)' }] },
    want: 'variable type invalid in "echo $(params.o)": spec.steps[0].script',
  },
  {
    name: 'an explicit object param without properties is missing them',
    spec: { params: [{ name: 'o', type: 'object' }], steps: [step] },
    want: 'missing field(s): spec.o.properties',
  },
  {
    name: 'a default of another type does not match the declared type',
    spec: { params: [{ name: 'p', type: 'array', default: 'x' }], steps: [step] },
    want: '"array" type does not match default value\'s type: "string": spec.params.p.default.type, spec.params.p.type',
  },
  {
    name: 'a param declared twice appears more than once',
    spec: { params: [{ name: 'p' }, { name: 'p' }], steps: [step] },
    want: 'parameter appears more than once: spec.params[p]',
  },
  {
    name: 'param names must start with a letter or underscore',
    spec: { params: [{ name: '1bad' }], steps: [step] },
    want: 'The format of following array and string variable names is invalid: [1bad]: spec.params\nString/Array Names: \nMust only contain alphanumeric characters, hyphens (-), underscores (_), and dots (.)\nMust begin with a letter or an underscore (_)',
  },
  {
    name: 'object param names and keys may not contain dots',
    spec: { params: [{ name: 'o', properties: { 'a.b': {} } }], steps: [step] },
    want: 'Object param name and key name format is invalid: map[o:[a.b]]: spec.params\nObject Names: \nMust only contain alphanumeric characters, hyphens (-), underscores (_) \nMust begin with a letter or an underscore (_)',
  },
  {
    name: 'an enum needs the enable-param-enum flag',
    spec: { params: [{ name: 'p', enum: ['a'] }], steps: [step] },
    want: 'feature flag `enable-param-enum` should be set to true to use Enum: spec.params[p]',
  },
  {
    name: 'an enum default must be one of the values',
    spec: { params: [{ name: 'p', enum: ['a', 'b'], default: 'c' }], steps: [step] },
    config: buildConfig([{ 'enable-param-enum': 'true' }], []).config,
    want: 'param default value c not in the enum list: spec.params[p]',
  },
  {
    name: 'a result name with a space is an invalid key name',
    spec: { steps: [step], results: [{ name: 'bad result' }] },
    want: `invalid key name "bad result": spec.results[0].name\n${NAME_DETAILS}`,
  },
  {
    name: 'an undeclared result path in a script is a non-existent variable',
    spec: { steps: [{ image: 'alpine', script: 'echo > $(results.r.path)' }] },
    want: 'non-existent variable in "echo > $(results.r.path)": spec.steps[0].script',
  },
  {
    name: 'an unknown context variable is a non-existent variable',
    spec: { steps: [{ image: 'alpine', script: '$(context.taskRun.name) $(context.taskRun.bogus)' }] },
    want: 'non-existent variable in "$(context.taskRun.name) $(context.taskRun.bogus)": spec.steps[0].script',
  },
  {
    name: 'two workspaces with one name must be unique',
    spec: { steps: [step], workspaces: [{ name: 'w' }, { name: 'w', mountPath: '/other' }] },
    want: 'workspace name "w" must be unique: spec.workspaces[1].name',
  },
  {
    name: 'a workspace mount path may not clash with a step volume mount',
    spec: { steps: [{ ...step, volumeMounts: [{ name: 'v', mountPath: '/workspace/w/' }] }], workspaces: [{ name: 'w' }] },
    want: 'workspace mount path "/workspace/w" must be unique: spec.workspaces[0].mountpath',
  },
  {
    name: 'a step workspace must be declared by the Task',
    spec: { steps: [{ ...step, workspaces: [{ name: 'nope' }] }] },
    want: 'undefined workspace "nope": spec.steps[0].workspaces[0].name',
  },
  {
    name: 'step workspaces are a beta feature',
    spec: { steps: [{ ...step, workspaces: [{ name: 'w' }] }], workspaces: [{ name: 'w' }] },
    config: stable,
    want: 'step workspaces requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "stable": ',
  },
  {
    name: 'two volumes with one name are rejected',
    spec: {
      steps: [step],
      volumes: [
        { name: 'v', emptyDir: {} },
        { name: 'v', emptyDir: {} },
      ],
    },
    want: 'multiple volumes with same name "v": spec.volumes[1].name',
  },
  {
    name: 'the results sidecar name is reserved',
    spec: { steps: [step], sidecars: [{ name: 'tekton-log-results', image: 'alpine' }] },
    want: 'Invalid: cannot use reserved sidecar name tekton-log-results : spec.sidecars',
  },
  {
    name: 'mounting under /tekton/ is forbidden',
    spec: { steps: [{ ...step, volumeMounts: [{ name: 'v', mountPath: '/tekton/x' }] }] },
    want: 'volumeMount cannot be mounted under /tekton/ (volumeMount "v" mounted at "/tekton/x"): spec.steps[0].volumeMounts[0].mountPath',
  },
  {
    name: 'stdoutConfig needs alpha',
    spec: { steps: [{ ...step, stdoutConfig: { path: '/x' } }] },
    want: 'step stdout stream support requires "enable-api-fields" feature gate to be "alpha" but it is "beta": ',
  },
  { name: 'stdoutConfig is accepted under alpha', spec: { steps: [{ ...step, stdoutConfig: { path: '/x' } }] }, config: alpha, want: '' },
  // task_validation.go / result_validation.go at 3ee1745: no gate on object params, array/object results
  // or array indexing (the old ValidateBetaFields is gone); they are accepted under "stable".
  { name: 'array results need no gate', spec: { steps: [step], results: [{ name: 'r', type: 'array' }] }, config: stable, want: '' },
  {
    name: 'object params and results need no gate',
    spec: {
      params: [{ name: 'o', type: 'object', properties: { k: { type: 'string' } } }],
      steps: [{ ...step, args: ['$(params.o.k)'] }],
      results: [{ name: 'r', type: 'object', properties: { k: { type: 'string' } } }],
    },
    config: stable,
    want: '',
  },
  {
    name: 'indexing into array params needs no gate',
    spec: { params: [{ name: 'a', type: 'array' }], steps: [{ ...step, args: ['$(params.a[0])'] }] },
    config: stable,
    want: '',
  },
  {
    name: 'an object result still needs properties',
    spec: { steps: [step], results: [{ name: 'r', type: 'object' }] },
    config: stable,
    want: 'missing field(s): spec.results[0].r.properties',
  },
  {
    name: 'a result value must be a step result reference',
    spec: {
      steps: [step],
      results: [
        { name: 'r', value: 'x' },
        { name: 'q', value: '$(steps.Bad.results.ok)' },
      ],
    },
    want: [
      'Could not extract step name and result name. Expected value to look like $(steps.<stepName>.results.<resultName>) but got "x": spec.results[0].r.value',
      'invalid extracted step name "Bad": spec.results[1].q.value',
      'stepName in $(steps.<stepName>.results.<resultName>) must be a valid DNS Label, For more info refer to https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names',
    ].join('\n'),
  },
  {
    // substitution.go braceMatchingRegex (`$(results.` + lazy `.*?` + `)`) matches a shell expansion
    // inside the name, and the first dot-separated part ("digest-${i}") is not a declared result:
    // Tekton's webhook rejects Tekton's own no-ci/compressed-results-pipeline.yaml the same way.
    name: 'a shell variable inside a result reference is an unknown result',
    spec: { results: [{ name: 'digest-1' }], steps: [{ ...step, script: 'echo x > "$(results.digest-${i}.path)"' }] },
    want: 'non-existent variable in "echo x > \\"$(results.digest-${i}.path)\\"": spec.steps[0].script',
  },
  {
    name: 'a step ref cannot carry an image',
    spec: { steps: [{ name: 's', image: 'alpine', ref: { name: 'action' } }] },
    want: 'image cannot be used with Ref: spec.steps[0].image',
  },
];

describe('validateTask', () => {
  for (const c of cases) {
    it(c.name, () => {
      const err = validateTask(task(c.spec), c.config ?? defaultConfig());
      assert.equal(err?.toString() ?? '', c.want);
    });
  }

  it('checks the metadata name as a DNS subdomain', () => {
    const t = { ...task({ steps: [step] }), metadata: { name: 'Bad_Name' } };
    assert.equal(validateTask(t, defaultConfig())?.toString(), 'invalid resource name "Bad_Name": must be a valid DNS label: metadata.name');
  });
});
