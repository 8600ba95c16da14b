// real-world-yaml.test.ts: YAML as real repositories hold it (the Tekton catalog, Konflux, Tekton's
// own examples): go-yaml's scalars, and Kubernetes kinds other than tekton.dev beside the runs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot, runCli } from './helpers/cli.ts';
import { storedObject } from './helpers/store.ts';

const EXAMPLES = join(repoRoot, '..', 'shared', 'conformance', 'tekton-examples', 'examples', 'v1');

function withStateDir(fn: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tektite-real-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

describe('real-world YAML', { concurrency: 2 }, () => {
  it(
    'reads plain scalars as kubectl does: `.` is ".", 0o17 is 15, on is true, dates and 1:20 stay text',
    withStateDir(async (dir) => {
      const r = await runCli(['run', '-f', 'test/fixtures/yaml11/scalars.yaml', '--state-dir', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\[scalars : show\] context=\. arg=\. env=\. octal=15 hex=31 on=true date=2024-01-02 time=1:20\n/);
    }),
  );

  it(
    'stores RBAC, quota, policy and custom objects, notes each kind once, and runs the TaskRun',
    withStateDir(async (dir) => {
      const r = await runCli(['run', '-f', 'test/fixtures/kinds/cluster-objects.yaml', '--state-dir', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /\[with-neighbours : hello\] hello/);
      const notes = r.stderr.split('\n').filter((l) => l.startsWith('Note: '));
      assert.deepEqual(notes, [
        'Note: 1 Role stored, not used by Tektite',
        'Note: 1 RoleBinding stored, not used by Tektite',
        'Note: 1 ClusterRole stored, not used by Tektite',
        'Note: 2 ClusterRoleBinding stored, not used by Tektite',
        'Note: 1 ResourceQuota stored, not used by Tektite',
        'Note: 1 NetworkPolicy stored, not used by Tektite',
        'Note: 1 SecretProviderClass stored, not used by Tektite',
        'Note: 1 Widget stored, not used by Tektite',
      ]);
      for (const [kind, name] of [
        ['serviceaccount', 'builder'],
        ['clusterrolebinding', 'viewer-b'],
        ['widget', 'w'],
      ]) {
        assert.ok(storedObject(dir, kind, name), `${kind}/${name} stored`);
      }
    }),
  );

  it(
    'prints a last line without newline under its own [task : step], before the next step',
    withStateDir(async (dir) => {
      const r = await runCli(['run', '-f', 'test/fixtures/logs/no-trailing-newline.yaml', '--state-dir', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '[printer : first] one\n[printer : first] first without newline\n[printer : second] second without newline\n');
    }),
  );

  it(
    'runs shebang-less scripts under bash for UBI and Konflux images, dash for Ubuntu',
    withStateDir(async (dir) => {
      const r = await runCli(['run', '-f', 'test/fixtures/shells/bashisms.yaml', '--state-dir', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '[bashisms : ubi] ubi:\tbash\n[bashisms : ubi] ubi: double brackets\n[bashisms : konflux] konflux:\tbash\n[bashisms : ubuntu] -e ubuntu: dash\n');
    }),
  );

  for (const file of ['pipelineruns/pipelinerun.yaml', 'pipelineruns/no-ci/limitrange.yaml', 'taskruns/no-ci/limitrange.yaml', 'pipelineruns/no-ci/csi-workspace.yaml']) {
    it(`validates Tekton's ${file}`, async () => {
      const r = await runCli(['validate', '-f', join(EXAMPLES, file)]);
      assert.equal(r.code, 0, r.stderr);
    });
  }

  for (const file of ['taskruns/no-ci/limitrange.yaml', 'pipelineruns/no-ci/limitrange.yaml']) {
    it(
      `runs Tekton's ${file} on the host under its LimitRange`,
      withStateDir(async (dir) => {
        const r = await runCli(['run', '-f', join(EXAMPLES, file), '--state-dir', dir]);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, /: echo\] hello world/);
        assert.ok(storedObject(dir, 'LimitRange', 'limit-mem-cpu-per-container'));
      }),
    );
  }
});
