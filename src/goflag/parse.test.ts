import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoBool, parseGoFlags, parseGoUint } from './index.ts';
import type { GoFlagKind } from './index.ts';

const kinds: Record<string, GoFlagKind> = { name: 'string', on: 'bool', n: 'uint' };

function parse(args: string[]): { values: [string, string | undefined][]; result: ReturnType<typeof parseGoFlags> } {
  const values: [string, string | undefined][] = [];
  const result = parseGoFlags(args, kinds, (name, _kind, value) => {
    values.push([name, value]);
    return undefined;
  });
  return { values, result };
}

describe('parseGoFlags', () => {
  it('accepts -flag value, --flag=value and bare booleans, and stops at the first non-flag or after --', () => {
    assert.deepEqual(parse(['-name', '-x', '--on', '-n=3', 'rest', '-on']), {
      values: [
        ['name', '-x'],
        ['on', undefined],
        ['n', '3'],
      ],
      result: { positional: ['rest', '-on'] },
    });
    assert.deepEqual(parse(['--', '-on']).result, { positional: ['-on'] });
    assert.deepEqual(parse(['-', 'x']).result, { positional: ['-', 'x'] });
  });

  it('never takes the next argument as a boolean\'s value (Go: -on false leaves "false" positional)', () => {
    assert.deepEqual(parse(['-on', 'false', '-name=x']), { values: [['on', undefined]], result: { positional: ['false', '-name=x'] } });
  });

  it("reports Go's errors", () => {
    assert.deepEqual(parse(['-nope']).result, { error: 'flag provided but not defined: -nope' });
    assert.deepEqual(parse(['-name']).result, { error: 'flag needs an argument: -name' });
    assert.deepEqual(parse(['---x']).result, { error: 'bad flag syntax: ---x' });
    assert.deepEqual(parse(['-=x']).result, { error: 'bad flag syntax: -=x' });
    assert.deepEqual(parse(['-help']).result, { error: 'flag: help requested', help: true });
    const rejected = parseGoFlags(['-n', 'x'], kinds, () => 'bad value');
    assert.deepEqual(rejected, { error: 'bad value' });
  });
});

describe('parseGoBool and parseGoUint', () => {
  it('read what strconv reads', () => {
    assert.deepEqual(['1', 't', 'TRUE', 'True', '0', 'F', 'false', 'yes', ''].map(parseGoBool), [true, true, true, true, false, false, false, undefined, undefined]);
    assert.deepEqual(['0', '1', '42', '0x1f', '0o17', '017', '0b101', '1_000', '0x_1f', '-1', '', '1.5', 'x'].map(parseGoUint), [
      0,
      1,
      42,
      31,
      15,
      15,
      5,
      undefined,
      31,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
