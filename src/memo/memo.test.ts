import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoize } from './index.ts';

describe('memoize', () => {
  it('asks fn once per text, an undefined answer included, and starts afresh at the limit', () => {
    const asked: string[] = [];
    const f = memoize((t) => {
      asked.push(t);
      return t === 'none' ? undefined : t.length;
    }, 2);
    assert.equal(f('abc'), 3);
    assert.equal(f('abc'), 3);
    assert.equal(f('none'), undefined);
    assert.equal(f('none'), undefined);
    assert.deepEqual(asked, ['abc', 'none']);
    f('x'); // the third text: the table was full, so it is dropped first
    f('abc');
    assert.deepEqual(asked, ['abc', 'none', 'x', 'abc']);
  });
});
