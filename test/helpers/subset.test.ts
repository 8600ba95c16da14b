// subset.test.ts: the containment check used by the PipelineRun examples test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { subsetMismatch } from './subset.ts';

describe('subsetMismatch', () => {
  const cases: Array<{ name: string; actual: unknown; expected: unknown; want: string | undefined }> = [
    {
      name: 'accepts an object with more keys than expected',
      actual: { spec: { serviceAccountName: 'builder', timeout: '1h0m0s' }, status: {} },
      expected: { spec: { serviceAccountName: 'builder' } },
      want: undefined,
    },
    {
      name: 'reports a different value with its path',
      actual: { spec: { serviceAccountName: 'default' } },
      expected: { spec: { serviceAccountName: 'builder' } },
      want: '$.spec.serviceAccountName: expected "builder", got "default"',
    },
    {
      name: 'reports a missing key as undefined',
      actual: { spec: {} },
      expected: { spec: { retries: 2 } },
      want: '$.spec.retries: expected 2, got undefined',
    },
    {
      name: 'matches arrays item by item',
      actual: { conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed', message: 'x' }] },
      expected: { conditions: [{ type: 'Succeeded', reason: 'Failed' }] },
      want: undefined,
    },
    {
      name: 'requires arrays of the same length',
      actual: { retriesStatus: [{}, {}] },
      expected: { retriesStatus: [{}] },
      want: '$.retriesStatus: expected 1 items, got 2: [{},{}]',
    },
    {
      name: 'does not take an array for an object',
      actual: { spec: [] },
      expected: { spec: {} },
      want: '$.spec: expected an object, got []',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(subsetMismatch(c.actual, c.expected), c.want);
    });
  }
});
