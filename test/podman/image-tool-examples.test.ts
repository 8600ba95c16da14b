// image-tool-examples.test.ts: Tekton's own examples whose tools live only in their images (python, node,
// perl, bash, ubuntu) run under `--executor podman` with the stand-in images that
// scripts/build-example-images.sh builds from this machine's programs, mapped with the --image-map lines it
// prints. Judged as upstream's test/examples_test.go does: the first TaskRun (taskruns/) or PipelineRun
// (pipelineruns/) the file declares ends Succeeded=True, with the feature flags of its folder's
// test/e2e-tests-kind-<gate>.env.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRunList, repoRoot, runCli } from '../helpers/cli.ts';
import { assertName, declaredRuns } from '../helpers/declared.ts';
import { corpusDir, featureFlags as corpusFlags, readIndex, shortName } from '../conformance/index.ts';
import { skipReason } from './helpers.ts';

const corpus = corpusDir;
const skip = skipReason || (existsSync(corpus) ? false : `${corpus} is absent; skipping Tekton's image-tool examples`);

/** The image-tool examples (INDEX.tsv class), each with lines its logs must show (the tool really ran), or why it is skipped. */
const examples: Array<{ file: string; logs?: string[]; skip?: string }> = [
  { file: 'taskruns/step-script.yaml', logs: ['Hello from Node!', 'Hello from Python!', 'Hello from Perl!', 'substring is oooo', 'Hello from script file'] },
  { file: 'pipelineruns/optional-workspaces.yaml', logs: ['Skipping prelaunch.', 'Hello, World!'] },
  {
    file: 'taskruns/alpha/produce-consume-artifacts.yaml',
    logs: ['[{uri:pkg:example.github.com/inputs,digest:{sha256:b35c', 'pkg:github/package-url/purl-spec@244fd47e07d1004f0aed9c'],
  },
  // The python step exits 1 unless $(tasks.produce-artifacts-task.outputs.image) became the artifact's values.
  { file: 'pipelineruns/alpha/consume-artifacts-from-task.yaml' },
];

/** featureFlags are the file's --feature-flag arguments: the conformance suite's (its folder's CI env, then INDEX's extras). */
function featureFlags(file: string): string[] {
  const example = readIndex().find((e) => shortName(e.path) === file);
  assert.ok(example, `${file} is in INDEX.tsv`);
  return corpusFlags(example).flatMap((f) => ['--feature-flag', f]);
}

/** buildImages runs the image script (fast when the images exist) and returns its FROM=TO lines as --image-map arguments. */
function buildImages(): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [join(repoRoot, 'scripts', 'build-example-images.sh')], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 280_000, killSignal: 'SIGKILL' });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`build-example-images.sh exited ${code}\n${err}`));
      else
        resolve(
          out
            .split('\n')
            .filter(Boolean)
            .flatMap((l) => ['--image-map', l]),
        );
    });
  });
}

describe("Tekton's image-tool examples under --executor podman", { skip, concurrency: 2 }, () => {
  let imageMap: string[] = [];
  before(async () => {
    imageMap = await buildImages();
  });

  it('maps every image these examples name to a local image', () => {
    const mapped = new Set(imageMap.filter((_, i) => i % 2 === 1).map((l) => l.split('=')[0]));
    for (const { file } of examples) {
      const text = readFileSync(join(corpus, 'examples', 'v1', file), 'utf8');
      for (const [, image] of text.matchAll(/^\s*-?\s*image:\s*(\S+)\s*$/gm)) assert.ok(mapped.has(image), `${file}: ${image} is mapped`);
    }
  });

  for (const { file, logs, skip: why } of examples) {
    const kind = file.startsWith('taskruns/') ? 'TaskRun' : 'PipelineRun';
    it(`${file}: the first ${kind} ends Succeeded=True`, { skip: why }, async () => {
      const path = join(corpus, 'examples', 'v1', file);
      const stateDir = mkdtempSync(join(tmpdir(), 'tektite-image-tool-'));
      try {
        const out = await runCli(['run', '--executor', 'podman', ...imageMap, ...featureFlags(file), '-f', path, '-o', 'json', '--state-dir', stateDir], 280_000);
        const context = `exit ${out.code}\n--- stdout\n${out.stdout}\n--- stderr\n${out.stderr}`;
        const declared = declaredRuns(readFileSync(path, 'utf8'), kind)[0];
        const run = parseRunList(out.stdout)?.items.find((i) => i.kind === kind);
        assert.ok(run, `a ${kind} was printed\n${context}`);
        assertName(run, declared);
        const c = run.status?.conditions?.find((x) => x.type === 'Succeeded');
        assert.equal(c?.status, 'True', `condition ${JSON.stringify(c)}\n${context}`);
        assert.equal(out.code, 0, context);
        for (const line of logs ?? []) assert.ok(`${out.stdout}${out.stderr}`.includes(line), `the logs show ${JSON.stringify(line)}\n${context}`);
      } finally {
        rmSync(stateDir, { recursive: true, force: true });
      }
    });
  }
});
