import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskSpec } from '../api/index.ts';
import { applyTaskSubstitutions, replaceVariables, resolveParamValues, type TaskSubstitutionInput } from './index.ts';

describe('replaceVariables', () => {
  const values = new Map([
    ['params.a', 'A'],
    ['params.b', '$(params.a)'],
    ['params["x.y"]', 'XY'],
  ]);
  const cases: [string, string, string][] = [
    ['replaces every known reference', 'echo $(params.a) $(params.a)', 'echo A A'],
    ['leaves unknown references as they are', 'echo $(params.zzz) $(foo', 'echo $(params.zzz) $(foo'],
    ['replaces in a single pass, never re-scanning inserted text', '$(params.b)', '$(params.a)'],
    ['matches bracket keys with dots', '$(params["x.y"])', 'XY'],
    ['finds a reference right after a dangling $(', '$($(params.a))', '$(A)'],
  ];
  for (const [title, input, want] of cases) it(title, () => assert.equal(replaceVariables(input, values), want));
});

describe('resolveParamValues', () => {
  it('applies defaults, keeps undeclared params and fills missing object keys from the default', () => {
    const got = resolveParamValues(
      [
        { name: 's', default: 'd' },
        { name: 'o', type: 'object', default: { a: '1', b: '2' } },
      ],
      [
        { name: 'o', value: { b: 'B' } },
        { name: 'extra', value: 'e' },
      ],
    );
    assert.deepEqual(
      [...got],
      [
        ['s', 'd'],
        ['o', { a: '1', b: 'B' }],
        ['extra', 'e'],
      ],
    );
  });
});

const input = (over: Partial<TaskSubstitutionInput> = {}): TaskSubstitutionInput => ({
  params: [],
  taskRun: { name: 'tr', namespace: 'ns', uid: 'u-1' },
  taskName: 'task',
  retryCount: 2,
  workspaces: [],
  ...over,
});

