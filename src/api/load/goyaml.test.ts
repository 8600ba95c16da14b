import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fastValues } from './fast.ts';
import { decodeBinary, resolvePlain, resolveTagged } from './goyaml.ts';
import { formatProblem, loadYaml } from './index.ts';
import { readDocuments } from './source.ts';

// Each row: a plain scalar and what go-yaml v2's resolve.go (go.yaml.in/yaml/v2, used by
// sigs.k8s.io/yaml and kubectl) decodes it to in an interface{}, read from resolve.go's code.
const GO_YAML: [string, unknown][] = [
  // `.` alone and other dot forms strconv.ParseFloat refuses stay strings (Tekton's buildah `CONTEXT: .`).
  ['.', '.'],
  ['..', '..'],
  ['-.', '-.'],
  ['+.', '+.'],
  ['.e3', '.e3'],
  ['./src', './src'],
  ['._5', '._5'],
  ['.5', 0.5],
  ['.5e3', 500],
  ['-.5', -0.5],
  ['+.5', 0.5],
  ['5.', 5],
  ['0.', 0],
  ['.5_0', 0.5],
  // booleans: exactly these spellings.
  ['y', true],
  ['Y', true],
  ['yes', true],
  ['Yes', true],
  ['YES', true],
  ['true', true],
  ['True', true],
  ['TRUE', true],
  ['on', true],
  ['On', true],
  ['ON', true],
  ['n', false],
  ['N', false],
  ['no', false],
  ['No', false],
  ['NO', false],
  ['false', false],
  ['False', false],
  ['FALSE', false],
  ['off', false],
  ['Off', false],
  ['OFF', false],
  ['tRUE', 'tRUE'],
  ['yES', 'yES'],
  ['oN', 'oN'],
  ['nO', 'nO'],
  ['t', 't'],
  ['f', 'f'],
  // nulls.
  ['~', null],
  ['null', null],
  ['Null', null],
  ['NULL', null],
  ['', null],
  ['nULL', 'nULL'],
  // special floats (kubectl then refuses them: JSON has no NaN/Inf; see the load test below).
  ['.inf', Infinity],
  ['.Inf', Infinity],
  ['.INF', Infinity],
  ['+.inf', Infinity],
  ['-.inf', -Infinity],
  ['-.Inf', -Infinity],
  ['.nan', NaN],
  ['.NaN', NaN],
  ['.NAN', NaN],
  ['-.iNf', '-.iNf'],
  ['.iNf', '.iNf'],
  ['-.nan', '-.nan'],
  ['NaN', 'NaN'],
  ['Infinity', 'Infinity'],
  // integers: strconv.ParseInt(s without `_`, 0, 64).
  ['0', 0],
  ['-0', 0],
  ['+1', 1],
  ['42', 42],
  ['1_000', 1000],
  ['1__0', 10],
  ['0777', 511],
  ['0o777', 511],
  ['0O17', 15],
  ['0x1F', 31],
  ['0X1f', 31],
  ['+0x1F', 31],
  ['-0x1F', -31],
  ['0b101', 5],
  ['0B101', 5],
  ['-0b101', -5],
  ['0b-101', -5],
  ['00', 0],
  ['0_7', 7],
  // biome-ignore lint/correctness/noPrecisionLoss: go-yaml gives the nearest float64, as JavaScript does
  ['9223372036854775807', 9223372036854775807],
  // biome-ignore lint/correctness/noPrecisionLoss: as above
  ['18446744073709551615', 18446744073709551615],
  ['0x', '0x'],
  ['0b', '0b'],
  ['0o', '0o'],
  ['0xG', '0xG'],
  ['_1', '_1'],
  ['+', '+'],
  ['-', '-'],
  ['1-2', '1-2'],
  // not octal, so a float (yamlStyleFloat); same number.
  ['08', 8],
  ['09.5', 9.5],
  // floats.
  ['1e3', 1000],
  ['1E3', 1000],
  ['1.0e+3', 1000],
  ['-1.5', -1.5],
  ['1_0.5', 10.5],
  ['1e', '1e'],
  ['1.2.3', '1.2.3'],
  ['1e999', '1e999'],
  ['0x1p3', '0x1p3'],
  // biome-ignore lint/correctness/noPrecisionLoss: as above
  ['18446744073709551616', 18446744073709551616],
  // no sexagesimals in go-yaml v2; timestamps stay their text in interface{}.
  ['1:20', '1:20'],
  ['1:20.5', '1:20.5'],
  ['-1:20', '-1:20'],
  ['2024-01-02', '2024-01-02'],
  ['2001-12-14t21:59:43.10-05:00', '2001-12-14t21:59:43.10-05:00'],
  // `<<` as a value is a string (merge keys are tested below).
  ['<<', '<<'],
  ['=', '='],
  ['1,000', '1,000'],
];

