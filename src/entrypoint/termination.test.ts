import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { MESSAGE_TOO_LONG, marshalRunResults, parseTerminationMessage, writeTerminationMessage } from './termination.ts';

const tmp = (): string => mkdtempSync(join(tmpdir(), 'tektite-term-'));

describe('marshalRunResults', () => {
  it('renders like Go json.Marshal, omitting empty type and escaping HTML characters', () => {
    assert.equal(
      marshalRunResults([
        { key: 'r', value: 'a<b>&c\n' },
        { key: 'StartedAt', value: 'x', type: 3 },
      ]),
      '[{"key":"r","value":"a\\u003cb\\u003e\\u0026c\\n"},{"key":"StartedAt","value":"x","type":3}]',
    );
  });
});

describe('writeTerminationMessage', () => {
  it('merges new entries after the entries already in the file', () => {
    const path = join(tmp(), 'termination');
    assert.equal(writeTerminationMessage(path, [{ key: 'r1', value: 'abc\n', type: 1 }]), undefined);
    assert.equal(writeTerminationMessage(path, [{ key: 'StartedAt', value: '2026-01-01T00:00:00.000Z', type: 3 }]), undefined);
    assert.equal(readFileSync(path, 'utf8'), '[{"key":"r1","value":"abc\\n","type":1},{"key":"StartedAt","value":"2026-01-01T00:00:00.000Z","type":3}]');
  });

  it('replaces a file that does not hold a message', () => {
    const path = join(tmp(), 'termination');
    writeFileSync(path, 'not json');
    writeTerminationMessage(path, [{ key: 'a', value: 'b', type: 1 }]);
    assert.equal(readFileSync(path, 'utf8'), '[{"key":"a","value":"b","type":1}]');
  });

  it('refuses a message above 4096 bytes and leaves the file untouched', () => {
    const path = join(tmp(), 'termination');
    writeFileSync(path, '[]');
    assert.deepEqual(writeTerminationMessage(path, [{ key: 'big', value: 'x'.repeat(4096), type: 1 }]), { error: MESSAGE_TOO_LONG });
    assert.equal(MESSAGE_TOO_LONG, 'Termination message is above max allowed size 4096, caused by large task result.');
    assert.equal(readFileSync(path, 'utf8'), '[]');
  });

  it('compresses as tknz: + unpadded base64 of raw deflate when that is shorter, and merges into it', () => {
    const path = join(tmp(), 'termination');
    writeTerminationMessage(path, [{ key: 'big', value: 'y'.repeat(6000), type: 1 }], { compress: true });
    writeTerminationMessage(path, [{ key: 'StartedAt', value: 't', type: 3 }], { compress: true });
    const text = readFileSync(path, 'utf8');
    assert.ok(text.startsWith('tknz:') && !text.endsWith('='));
    const json = inflateRawSync(Buffer.from(text.slice(5), 'base64')).toString();
    assert.equal(json, `[{"key":"big","value":"${'y'.repeat(6000)}","type":1},{"key":"StartedAt","value":"t","type":3}]`);
  });
});

describe('parseTerminationMessage', () => {
  it('drops empty entries, keeps the last entry per key and sorts by key', () => {
    const text = '[{"key":"b","value":"1","type":1},{},{"key":"a","value":"x","type":"InternalTektonResult"},{"key":"b","value":"2","type":4}]';
    assert.deepEqual(parseTerminationMessage(text), [
      { key: 'a', value: 'x', type: 3 },
      { key: 'b', value: '2', type: 4 },
    ]);
  });

  it('reads a compressed message', () => {
    const path = join(tmp(), 'termination');
    writeTerminationMessage(path, [{ key: 'r', value: 'z'.repeat(500), type: 1 }], { compress: true });
    assert.deepEqual(parseTerminationMessage(readFileSync(path, 'utf8')), [{ key: 'r', value: 'z'.repeat(500), type: 1 }]);
  });

  it('returns an empty list for an empty message and an error for invalid JSON', () => {
    assert.deepEqual(parseTerminationMessage(''), []);
    const parsed = parseTerminationMessage('oops');
    assert.ok('error' in parsed);
    assert.match(parsed.error, /^parsing message json: .*, msg: oops$/);
  });
});
