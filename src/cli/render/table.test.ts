import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { age, humanDuration, renderTable } from './table.ts';

describe('humanDuration (apimachinery HumanDuration)', () => {
  const s = 1000;
  const m = 60 * s;
  const h = 60 * m;
  const d = 24 * h;
  const cases: [number, string][] = [
    [-1500, '0s'],
    [-3 * s, '<invalid>'],
    [0, '0s'],
    [119 * s, '119s'],
    [2 * m, '2m'],
    [5 * m + 30 * s, '5m30s'],
    [10 * m + 30 * s, '10m'],
    [179 * m, '179m'],
    [3 * h, '3h'],
    [7 * h + 59 * m, '7h59m'],
    [8 * h + 30 * m, '8h'],
    [47 * h, '47h'],
    [2 * d + 5 * h, '2d5h'],
    [8 * d, '8d'],
    [800 * d, '2y70d'],
    [3000 * d, '8y'],
  ];
  for (const [ms, want] of cases) it(`${ms} ms is ${want}`, () => assert.equal(humanDuration(ms), want));
});

describe('age', () => {
  it('is the time since a timestamp, empty without one', () => {
    assert.equal(age('2026-01-01T00:00:00Z', new Date('2026-01-01T00:05:30Z')), '5m30s');
    assert.equal(age(undefined, new Date()), '');
    assert.equal(age('yesterday', new Date()), '<invalid>');
  });
});

describe('renderTable', () => {
  it('pads columns to the widest cell plus 3, at least 10, and drops trailing blanks', () => {
    assert.equal(
      renderTable(
        ['NAME', 'AGE'],
        [
          ['a-rather-long-name', '5s'],
          ['b', ''],
        ],
      ),
      'NAME                 AGE\na-rather-long-name   5s\nb\n',
    );
  });
});