describe('resolvePlain (go-yaml v2 resolve.go)', () => {
  for (const [text, want] of GO_YAML) {
    it(`${JSON.stringify(text)} → ${typeof want === 'string' ? JSON.stringify(want) : String(want)}`, () => {
      assert.deepEqual(resolvePlain(text).value, want);
    });
  }
});

describe('resolveTagged (explicit tags)', () => {
  const rows: [Parameters<typeof resolveTagged>[0], string, unknown][] = [
    ['str', '0777', '0777'],
    ['str', '.', '.'],
    ['int', '12', 12],
    ['int', '0x1F', 31],
    ['float', '1', 1],
    ['float', '.5', 0.5],
    ['bool', 'yes', true],
    ['null', '', null],
    ['null', '~', null],
    ['timestamp', '2024-01-02', '2024-01-02'],
    ['timestamp', '2024-1-2 10:00:00', '2024-1-2 10:00:00'],
    ['timestamp', '2024-01-02T10:00:00Z', '2024-01-02T10:00:00Z'],
  ];
  for (const [tag, text, want] of rows) {
    it(`!!${tag} ${JSON.stringify(text)} → ${JSON.stringify(want)}`, () => assert.deepEqual(resolveTagged(tag, text), { value: want }));
  }
  const errors: [Parameters<typeof resolveTagged>[0], string, string][] = [
    ['int', 'abc', 'cannot decode !!str `abc` as a !!int'],
    ['int', '1.5', 'cannot decode !!float `1.5` as a !!int'],
    ['bool', '1', 'cannot decode !!int `1` as a !!bool'],
    ['null', 'x', 'cannot decode !!str `x` as a !!null'],
    ['timestamp', '2024-13-01', 'cannot decode !!str `2024-13-01` as a !!timestamp'],
    ['timestamp', '2024-02-30', 'cannot decode !!str `2024-02-30` as a !!timestamp'],
  ];
  for (const [tag, text, error] of errors) {
    it(`!!${tag} ${JSON.stringify(text)} is refused`, () => assert.deepEqual(resolveTagged(tag, text), { error }));
  }
  it('decodes !!binary to a string and refuses bad base64', () => {
    assert.deepEqual(decodeBinary('aGVsbG8=\n'), { value: 'hello' });
    assert.deepEqual(decodeBinary('aGVsbG8'), { error: '!!binary value contains invalid base64 data' });
  });
});

// The same answers through both readers: js-yaml (fast path) and `yaml` (full path, forced
// here by an alias, which the fast path leaves to it).
function bothPaths(text: string): { fast: unknown; full: unknown } {
  const fast = readDocuments(text, 'f.yaml');
  const full = readDocuments(`${text}zz: &alias 1\nzy: *alias\n`, 'f.yaml');
  assert.notEqual(fastValues(text), undefined, 'the fast path reads it');
  assert.deepEqual(full[0].problems, []);
  const value = full[0].value as Record<string, unknown>;
  delete value.zz;
  delete value.zy;
  return { fast: fast[0].value, full: value };
}

