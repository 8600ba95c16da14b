// apply-get.test.ts: `tektite apply`, `tektite get` and `tektite cancel` against the state dir's
// object store (store.db), through the built CLI: what is stored (defaulted, as Tekton's webhook
// would), what is printed, what is refused, and a store.db that is not usable.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStateStore } from '../src/store/index.ts';
import { runCli, withStateDir } from './helpers/cli.ts';

const TASK = `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: greet
spec:
  params:
  - name: who
  steps:
  - name: hello
    image: mirror.gcr.io/alpine
    script: echo "hello $(params.who)"
`;
const TASK_RUN = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata:
  name: greet-run
spec:
  taskRef:
    name: greet
  params:
  - name: who
    value: world
`;
const PIPELINE_RUN = `apiVersion: tekton.dev/v1beta1
kind: PipelineRun
metadata:
  name: inline
  labels:
    team: a
spec:
  pipelineSpec:
    tasks:
    - name: one
      taskSpec:
        steps:
        - image: mirror.gcr.io/alpine
          script: echo one
`;
const CONFIG = `apiVersion: v1
kind: ConfigMap
metadata:
  name: config-defaults
data:
  default-timeout-minutes: "20"
`;

function write(dir: string, name: string, ...docs: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, docs.join('---\n'));
  return file;
}

const cli = (dir: string, ...args: string[]) => runCli([...args, '--state-dir', dir]);

describe('tektite apply and get', { concurrency: 4 }, () => {
  it('creates the objects, defaulted, and get prints them as a table, json, yaml and names', () =>
    withStateDir('tektite-apply-', async (dir) => {
      const file = write(dir, 'all.yaml', CONFIG, TASK, TASK_RUN, PIPELINE_RUN);
      const applied = await cli(dir, 'apply', '-f', file);
      assert.equal(applied.stderr, '');
      // Runs last, whatever their place in the files.
      assert.equal(
        applied.stdout,
        'configmap/config-defaults created\ntask.tekton.dev/greet created\ntaskrun.tekton.dev/greet-run created\npipelinerun.tekton.dev/inline created\n',
      );
      assert.equal(applied.code, 0);

      const table = await cli(dir, 'get', 'taskruns');
      assert.deepEqual([table.code, table.stdout], [0, 'NAME        SUCCEEDED   REASON    STARTTIME   COMPLETIONTIME\ngreet-run\n']);
      const tasks = await cli(dir, 'get', 'task', '-A');
      assert.match(tasks.stdout, /^NAMESPACE {3}NAME {6}AGE\ndefault {5}greet {5}\d+s\n$/);

      const tr = JSON.parse((await cli(dir, 'get', 'tr', 'greet-run', '-o', 'json')).stdout);
      // Tekton's defaults at create, from the applied config-defaults: timeout, label, taskRef kind.
      assert.equal(tr.spec.timeout, '20m0s');
      assert.equal(tr.metadata.labels['app.kubernetes.io/managed-by'], 'tekton-pipelines');
      assert.equal(tr.spec.taskRef.kind, 'Task');
      assert.equal(tr.metadata.generation, 1);
      assert.equal(tr.status, undefined);

      const prYaml = await cli(dir, 'get', 'pr', '-l', 'team=a', '-o', 'yaml');
      assert.match(prYaml.stdout, /^apiVersion: v1\nkind: List\nitems:\n {2}- apiVersion: tekton\.dev\/v1\n {4}kind: PipelineRun\n/);
      assert.match(prYaml.stdout, /timeouts:\n\s+pipeline: 20m0s\n/);
      assert.equal((await cli(dir, 'get', 'pr', '-l', 'team=b', '-o', 'name')).stderr, 'No resources found in default namespace.\n');
      assert.equal((await cli(dir, 'get', 'pipelineruns.tekton.dev', '-o', 'name')).stdout, 'pipelinerun.tekton.dev/inline\n');
    }));

  it('updates other kinds (configured, unchanged) but never an existing run (AlreadyExists, exit 1)', () =>
    withStateDir('tektite-apply-', async (dir) => {
      const file = write(dir, 'all.yaml', TASK, TASK_RUN);
      assert.equal((await cli(dir, 'apply', '-f', file)).code, 0);
      const again = await cli(dir, 'apply', '-f', file);
      assert.equal(again.stdout, 'task.tekton.dev/greet unchanged\n');
      assert.equal(again.stderr, `Error from server (AlreadyExists): error when creating "${file}": taskruns.tekton.dev "greet-run" already exists\n`);
      assert.equal(again.code, 1);
      const changed = write(dir, 'task.yaml', TASK.replace('hello $(params.who)', 'hi $(params.who)'));
      assert.deepEqual([(await cli(dir, 'apply', '-f', changed)).stdout], ['task.tekton.dev/greet configured\n']);
      const task = JSON.parse((await cli(dir, 'get', 'task', 'greet', '-o', 'json')).stdout);
      assert.equal(task.spec.steps[0].script, 'echo "hi $(params.who)"');
      assert.equal(task.metadata.generation, 2);
    }));

  it('stores nothing when any object is invalid, with the messages `run` prints', () =>
    withStateDir('tektite-apply-', async (dir) => {
      const file = write(dir, 'bad.yaml', TASK, TASK_RUN.replace('taskRef:\n    name: greet', 'taskRef:\n    name: nothing'), PIPELINE_RUN.replace('- name: one', '- name: One'));
      const applied = await cli(dir, 'apply', '-f', file);
      assert.equal(applied.code, 2);
      assert.match(applied.stderr, /^Error: invalid input:\n {2}TaskRun "greet-run": spec\.taskRef\.name: tasks\.tekton\.dev "nothing" not found \(.*bad\.yaml:19:5\)\n/);
      const run = await cli(dir, 'run', '-f', file);
      assert.deepEqual([run.code, run.stderr], [2, applied.stderr]);
      assert.equal(applied.stdout, '');
      const tasks = await cli(dir, 'get', 'tasks');
      assert.deepEqual([tasks.code, tasks.stdout, tasks.stderr], [0, '', 'No resources found in default namespace.\n']);
    }));

  it('says what is not found (exit 1) and which kind it does not know (exit 2)', () =>
    withStateDir('tektite-get-', async (dir) => {
      const missing = await cli(dir, 'get', 'tr', 'nope');
      assert.deepEqual([missing.code, missing.stdout, missing.stderr], [1, '', 'Error from server (NotFound): taskruns.tekton.dev "nope" not found\n']);
      const json = await cli(dir, 'get', 'pipelinerun', 'nope', '-o', 'json');
      assert.deepEqual([json.code, json.stdout], [1, '']);
      const kind = await cli(dir, 'get', 'widgets');
      assert.deepEqual([kind.code, kind.stderr], [2, 'error: the server doesn\'t have a resource type "widgets"\n']);
      const selector = await cli(dir, 'get', 'tr', '-l', 'a in b');
      assert.equal(selector.code, 2);
      assert.doesNotMatch(selector.stderr, /\n\s+at /);
    }));
});

describe('tektite cancel on the object store', { concurrency: 4 }, () => {
  it('writes spec.status to the stored run (generation goes up), and refuses flags that do not apply', () =>
    withStateDir('tektite-cancel-store-', async (dir) => {
      assert.equal((await cli(dir, 'apply', '-f', write(dir, 'runs.yaml', TASK, TASK_RUN, PIPELINE_RUN))).code, 0);
      const tr = await cli(dir, 'cancel', 'greet-run');
      assert.deepEqual([tr.code, tr.stdout], [0, 'taskrun.tekton.dev/greet-run patched (spec.status: TaskRunCancelled)\n']);
      const stored = JSON.parse((await cli(dir, 'get', 'tr', 'greet-run', '-o', 'json')).stdout);
      assert.deepEqual([stored.spec.status, stored.metadata.generation], ['TaskRunCancelled', 2]);
      const pr = await cli(dir, 'cancel', 'inline', '--finally');
      assert.equal(pr.stdout, 'pipelinerun.tekton.dev/inline patched (spec.status: CancelledRunFinally)\n');
      assert.match((await cli(dir, 'get', 'pr', 'inline', '-o', 'yaml')).stdout, /\n {2}status: CancelledRunFinally\n/);
      const stop = await cli(dir, 'cancel', 'greet-run', '--stop');
      assert.deepEqual([stop.code, stop.stderr], [2, 'Error: --stop applies to PipelineRuns only; "greet-run" is a TaskRun\n']);
    }));

  it('refuses a run that has finished', () =>
    withStateDir('tektite-cancel-store-', async (dir) => {
      assert.equal((await cli(dir, 'apply', '-f', write(dir, 'pr.yaml', PIPELINE_RUN))).code, 0);
      // What a reconciler would have written.
      const opened = await openStateStore(dir);
      assert.ok(opened.ok);
      const pr = await opened.store.get({ kind: 'PipelineRun', namespace: 'default', name: 'inline' });
      assert.ok(pr);
      assert.equal((await opened.store.updateStatus({ ...pr, status: { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded' }] } })).ok, true);
      await opened.store.close();
      const done = await cli(dir, 'cancel', 'inline');
      assert.deepEqual([done.code, done.stderr], [1, 'Error: failed to cancel PipelineRun "inline": PipelineRun has already finished execution (Succeeded)\n']);
    }));
});

describe('a state dir whose store.db is not usable', { concurrency: 4 }, () => {
  it('is reported in words, with exit code 74, by apply, get and cancel', () =>
    withStateDir('tektite-bad-store-', async (dir) => {
      writeFileSync(join(dir, 'store.db'), 'this is not a database, and it is long enough to be read as a header'.repeat(20));
      const file = write(dir, 'task.yaml', TASK);
      for (const args of [
        ['apply', '-f', file],
        ['get', 'tasks'],
        ['cancel', 'x'],
      ]) {
        const r = await cli(dir, ...args);
        assert.equal(r.code, 74, args.join(' '));
        assert.equal(
          r.stderr,
          `Error: cannot open the state store ${join(dir, 'store.db')}: the file is not an SQLite database (corrupt, or not Tektite's): move it away or use another --state-dir\n`,
        );
      }
    }));

  it("refuses another program's SQLite database", () =>
    withStateDir('tektite-bad-store-', async (dir) => {
      const db = new Database(join(dir, 'store.db'));
      db.exec('CREATE TABLE notes(text TEXT)');
      db.close();
      const r = await cli(dir, 'get', 'tr');
      assert.deepEqual([r.code, r.stderr], [74, `Error: ${join(dir, 'store.db')} is an SQLite database but not a Tektite state store: use another --state-dir\n`]);
    }));
});
