// artifacts-host.test.ts: Tekton's consume-artifacts-from-task.yaml on the host executor (images are
// ignored; its python step uses this machine's python3), in both results modes: the producer's
// $(artifacts.path) reaches its TaskRun's status.artifacts and the consumer's
// $(tasks.produce-artifacts-task.outputs.image), which the python step checks (it exits 1 otherwise).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunList, repoRoot, runCli } from './helpers/cli.ts';
import { storedObjects } from './helpers/store.ts';

const example = join(repoRoot, '..', 'shared', 'conformance', 'tekton-examples', 'examples', 'v1', 'pipelineruns', 'alpha', 'consume-artifacts-from-task.yaml');
const skip = !existsSync(example) ? `${example} is absent` : !existsSync('/usr/bin/python3') ? 'python3 is absent' : false;

describe('consume-artifacts-from-task.yaml on the host executor', { skip, concurrency: 2 }, () => {
  for (const mode of ['termination-message', 'sidecar-logs']) {
    it(`succeeds with results-from=${mode}, the producer's TaskRun showing its artifacts`, async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'tektite-artifacts-'));
      try {
        const out = await runCli(
          [
            'run',
            '-f',
            example,
            '-o',
            'json',
            '--state-dir',
            stateDir,
            '--feature-flag',
            'enable-api-fields=alpha',
            '--feature-flag',
            'enable-artifacts=true',
            '--feature-flag',
            `results-from=${mode}`,
          ],
          60_000,
        );
        const context = `exit ${out.code}\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`;
        const run = parseRunList(out.stdout)?.items.find((i) => i.kind === 'PipelineRun');
        assert.equal(run?.status?.conditions?.find((c) => c.type === 'Succeeded')?.status, 'True', context);
        assert.equal(out.code, 0, context);
        const tr = storedObjects<{
          metadata: { name: string };
          status: { artifacts?: { inputs?: { name: string }[]; outputs?: { name: string; values: { uri: string }[] }[] } };
        }>(stateDir, 'TaskRun', 'default').find((t) => t.metadata.name.endsWith('-produce-artifacts-task'))!;
        assert.deepEqual(
          tr.status.artifacts?.inputs?.map((a) => a.name),
          ['input-artifacts'],
        );
        assert.deepEqual(
          tr.status.artifacts?.outputs?.map((a) => [a.name, a.values[0].uri]),
          [['image', 'pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c']],
        );
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    });
  }
});
