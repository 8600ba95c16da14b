import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sameJson } from './unchanged.ts';

describe('sameJson (an unchanged status is not written)', () => {
  it('agrees with comparing serialisations: undefined properties are absent, key order does not count', () => {
    assert.equal(sameJson({ a: 1, b: undefined, c: { d: 'x' } }, { c: { d: 'x' }, a: 1 }), true);
    assert.equal(sameJson({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), true);
  });

  it('sees any difference: a value, a missing key, an array length, an array against an object', () => {
    assert.equal(sameJson({ a: 1 }, { a: 2 }), false);
    assert.equal(sameJson({ a: 1 }, { a: 1, b: 0 }), false);
    assert.equal(sameJson({ a: 1, b: 0 }, { a: 1 }), false);
    assert.equal(sameJson([1, 2], [1, 2, 3]), false);
    assert.equal(sameJson({ 0: 'x' }, ['x']), false);
    assert.equal(sameJson({ conditions: [{ reason: 'Running' }] }, { conditions: [{ reason: 'Succeeded' }] }), false);
    assert.equal(sameJson(null, {}), false);
    assert.equal(sameJson(undefined, {}), false);
  });
});
