import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { fastValues } from './fast.ts';
import { customTags } from './yaml11.ts';
import { formatProblem, loadYaml } from './index.ts';

// What the full path reads: `yaml` with version 1.1, as source.ts configures it.
function fullValues(text: string): unknown[] | 'error' {
  const docs = parseAllDocuments(text, { version: '1.1', prettyErrors: false, customTags: customTags as never });
  const list = Array.isArray(docs) ? docs : [docs];
  if (list.some((d) => d.errors.length)) return 'error';
  return list.map((d) => d.toJS({ maxAliasCount: 1000 }) ?? null);
}

const SAME_VALUES: [string, string][] = [
  ['YAML 1.1 booleans', 'a: on\nb: off\nc: yes\nd: N\ne: Y\nf: "on"\ng: [1, off]\ny: 1\n'],
  ['YAML 1.1 integers', "a: 0777\nb: 08\nc: 0x1F\nd: 0b101\ne: -0b11\nf: 1_000\ng: +12\nh: 12345678901234567890\ni: 0o17\nj: '0777'\n"],
  ['floats', 'a: .inf\nb: -.Inf\nc: .nan\nd: 1e3\ne: 1.5\nf: 0.\ng: 1.0e+3\n'],
  ['nulls', 'a: ~\nb: null\nc: NULL\nd:\ne: !!null ""\n'],
  ['timestamps and sexagesimals, which go-yaml v2 leaves as strings', 'a: 2024-01-02\nb: 2024-01-02T10:00:00Z\nc: 1:20\nd: 1:20.5\n'],
  ['explicit tags', 'a: !!str 0777\nb: !!int "12"\nc: !!bool "yes"\nd: !!int 0x1F\ne: !!map\n  f: g\n'],
  ['block scalars', 's: |\n  line1\n   line2\n\n  line3\nt: >-\n  folded\n  text\n\n  para\nu: |+\n  keep\n\nv: x\n'],
  ['plain, quoted and escaped scalars', 'a: multi\n  line plain\nb: "esc \\t \\u00e9 \\x41 \\/ \\N\\_"\nc: \'it\'\'s\'\nd: "multi\n   line"\ne: x # comment\nf: x#y\ng: -x\n'],
  ['merge keys', 'm:\n  <<: {a: 1, b: 2}\n  b: 3\nn: <<\n'],
  ['scalar keys', '1: a\nfalse: b\n0777: c\non: d\n'],
  ['collections', 'list:\n- a\n-   b\n- - c\n  - d\n- k: v\n  k2: v2\nflow: {a: [1, 2,], b: {c: d,}}\n'],
  ['documents, empty ones included', 'a: 1\n---\n# only a comment\n---\nb: 2\n...\n---\nc: 3\n---\n'],
  ['a __proto__ key', '__proto__: {a: 1}\nb: 2\n'],
];

const FALLBACKS: [string, string][] = [
  ['aliases', 'a: &x 1\nb: *x\n'],
  ['directives', '%YAML 1.2\n---\na: on\n'],
  ['explicit and collection keys', '? [x, y]\n: z\n'],
  ['flow keys', '[x]: z\n'],
  ['null keys', '~: c\n'],
  ['empty keys', ': x\n'],
  ['null keys in flow mappings', '{a: 1, ~: 2}\n'],
  ['flow collections indented less than their parent', 'a:\n  b: [1,\n  2]\n'],
  ['quoted scalars indented less than their parent', 'a:\n  b: "x\n y"\n'],
  ['keys over 1024 characters', `${'k'.repeat(1100)}: 1\n`],
  ['unknown tags', 'a: !custom x\n'],
  ['syntax errors', 'a: b: c\n'],
  ['duplicate keys', 'a: 1\na: 2\n'],
];

describe('fastValues', () => {
  for (const [what, text] of SAME_VALUES) {
    it(`reads ${what} exactly as the yaml package does`, () => {
      assert.deepEqual(
        fastValues(text)?.map((v) => v ?? null),
        fullValues(text),
      );
    });
  }
  for (const [what, text] of FALLBACKS) {
    it(`leaves files with ${what} to the yaml package`, () => {
      assert.equal(fastValues(text), undefined);
    });
  }
  it('reads every example of the repository as the yaml package does, or leaves it to it', () => {
    const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'examples');
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));
    assert.ok(files.length > 20);
    for (const f of files) {
      const text = readFileSync(join(root, f), 'utf8');
      const fast = fastValues(text);
      if (fast)
        assert.deepEqual(
          fast.map((v) => v ?? null),
          fullValues(text),
          f,
        );
    }
  });
});

describe('loadYaml on the fast path', () => {
  it('still locates decode problems at file:line:col, parsing positions only then', () => {
    const text = 'apiVersion: tekton.dev/v1\nkind: TaskRun\nmetadata:\n  name: tr\nspec:\n  taskSpec:\n    steps:\n    - name: one\n      image: [x]\n';
    assert.notEqual(fastValues(text), undefined);
    assert.deepEqual(loadYaml(text, 'f.yaml').problems.map(formatProblem), ['spec.taskSpec.steps[0].image: invalid type: expected string, got array (f.yaml:9:7)']);
  });
  it('gives loaded objects a locate that finds fields in the right document', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\n# c\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  k: v\n';
    const { objects } = loadYaml(text, 'f.yaml');
    assert.deepEqual(
      objects.map((o) => [o.object.metadata.name, o.document, o.locate('data.k')]),
      [
        ['a', 0, { file: 'f.yaml', line: 1, col: 1 }],
        ['b', 2, { file: 'f.yaml', line: 13, col: 3 }],
      ],
    );
  });
});