describe('both readers resolve scalars as go-yaml v2', () => {
  it('reads every row of the table the same on the fast and the full path', () => {
    const rows = GO_YAML.filter(([t]) => !['+', '-'].includes(t));
    const { fast, full } = bothPaths(rows.map(([t], i) => `k${i}: ${t}\n`).join(''));
    const want = Object.fromEntries(rows.map(([, v], i) => [`k${i}`, v]));
    assert.deepEqual(fast, want);
    assert.deepEqual(full, want);
  });
  it('reads explicit tags the same on both paths', () => {
    const { fast, full } = bothPaths('a: !!binary aGVsbG8=\nb: !!str 0777\nc: !!timestamp 2024-01-02\nd: !!float 1\ne: !!int "0x1F"\nf: "."\ng: \'yes\'\n');
    const want = { a: 'hello', b: '0777', c: '2024-01-02', d: 1, e: 31, f: '.', g: 'yes' };
    assert.deepEqual(fast, want);
    assert.deepEqual(full, want);
  });
  it('merges `<<` keys where they stand, as go-yaml v2 does (a merge overrides keys written before it)', () => {
    const cm = (data: string) => loadYaml(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n${data}`, 'f.yaml');
    const dataOf = (data: string) => {
      const r = cm(data);
      assert.deepEqual(r.problems, []);
      return (r.objects[0].object as { data?: unknown }).data;
    };
    // inline (fast path) and through aliases (full path): later keys override the merge...
    assert.deepEqual(dataOf('data:\n  <<: {a: "1", b: "2"}\n  b: "3"\n'), { a: '1', b: '3' });
    assert.deepEqual(dataOf('data:\n  b: "0"\n  <<: {a: "1", b: "2"}\n'), { b: '2', a: '1' });
    // ...and of a list of mappings the earlier ones win.
    const r = loadYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata:\n  <<: [{a: "1"}, {a: "5", b: "2"}]\n  c: "3"\n', 'f.yaml');
    assert.deepEqual((r.objects[0].object as { data?: unknown }).data, { a: '1', b: '2', c: '3' });
    const viaAlias = loadYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm, labels: &l {a: "1", b: "2"}}\ndata:\n  b: "0"\n  <<: *l\n  c: "3"\n', 'f.yaml');
    assert.deepEqual((viaAlias.objects[0].object as { data?: unknown }).data, { b: '2', a: '1', c: '3' });
  });
  it('refuses a merge of something that is not a mapping, with its position', () => {
    assert.deepEqual(loadYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata:\n  <<: 1\n', 'f.yaml').problems.map(formatProblem), [
      'data.<<: map merge requires map or sequence of maps as the value (f.yaml:5:3)',
    ]);
  });
});

describe('loadYaml reads scalars as kubectl does', () => {
  for (const path of ['fast', 'full']) {
    it(`keeps \`.\` a string in params, values and args (${path} path)`, () => {
      const labels = path === 'full' ? ', labels: &l {a: b}, annotations: *l' : '';
      const doc = `apiVersion: tekton.dev/v1\nkind: Task\nmetadata: {name: t${labels}}\nspec:\n  params:\n  - name: CONTEXT\n    default: .\n  steps:\n  - name: s\n    image: busybox\n    args: [., -., ./x]\n    env:\n    - name: E\n      value: .\n`;
      assert.equal(fastValues(doc) === undefined, path === 'full');
      const { objects, problems } = loadYaml(doc, 't.yaml');
      assert.deepEqual(problems, []);
      const spec = (objects[0].object as unknown as { spec: unknown }).spec as { params: { default: unknown }[]; steps: { args: unknown[]; env: { value: unknown }[] }[] };
      assert.equal(spec.params[0].default, '.');
      assert.deepEqual(spec.steps[0].args, ['.', '-.', './x']);
      assert.equal(spec.steps[0].env[0].value, '.');
    });
  }
  it('refuses .nan and .inf values as kubectl does (JSON has no NaN or Inf), with their position', () => {
    const { problems } = loadYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata:\n  a: x\n  b: .inf\n', 'f.yaml');
    assert.deepEqual(problems.map(formatProblem), ['data.b: error converting YAML to JSON: json: unsupported value: +Inf (f.yaml:6:3)']);
  });
  it('reports explicit tags go-yaml refuses, with their position', () => {
    assert.deepEqual(loadYaml('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata:\n  a: !!int abc\n', 'f.yaml').problems.map(formatProblem), [
      'cannot decode !!str `abc` as a !!int (f.yaml:5:6)',
    ]);
  });
});
