import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { formatProblem, loadFiles, loadYaml } from './index.ts';
import type { TaskRun } from '../v1/index.ts';

const fixed = () => 'abcde';
const lines = (text: string) => loadYaml(text, 'f.yaml', { randomSuffix: fixed }).problems.map(formatProblem);

const TASKRUN = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: tr
spec:
  taskSpec:
    steps:
    - name: one
      image: alpine
`;

describe('loadYaml', () => {
  it('loads every document of a multi-document file and skips empty ones', () => {
    const text = `---\n${TASKRUN}---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n`;
    const r = loadYaml(text, 'f.yaml');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(
      r.objects.map((o) => [o.object.kind, o.object.metadata.name, o.document, o.file]),
      [
        ['TaskRun', 'tr', 0, 'f.yaml'],
        ['ConfigMap', 'cm', 2, 'f.yaml'],
      ],
    );
    assert.deepEqual(r.objects[0].object, {
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: { name: 'tr', namespace: 'default' },
      spec: { taskSpec: { steps: [{ name: 'one', image: 'alpine' }] } },
    });
  });

  it('reads YAML 1.1 scalars like Kubernetes: on is true, 0777 is 511, dates and 1:20 stay strings', () => {
    const text = `${TASKRUN}  params:\n  - {name: a, value: on}\n  - {name: b, value: 0777}\n  - {name: c, value: 2024-01-02}\n  - {name: d, value: 1:20}\n  - {name: e, value: [1, off]}\n`;
    const r = loadYaml(text, 'f.yaml');
    assert.deepEqual(r.problems, []);
    const spec = (r.objects[0].object as TaskRun).spec as unknown as { params: unknown };
    assert.deepEqual(spec.params, [
      { name: 'a', value: 'true' },
      { name: 'b', value: '511' },
      { name: 'c', value: '2024-01-02' },
      { name: 'd', value: '1:20' },
      { name: 'e', value: ['1', 'false'] },
    ]);
  });

  it('reports unknown fields at their parent, positioned on the key', () => {
    assert.deepEqual(lines(`${TASKRUN}      sccript: echo hi\n`), ['spec.taskSpec.steps[0]: unknown field "sccript" (f.yaml:10:7)']);
  });

  it('reports keys named like Object.prototype members as unknown fields', () => {
    assert.deepEqual(lines(TASKRUN.replace('spec:\n', 'spec:\n  constructor: 1\n  __proto__: {a: 1}\n')), [
      'spec: unknown field "constructor" (f.yaml:6:3)',
      'spec: unknown field "__proto__" (f.yaml:7:3)',
    ]);
  });
  it('reports wrong types and missing required fields with Kubernetes-like messages', () => {
    const text = `${TASKRUN.replace('image: alpine', 'image: 3')}  params:\n  - value: x\n  - name: p\n    value: [{a: b}]\n  retries: 1.5\n`;
    assert.deepEqual(lines(text), [
      'spec.taskSpec.steps[0].image: invalid type: expected string, got number (f.yaml:9:7)',
      'spec.params[0].name: missing field(s) (f.yaml:11:5)',
      'spec.params[1].value[0]: invalid type: expected string, got object (f.yaml:13:13)',
      'spec.retries: invalid type: expected integer, got number (f.yaml:14:3)',
    ]);
  });

  it('reports an unsupported enum value', () => {
    const text = TASKRUN.replace('  taskSpec:\n', '  taskSpec:\n    params:\n    - {name: p, type: bogus}\n');
    assert.deepEqual(lines(text), ['spec.taskSpec.params[0].type: unsupported value: expected one of "string", "array", "object" (f.yaml:8:17)']);
  });

  it('reports malformed YAML and duplicate keys with their line and column, and keeps the other documents', () => {
    const text = `${TASKRUN}---\nkind: [a\n---\na: 1\na: 2\n`;
    const r = loadYaml(text, 'f.yaml');
    assert.equal(r.objects.length, 1);
    assert.deepEqual(r.problems.map(formatProblem), [
      'Flow sequence in block collection must be sufficiently indented and end with a ] (f.yaml:12:1)',
      'Map keys must be unique (f.yaml:14:1)',
    ]);
  });

  it('reports documents that are not mappings, and missing or unknown kinds', () => {
    const text = '- a\n---\nplain\n---\napiVersion: v1\n---\nkind: Task\n---\napiVersion: tekton.dev/v1\nkind: Foo\n---\napiVersion: v2\nkind: ConfigMap\n';
    assert.deepEqual(lines(text), [
      'invalid document: expected a mapping (apiVersion, kind, metadata, ...), got array (f.yaml:1:1)',
      'invalid document: expected a mapping (apiVersion, kind, metadata, ...), got string (f.yaml:3:1)',
      "Object 'Kind' is missing (f.yaml:5:1)",
      "Object 'apiVersion' is missing (f.yaml:7:1)",
      'no kind "Foo" is registered for version "tekton.dev/v1" (f.yaml:10:1)',
      'no kind "ConfigMap" is registered for version "v2" (f.yaml:13:1)',
    ]);
  });

  it('keeps objects of other Kubernetes kinds apart, as written, with their positions', () => {
    const text =
      'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: crb}\nroleRef: {kind: ClusterRole, name: x}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: []}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {}\n';
    const r = loadYaml(text, 'f.yaml');
    assert.deepEqual(r.objects, []);
    assert.deepEqual(
      r.others.map((o) => [o.object.kind, o.object.metadata.name, o.object.metadata.namespace, o.document]),
      [
        ['ClusterRoleBinding', 'crb', 'default', 0],
        ['Pod', 'p', 'default', 1],
      ],
    );
    assert.deepEqual(r.others[0].object.roleRef, { kind: 'ClusterRole', name: 'x' });
    assert.deepEqual(r.others[1].locate('spec.containers'), { file: 'f.yaml', line: 9, col: 8 });
    assert.deepEqual(r.problems.map(formatProblem), ['metadata.name: Required value: name or generateName is required (f.yaml:13:1)']);
  });

  it('names objects from metadata.generateName and requires a name', () => {
    const r = loadYaml(`${TASKRUN.replace('name: tr', 'generateName: run-')}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {namespace: ns}\n`, 'f.yaml', { randomSuffix: fixed });
    assert.deepEqual(r.objects[0].object.metadata, { generateName: 'run-', name: 'run-abcde', namespace: 'default' });
    assert.deepEqual(r.problems.map(formatProblem), ['metadata.name: Required value: name or generateName is required (f.yaml:13:1)']);
  });

  it('matches field names case-insensitively, as Go encoding/json does', () => {
    const text = `${TASKRUN}      volumeMounts:\n      - name: w\n        mountpath: /w\n      WorkingDir: /tmp\n`;
    const r = loadYaml(text, 'f.yaml');
    assert.deepEqual(r.problems, []);
    const step = ((r.objects[0].object as TaskRun).spec as unknown as { taskSpec: { steps: unknown[] } }).taskSpec.steps[0];
    assert.deepEqual(step, { name: 'one', image: 'alpine', workingDir: '/tmp', volumeMounts: [{ name: 'w', mountPath: '/w' }] });
    assert.deepEqual(r.objects[0].locate('spec.taskSpec.steps[0].volumeMounts[0].mountPath'), { file: 'f.yaml', line: 12, col: 9 });
  });

  it('unpacks kind: List items and locates paths inside them', () => {
    const text = `apiVersion: v1\nkind: List\nitems:\n- ${TASKRUN.trimEnd().split('\n').join('\n  ')}\n- apiVersion: v1\n  kind: Secret\n  metadata: {name: s}\n  sttringData: {}\n`;
    const r = loadYaml(text, 'f.yaml');
    assert.deepEqual(
      r.objects.map((o) => o.object.kind),
      ['TaskRun'],
    );
    assert.deepEqual(r.problems.map(formatProblem), ['items[1]: unknown field "sttringData" (f.yaml:16:3)']);
    assert.deepEqual(r.objects[0].locate('spec.taskSpec.steps[0].image'), { file: 'f.yaml', line: 12, col: 9 });
  });

  it('locates FieldError paths, falling back to the nearest existing ancestor', () => {
    const text = `${TASKRUN}  params:\n  - name: foo\n    value: bar\n`;
    const [o] = loadYaml(text, 'f.yaml').objects;
    const at = (p: string) => {
      const x = o.locate(p)!;
      return `${x.line}:${x.col}`;
    };
    assert.deepEqual(
      ['', 'spec', 'spec.taskSpec.steps[0]', 'spec.taskSpec.steps[0].image', 'spec.params[foo]', 'spec.params[foo].value', 'spec.taskSpec.steps[3].name', 'spec.workspaces[w]'].map(
        at,
      ),
      ['1:1', '5:1', '8:7', '9:7', '11:5', '12:5', '7:5', '5:1'],
    );
  });
});

describe('loadFiles', () => {
  it('reads files, directories and stdin, and reports unreadable paths as problems', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tektite-load-'));
    await mkdir(join(dir, 'd'));
    await writeFile(join(dir, 'd', 'b.yaml'), TASKRUN.replace('name: tr', 'name: b'));
    await writeFile(join(dir, 'd', 'a.yml'), TASKRUN.replace('name: tr', 'name: a'));
    await writeFile(join(dir, 'd', 'notes.txt'), 'not yaml: [');
    await writeFile(join(dir, 'one.yaml'), TASKRUN.replace('image: alpine', 'image: [x]'));
    const stdin = Readable.from([Buffer.from(TASKRUN.replace('name: tr', 'name: piped'))]);
    const r = await loadFiles([join(dir, 'd'), join(dir, 'one.yaml'), '-', join(dir, 'missing.yaml')], { stdin });
    assert.deepEqual(
      r.objects.map((o) => [o.object.metadata.name, o.file]),
      [
        ['a', join(dir, 'd', 'a.yml')],
        ['b', join(dir, 'd', 'b.yaml')],
        ['piped', '<stdin>'],
      ],
    );
    assert.deepEqual(r.problems.map(formatProblem), [
      `spec.taskSpec.steps[0].image: invalid type: expected string, got array (${join(dir, 'one.yaml')}:9:7)`,
      `the path "${join(dir, 'missing.yaml')}" does not exist`,
    ]);
  });
});
