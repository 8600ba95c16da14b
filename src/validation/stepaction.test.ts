import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StepActionSpec } from '../api/index.ts';
import { defaultConfig } from '../config/index.ts';
import { validateStepAction, validateStepActionSpec } from './stepaction.ts';

describe('validateStepActionSpec', () => {
  const cases: [string, StepActionSpec, string | undefined][] = [
    ['accepts an image with a script', { image: 'alpine', script: 'echo hi' }, undefined],
    ['requires an image', { script: 'echo hi' }, 'missing field(s): Image'],
    ['refuses script with command', { image: 'i', script: 'echo', command: ['sh'] }, 'script cannot be used with command: script'],
    ['refuses params in the script', { image: 'i', params: [{ name: 'p' }], script: 'echo $(params.p)' }, 'param substitution in scripts is not allowed.: script'],
    ['refuses undeclared params', { image: 'i', args: ['$(params.nope)'] }, 'non-existent variable in "$(params.nope)": args[0]'],
    [
      'refuses a whole array inside a string',
      { image: 'i', params: [{ name: 'a', type: 'array' }], args: ['x $(params.a[*])'] },
      'variable is not properly isolated in "x $(params.a[*])": args[0]',
    ],
    [
      'refuses a volumeMount name that is not one param',
      { image: 'i', volumeMounts: [{ name: 'v', mountPath: '/v' }] },
      'invalid value: v: volumeMounts[0].name\nexpect the Name to be a single param reference',
    ],
  ];
  for (const [what, spec, message] of cases) {
    it(what, () => {
      assert.equal(validateStepActionSpec(spec, defaultConfig())?.toString(), message);
    });
  }

  it('puts spec errors under spec', () => {
    const err = validateStepAction({ apiVersion: 'tekton.dev/v1beta1', kind: 'StepAction', metadata: { name: 'a' }, spec: {} }, defaultConfig());
    assert.equal(err?.toString(), 'missing field(s): spec.Image');
  });
});
