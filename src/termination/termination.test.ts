import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deflateRawSync } from 'node:zlib';
import { marshalRunResults, parseTerminationMessage, RunResultType } from './index.ts';

/** compress writes a message the way the entrypoint does with enable-termination-message-compression. */
function compress(json: string): string {
  return `tknz:${deflateRawSync(Buffer.from(json), { level: 9 }).toString('base64').replace(/=+$/, '')}`;
}

describe('parseTerminationMessage', () => {
  const cases: { name: string; text: string; want: ReturnType<typeof parseTerminationMessage> }[] = [
    { name: 'an empty message has no entries', text: '', want: { entries: [] } },
    { name: 'a JSON null has no entries', text: 'null', want: { entries: [] } },
    {
      name: 'entries are sorted by key and keep their types',
      text: '[{"key":"StartedAt","value":"2026-01-01T00:00:00.000Z","type":3},{"key":"foo","value":"bar\\n","type":1},{"key":"Bar","value":"x","type":4}]',
      want: {
        entries: [
          { key: 'Bar', value: 'x', type: 4 },
          { key: 'StartedAt', value: '2026-01-01T00:00:00.000Z', type: 3 },
          { key: 'foo', value: 'bar\n', type: 1 },
        ],
      },
    },
    {
      name: 'the last entry with a key wins',
      text: '[{"key":"a","value":"1","type":1},{"key":"b","value":"2","type":1},{"key":"a","value":"3","type":1}]',
      want: {
        entries: [
          { key: 'a', value: '3', type: 1 },
          { key: 'b', value: '2', type: 1 },
        ],
      },
    },
    {
      name: 'all-zero entries are dropped',
      text: '[{"key":"","value":""},null,{"key":"a","value":"1"}]',
      want: { entries: [{ key: 'a', value: '1' }] },
    },
    {
      name: 'type names are accepted like ResultType.UnmarshalJSON and unknown names become 10',
      text: '[{"key":"a","value":"1","type":"TaskRunResult"},{"key":"b","value":"2","type":"InternalTektonResult"},{"key":"c","value":"3","type":"StepResult"},{"key":"d","value":"4","type":"Whatever"}]',
      want: {
        entries: [
          { key: 'a', value: '1', type: 1 },
          { key: 'b', value: '2', type: 3 },
          { key: 'c', value: '3', type: 4 },
          { key: 'd', value: '4', type: 10 },
        ],
      },
    },
    {
      name: 'field names match case-insensitively and unknown fields are ignored, like encoding/json',
      text: '[{"Key":"a","VALUE":"1","resourcename":"r","extra":true}]',
      want: { entries: [{ key: 'a', value: '1', resourceName: 'r' }] },
    },
    {
      name: 'a message that is not an array is an error quoting the message',
      text: '{"key":"a"}',
      want: { error: 'parsing message json: json: cannot unmarshal object into Go value of type []result.RunResult, msg: {"key":"a"}' },
    },
    {
      name: 'a non-string value is an error',
      text: '[{"key":"a","value":1}]',
      want: { error: 'parsing message json: json: cannot unmarshal number into Go struct field RunResult.value of type string, msg: [{"key":"a","value":1}]' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(parseTerminationMessage(c.text), c.want));
  }

  it("a message that is not JSON is an error that starts with Tekton's prefix", () => {
    const got = parseTerminationMessage('not json');
    assert.ok('error' in got && got.error.startsWith('parsing message json: ') && got.error.endsWith(', msg: not json'), JSON.stringify(got));
  });

  it('a tknz: message is inflated before it is parsed', () => {
    const json = '[{"key":"foo","value":"bar","type":1},{"key":"StartedAt","value":"2026-01-01T00:00:00.000Z","type":3}]';
    assert.deepEqual(parseTerminationMessage(compress(json)), {
      entries: [
        { key: 'StartedAt', value: '2026-01-01T00:00:00.000Z', type: 3 },
        { key: 'foo', value: 'bar', type: 1 },
      ],
    });
  });

  it('a tknz: message that is not base64 is an error', () => {
    assert.deepEqual(parseTerminationMessage('tknz:***'), { error: 'failed to decode base64 termination message: illegal base64 data' });
  });

  it('a tknz: message that is not flate data is an error', () => {
    const got = parseTerminationMessage('tknz:aGVsbG8');
    assert.ok('error' in got && got.error.startsWith('failed to decompress termination message: '), JSON.stringify(got));
  });
});

describe('marshalRunResults', () => {
  it('writes Go field order, omits empty resourceName and type, and escapes like encoding/json', () => {
    const got = marshalRunResults([
      { key: 'a', value: 'x<y>&z\n', type: RunResultType.TaskRunResult },
      { key: 'b', value: '', resourceName: 'res' },
    ]);
    assert.equal(got, '[{"key":"a","value":"x\\u003cy\\u003e\\u0026z\\n","type":1},{"key":"b","value":"","resourceName":"res"}]');
  });

  it('round-trips through parseTerminationMessage', () => {
    const entries = [
      { key: 'a', value: '["x","y"]', type: 1 },
      { key: 'b', value: 'v', type: 4 },
    ];
    assert.deepEqual(parseTerminationMessage(marshalRunResults(entries)), { entries });
  });
});