describe('applyTaskSubstitutions', () => {
  it('expands array params into several list items only when the item is exactly the reference', () => {
    const spec: TaskSpec = {
      params: [{ name: 'arr', type: 'array' }],
      steps: [{ image: 'i', command: ['$(params.arr)'], args: ['$(params["arr"][*])', 'x-$(params.arr[1])', '$(params.arr[*]) tail'] }],
    };
    const got = applyTaskSubstitutions(spec, input({ params: [{ name: 'arr', value: ['a', 'b'] }] }));
    assert.deepEqual(got.steps![0], { image: 'i', command: ['a', 'b'], args: ['a', 'b', 'x-b', '$(params.arr[*]) tail'] });
  });

  it('substitutes every param form: dotted, bracket quotes, legacy inputs.params, object keys, defaults', () => {
    const spec: TaskSpec = {
      params: [{ name: 'p' }, { name: 'd', default: 'dflt' }, { name: 'o', type: 'object', properties: { k: {}, j: {} }, default: { k: 'K', j: 'J' } }],
      steps: [{ image: '$(params.p)', script: '$(params[\'p\']) $(params["p"]) $(inputs.params.p) $(params.d) $(params.o.k) $(params.o.j)' }],
    };
    const got = applyTaskSubstitutions(
      spec,
      input({
        params: [
          { name: 'p', value: 'v' },
          { name: 'o', value: { k: 'k2' } },
        ],
      }),
    );
    assert.deepEqual(got.steps![0], { image: 'v', script: 'v v v dflt k2 J' });
  });

  it('substitutes context, result, step result, exitCode, artifacts and credentials paths', () => {
    const spec: TaskSpec = {
      results: [{ name: 'r' }],
      steps: [
        { name: 'one', image: 'i', results: [{ name: 'sr' }], script: '$(results.r.path) $(results["r"].path) $(step.results.sr.path) $(step.artifacts.path)' },
        { image: 'i', args: ['$(steps.step-one.exitCode.path)', '$(steps.step-unnamed-1.exitCode.path)', '$(artifacts.path)', '$(credentials.path)'] },
        { image: 'i', args: ['$(context.taskRun.name)/$(context.taskRun.namespace)/$(context.taskRun.uid)/$(context.task.name)/$(context.task.retry-count)'] },
      ],
    };
    const got = applyTaskSubstitutions(spec, input());
    assert.equal(got.steps![0].script, '/tekton/results/r /tekton/results/r /tekton/steps/step-one/results/sr /tekton/steps/step-one/artifacts/provenance.json');
    assert.deepEqual(got.steps![1].args, ['/tekton/steps/step-one/exitCode', '/tekton/steps/step-unnamed-1/exitCode', '/tekton/artifacts/provenance.json', '/tekton/creds']);
    assert.deepEqual(got.steps![2].args, ['tr/ns/u-1/task/2']);
  });

  it('expands a context reference that a param value brought in, because context comes after params', () => {
    const spec: TaskSpec = { params: [{ name: 'p' }], steps: [{ image: 'i', args: ['$(params.p)'] }] };
    const got = applyTaskSubstitutions(spec, input({ params: [{ name: 'p', value: 'run $(context.taskRun.name)' }] }));
    assert.deepEqual(got.steps![0].args, ['run tr']);
  });

  it('substitutes workspace path, bound, claim and volume, a step-level mountPath winning in its own step', () => {
    const spec: TaskSpec = {
      workspaces: [
        { name: 'w', mountPath: '/data' },
        { name: 'opt', optional: true },
      ],
      steps: [
        { image: 'i', args: ['$(workspaces.w.path)', '$(workspaces.w.bound)', '$(workspaces.w.claim)', '$(workspaces.w.volume)'] },
        {
          image: 'i',
          workspaces: [{ name: 'w', mountPath: '/mine' }],
          args: ['$(workspaces.w.path)', '$(workspaces.opt.path)', '$(workspaces.opt.bound)', '$(workspaces.opt.volume)'],
        },
      ],
    };
    const got = applyTaskSubstitutions(
      spec,
      input({
        workspaces: [
          { name: 'w', path: '/data', bound: true, claim: 'pvc-1', volume: 'ws-abcde' },
          { name: 'opt', path: '', bound: false, claim: '', volume: '' },
        ],
      }),
    );
    assert.deepEqual(got.steps![0].args, ['/data', 'true', 'pvc-1', 'ws-abcde']);
    assert.deepEqual(got.steps![1].args, ['/mine', '', 'false', '$(workspaces.opt.volume)']);
  });

  it('substitutes volumes, sidecars, stepTemplate and workspace mountPaths but not results or descriptions', () => {
    const spec: TaskSpec = {
      params: [{ name: 'p' }],
      description: '$(params.p)',
      volumes: [{ name: 'v-$(params.p)', configMap: { name: 'cm-$(params.p)' } }],
      workspaces: [{ name: 'w', mountPath: '/m/$(params.p)' }],
      stepTemplate: { env: [{ name: 'E', value: '$(params.p)' }] },
      sidecars: [{ name: 'sc', image: 'img:$(params.p)', script: 'echo $(params.p)' }],
      steps: [{ image: 'i', volumeMounts: [{ name: 'v-$(params.p)', mountPath: '/x/$(params.p)' }] }],
    };
    const got = applyTaskSubstitutions(spec, input({ params: [{ name: 'p', value: 'v' }] }));
    assert.deepEqual(got, {
      params: [{ name: 'p' }],
      description: '$(params.p)',
      volumes: [{ name: 'v-v', configMap: { name: 'cm-v' } }],
      workspaces: [{ name: 'w', mountPath: '/m/v' }],
      stepTemplate: { env: [{ name: 'E', value: 'v' }] },
      sidecars: [{ name: 'sc', image: 'img:v', script: 'echo v' }],
      steps: [{ image: 'i', volumeMounts: [{ name: 'v-v', mountPath: '/x/v' }] }],
    });
  });
});
