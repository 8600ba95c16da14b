import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StepAction, TaskRun, TaskSpec } from '../../api/index.ts';
import { localResolver } from '../../resolution/index.ts';
import { openMemoryStore, type KObject } from '../../store/index.ts';
import { resolveStepActions } from './stepactions.ts';

/** viaResolver resolves with the StepActions in an object store, through localResolver (the controller's way). */
async function viaResolver(actions: StepAction[], spec: TaskSpec, tr: TaskRun) {
  const store = openMemoryStore();
  for (const a of actions) assert.ok((await store.create(a as unknown as KObject)).ok);
  return resolveStepActions(spec, tr, localResolver(store));
}

const action = (name: string, spec: StepAction['spec']): StepAction => ({ apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction', metadata: { name, namespace: 'default' }, spec });
const taskRun = (params: TaskRun['spec']['params'] = []): TaskRun => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'TaskRun',
  metadata: { name: 'tr', namespace: 'default' },
  spec: { params },
});

describe('resolveStepActions', () => {
  it('replaces a ref step by the action, keeping the step name and onError and applying params through the Task params', async () => {
    const sa = action('greet', {
      image: 'alpine',
      workingDir: '$(params.dir)',
      script: 'echo "$WHO"',
      params: [{ name: 'who' }, { name: 'dir', default: '/tmp' }, { name: 'list', type: 'array', default: ['a', 'b'] }],
      env: [{ name: 'WHO', value: '$(params.who)' }],
      args: ['$(params.list[*])', '$(params.list[1])'],
      results: [{ name: 'out' }],
    });
    const spec: TaskSpec = {
      params: [{ name: 'name', type: 'string' }],
      steps: [{ name: 's', onError: 'continue', ref: { name: 'greet' }, params: [{ name: 'who', value: '$(params.name)' }] }],
    };
    const tr = taskRun([{ name: 'name', value: 'tektite' }]);
    assert.deepEqual(await viaResolver([sa], spec, tr), {
      ok: true,
      spec: {
        params: [{ name: 'name', type: 'string' }],
        steps: [
          {
            name: 's',
            onError: 'continue',
            image: 'alpine',
            workingDir: '/tmp',
            script: 'echo "$WHO"',
            env: [{ name: 'WHO', value: 'tektite' }],
            args: ['a', 'b', 'b'],
            results: [{ name: 'out' }],
          },
        ],
      },
    });
  });

  it('resolves StepActions through a Resolver, leaving plain steps alone', async () => {
    const sa = action('greet', { image: 'alpine', script: 'echo "$(params.who)"', params: [{ name: 'who', default: 'you' }] });
    const spec: TaskSpec = {
      steps: [
        { name: 'plain', image: 'busybox' },
        { name: 's', ref: { name: 'greet' } },
      ],
    };
    const fromResolver = await viaResolver([sa], spec, taskRun());
    assert.deepEqual(fromResolver, {
      ok: true,
      spec: {
        steps: [
          { name: 'plain', image: 'busybox' },
          { name: 's', image: 'alpine', script: 'echo "you"' },
        ],
      },
    });
  });

  it('forwards a step result reference given as a param to the action', async () => {
    const sa = action('use', {
      image: 'alpine',
      params: [
        { name: 'arr', type: 'array' },
        { name: 'obj', type: 'object', properties: { k: { type: 'string' } } },
      ],
      args: ['$(params.arr[*])', '$(params.arr[0])', '$(params.obj.k)'],
    });
    const spec: TaskSpec = {
      steps: [
        {
          name: 'u',
          ref: { name: 'use' },
          params: [
            { name: 'arr', value: '$(steps.first.results.a[*])' },
            { name: 'obj', value: '$(steps.first.results.o[*])' },
          ],
        },
      ],
    };
    const r = await viaResolver([sa], spec, taskRun());
    assert.ok(r.ok);
    assert.deepEqual(r.spec.steps?.[0].args, ['$(steps.first.results.a[*])', '$(steps.first.results.a[0])', '$(steps.first.results.o.k)']);
  });

  const failures: [string, StepAction[], TaskSpec['steps'], string][] = [
    ['a missing StepAction', [], [{ name: 'x', ref: { name: 'nope' } }], 'failed to resolve step ref for step "x" (index 0): stepactions.tekton.dev "nope" not found'],
    [
      'an extra param',
      [action('a', { image: 'i' })],
      [{ name: 'x', ref: { name: 'a' }, params: [{ name: 'p', value: 'v' }] }],
      'failed to resolve step ref for step "x" (index 0): extra params passed by Step to StepAction: [p]',
    ],
    [
      'a missing required param',
      [action('a', { image: 'i', params: [{ name: 'p' }, { name: 'q' }] })],
      [{ ref: { name: 'a' } }],
      'failed to resolve step ref for step "" (index 0): non-existent params in Step: [p q]',
    ],
    [
      'a string given for an array default',
      [action('a', { image: 'i', params: [{ name: 'p', type: 'array', default: ['x'] }] })],
      [{ name: 'x', ref: { name: 'a' }, params: [{ name: 'p', value: 's' }] }],
      'failed to resolve step ref for step "x" (index 0): invalid parameter substitution: p. Please check the types of the default value and the passed value',
    ],
  ];
  for (const [what, actions, steps, message] of failures) {
    it(`fails the TaskRun with TaskRunResolutionFailed for ${what}`, async () => {
      assert.deepEqual(await viaResolver(actions, { steps }, taskRun()), { ok: false, reason: 'TaskRunResolutionFailed', message });
    });
  }
});
