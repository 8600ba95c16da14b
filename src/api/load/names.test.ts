import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateName, randomSuffix } from './index.ts';

describe('names', () => {
  it('randomSuffix gives 5 characters of the Kubernetes util/rand alphabet', () => {
    for (let i = 0; i < 50; i++) assert.match(randomSuffix(), /^[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('generateName appends the suffix to the base, truncated to 58 characters like the API server', () => {
    assert.equal(
      generateName('run-', () => 'xxxxx'),
      'run-xxxxx',
    );
    const long = generateName('a'.repeat(70), () => 'xxxxx');
    assert.equal(long, `${'a'.repeat(58)}xxxxx`);
    assert.equal(long.length, 63);
    assert.match(generateName('run-'), /^run-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });
});
