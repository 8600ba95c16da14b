import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Param, TaskSpec, WorkspaceBinding } from '../api/index.ts';
import { validateTaskRunParams, validateTaskRunWorkspaces } from './index.ts';

const spec: TaskSpec = {
  params: [
    { name: 'a' },
    { name: 'b' },
    { name: 'c', default: 'x' },
    { name: 'arr', type: 'array', default: [] },
    { name: 'obj', properties: { k1: {}, k2: {} }, default: { k1: 'v', k2: 'w' } },
  ],
  steps: [{ image: 'alpine' }],
};
const ok: Param[] = [
  { name: 'a', value: '1' },
  { name: 'b', value: '2' },
];

describe('validateTaskRunParams', () => {
  const cases: { name: string; spec?: TaskSpec; params: Param[]; want: string }[] = [
    { name: 'params with defaults may be left out and extra params are ignored', params: [...ok, { name: 'extra', value: 'x' }], want: '' },
    { name: 'params without defaults must be given, listed Go-style', params: [], want: 'missing values for these params which have no default values: [a b]' },
    {
      name: 'a value of the wrong type is reported by name',
      params: [
        { name: 'a', value: ['x'] },
        { name: 'b', value: '2' },
        { name: 'arr', value: 'y' },
      ],
      want: "param types don't match the user-specified type: [a arr]",
    },
    { name: 'a string reference may feed an array param', params: [...ok, { name: 'arr', value: '$(tasks.t.results.r[*])' }], want: '' },
    {
      name: 'object keys given neither by the run nor by the default are missing',
      spec: { params: [{ name: 'obj', properties: { k1: {}, k2: {}, k3: {} }, default: { k1: 'v' } }], steps: [{ image: 'alpine' }] },
      params: [{ name: 'obj', value: { k2: 'v' } }],
      want: "missing keys for these params which are required in ParamSpec's properties map[obj:[k3]]",
    },
    {
      name: 'a value outside the enum is rejected',
      spec: { params: [{ name: 'e', enum: ['x', 'y'] }], steps: [{ image: 'alpine' }] },
      params: [{ name: 'e', value: 'z' }],
      want: 'param `e` value: z is not in the enum list',
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(validateTaskRunParams(c.spec ?? spec, c.params)?.toString() ?? '', c.want));
  }
});

describe('validateTaskRunWorkspaces', () => {
  const wsSpec: TaskSpec = { steps: [{ image: 'alpine' }], workspaces: [{ name: 'src' }, { name: 'cache', optional: true }] };
  const cases: { name: string; bindings: WorkspaceBinding[]; want: string }[] = [
    { name: 'optional workspaces may stay unbound', bindings: [{ name: 'src', emptyDir: {} }], want: '' },
    { name: 'a required workspace must be bound', bindings: [], want: 'declared workspace "src" is required but has not been bound' },
    {
      name: 'a binding must match a declared workspace',
      bindings: [
        { name: 'src', emptyDir: {} },
        { name: 'nope', emptyDir: {} },
      ],
      want: 'workspace binding "nope" does not match any declared workspace',
    },
    {
      name: 'an invalid binding is explained with its FieldError',
      bindings: [{ name: 'src', persistentVolumeClaim: { claimName: '' } }],
      want: 'binding "src" is invalid: missing field(s): persistentvolumeclaim.claimname',
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(validateTaskRunWorkspaces(wsSpec, c.bindings)?.toString() ?? '', c.want));
  }
  it('a binding of a TaskRun with an embedded taskSpec needs no declaration (propagated workspaces)', () => {
    const bindings: WorkspaceBinding[] = [
      { name: 'src', emptyDir: {} },
      { name: 'undeclared', emptyDir: {} },
    ];
    assert.equal(validateTaskRunWorkspaces(wsSpec, bindings, true), undefined);
  });
  it('an embedded taskSpec still needs its required workspaces bound', () => {
    const got = validateTaskRunWorkspaces(wsSpec, [{ name: 'other', emptyDir: {} }], true);
    assert.equal(got?.toString(), 'declared workspace "src" is required but has not been bound');
  });
});
