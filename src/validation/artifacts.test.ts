import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PipelineTask } from '../api/index.ts';
import { defaultConfig } from '../config/index.ts';
import { validateArtifactReference, validateArtifactsInStep } from './artifacts.ts';

const off = defaultConfig();
const on = { ...off, featureFlags: { ...off.featureFlags, enableArtifacts: true } };
const MESSAGE = 'feature flag enable-artifacts should be set to true to use artifacts feature.';
const entries = (e: ReturnType<typeof validateArtifactsInStep>) => e?.merged().map((x) => [x.message, x.paths]);

describe('the enable-artifacts gate', () => {
  it('rejects artifact paths and references in a step unless the flag is on', () => {
    for (const step of [
      { image: 'x', script: 'cat $(step.artifacts.path)' },
      { image: 'x', args: ['$(artifacts.path)'] },
      { image: 'x', env: [{ name: 'A', value: '$(steps.s.outputs.image)' }] },
      { image: 'x', command: ['echo', '$(tasks.t.inputs.src)'] },
    ]) {
      assert.deepEqual(entries(validateArtifactsInStep(step, off)), [[MESSAGE, ['']]], JSON.stringify(step));
      assert.equal(validateArtifactsInStep(step, on), undefined);
    }
    assert.equal(validateArtifactsInStep({ image: 'x', script: 'echo $(params.a)' }, off), undefined);
  });

  it('rejects a task artifact reference in PipelineTask params, at the first such task', () => {
    const tasks = [
      { name: 'a', params: [{ name: 'p', value: 'plain' }] },
      { name: 'b', params: [{ name: 'p', value: ['x', '$(tasks.a.outputs.image)'] }] },
    ] as PipelineTask[];
    assert.deepEqual(entries(validateArtifactReference(tasks, [], off)), [[MESSAGE, ['tasks[1].params']]]);
    assert.equal(validateArtifactReference(tasks, [], on), undefined);
  });
});
