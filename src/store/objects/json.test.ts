import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frozenCopy, jsonCopy, jsonEqual } from './json.ts';

// Values JSON.stringify treats specially: undefined and functions (left out of objects, null in
// arrays), non-finite numbers and -0, toJSON (dates).
const odd = {
  a: 1,
  u: undefined,
  f: () => 1,
  list: [1, undefined, () => 2, Number.NaN, Number.POSITIVE_INFINITY, -0, { x: undefined, y: 'y' }],
  when: new Date('2026-12-02T01:02:03Z'),
  nested: { empty: {}, none: null, t: true },
};
const viaText = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('jsonCopy and frozenCopy', () => {
  it('copy with JSON.stringify and JSON.parse meaning', () => {
    assert.deepEqual(jsonCopy(odd), viaText(odd));
    assert.deepEqual(frozenCopy(odd), viaText(odd));
    assert.equal(JSON.stringify(jsonCopy(odd)), JSON.stringify(odd), 'the same keys in the same order');
    assert.ok(Object.is(jsonCopy({ z: -0 }).z, 0));
  });
  it('freeze every level and share frozen parts instead of copying them', () => {
    const shared = frozenCopy({ spec: { steps: [{ name: 's' }] } });
    const next = frozenCopy({ ...shared, status: { podName: 'p' } });
    assert.ok(Object.isFrozen(next) && Object.isFrozen(next.status) && Object.isFrozen(next.spec.steps[0]));
    assert.equal(next.spec, shared.spec);
    const mutable = { spec: { steps: [{ name: 's' }] } };
    const copied = jsonCopy(shared);
    assert.ok(!Object.isFrozen(copied.spec.steps[0]));
    assert.notEqual(frozenCopy(mutable).spec, mutable.spec);
  });
});

describe('jsonEqual', () => {
  it('compares as the JSON text would, keys in any order', () => {
    assert.ok(jsonEqual(odd, viaText(odd)));
    assert.ok(jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }));
    assert.ok(jsonEqual({ a: undefined }, {}));
    assert.ok(jsonEqual([undefined], [null]));
    assert.ok(jsonEqual(undefined, undefined));
    assert.ok(!jsonEqual(undefined, {}));
    assert.ok(!jsonEqual({ a: null }, {}));
    assert.ok(!jsonEqual({ a: 1 }, { a: '1' }));
    assert.ok(!jsonEqual([1, 2], [2, 1]));
    assert.ok(!jsonEqual({ a: [] }, { a: {} }));
    assert.ok(!jsonEqual({ a: { b: 1 } }, { a: { b: 1, c: 0 } }));
    assert.ok(!jsonEqual({ a: { b: 1, c: 0 } }, { a: { b: 1 } }));
  });
});

describe('jsonEqual as the PipelineRun reconciler uses it (an unchanged status is not written)', () => {
  it('agrees with comparing serialisations: undefined properties are absent, key order does not count', () => {
    assert.equal(jsonEqual({ a: 1, b: undefined, c: { d: 'x' } }, { c: { d: 'x' }, a: 1 }), true);
    assert.equal(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), true);
  });

  it('sees any difference: a value, a missing key, an array length, an array against an object', () => {
    assert.equal(jsonEqual({ a: 1 }, { a: 2 }), false);
    assert.equal(jsonEqual({ a: 1 }, { a: 1, b: 0 }), false);
    assert.equal(jsonEqual({ a: 1, b: 0 }, { a: 1 }), false);
    assert.equal(jsonEqual([1, 2], [1, 2, 3]), false);
    assert.equal(jsonEqual({ 0: 'x' }, ['x']), false);
    assert.equal(jsonEqual({ conditions: [{ reason: 'Running' }] }, { conditions: [{ reason: 'Succeeded' }] }), false);
    assert.equal(jsonEqual(null, {}), false);
    assert.equal(jsonEqual(undefined, {}), false);
  });
});
