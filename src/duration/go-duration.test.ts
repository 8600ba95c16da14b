import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatGoDuration, parseGoDuration } from './go-duration.ts';

describe('parseGoDuration reads Go duration text', () => {
  const ok: [string, number][] = [
    ['0', 0],
    ['1h30m', 5_400_000],
    ['1.5s', 1500],
    ['300ms', 300],
    ['-2m', -120_000],
    ['1h0m0s', 3_600_000],
    ['2h45m', 9_900_000],
    ['10us', 0.01],
    ['1µs', 0.001],
    ['+5s', 5000],
    ['.5s', 500],
  ];
  for (const [text, ms] of ok) it(`parses ${text}`, () => assert.deepEqual(parseGoDuration(text), { ok: true, ms }));

  const bad: [string, string][] = [
    ['1d', 'time: unknown unit "d" in duration "1d"'],
    ['10', 'time: missing unit in duration "10"'],
    ['', 'time: invalid duration ""'],
    ['1 hour', 'time: unknown unit " hour" in duration "1 hour"'],
    ['h', 'time: invalid duration "h"'],
  ];
  for (const [text, error] of bad) it(`rejects ${JSON.stringify(text)}`, () => assert.deepEqual(parseGoDuration(text), { ok: false, error }));
});

describe('formatGoDuration prints like Duration.String()', () => {
  const cases: [number, string][] = [
    [0, '0s'],
    [3_600_000, '1h0m0s'],
    [1500, '1.5s'],
    [300, '300ms'],
    [90_000, '1m30s'],
    [-1000, '-1s'],
    [0.001, '1µs'],
    [5_400_500, '1h30m0.5s'],
  ];
  for (const [ms, text] of cases) it(`prints ${text}`, () => assert.equal(formatGoDuration(ms), text));
});
