// entrypoint-lookup.test.ts: a step with no command runs its image's ENTRYPOINT/CMD, looked up before
// the Pod is built (Tekton's pkg/pod/entrypoint_lookup.go), on the host executor and under podman;
// an image nobody can describe fails the TaskRun with PodCreationFailed naming the image, quickly.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildImage, freePort, missingTools, pushImage, removeImages, startRegistry, tempDir, type Registry } from '../src/oci/registry-test-support.ts';
import { parseRunList, runCli, type RunObject } from './helpers/cli.ts';

const missing = missingTools();
const skip = missing.length ? `needs ${missing.join(', ')}` : false;

function taskRun(name: string, image: string, args?: string[]): string {
  return `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: ${name}}
spec:
  taskSpec:
    steps:
    - name: from-image
      image: ${image}
${args ? `      args: ${JSON.stringify(args)}\n` : ''}`;
}

async function run(yaml: string, extra: string[] = []): Promise<{ code: number | null; run: RunObject; stdout: string; stderr: string; ms: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-eplookup-'));
  try {
    writeFileSync(join(dir, 'run.yaml'), yaml);
    const started = Date.now();
    const out = await runCli(['run', '-f', join(dir, 'run.yaml'), '--state-dir', join(dir, 'state'), '-o', 'json', ...extra]);
    const list = parseRunList(out.stdout);
    assert.ok(list?.items[0], `${out.stdout}\n${out.stderr}`);
    return { code: out.code, run: list.items[0], stdout: out.stdout, stderr: out.stderr, ms: Date.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const succeeded = (r: RunObject) => r.status?.conditions?.find((c) => c.type === 'Succeeded');

describe("a step without command runs its image's ENTRYPOINT/CMD", { skip }, () => {
  const local = `localhost/tektite-e2e/ep-${randomBytes(4).toString('hex')}:1`;
  let work: string;
  let registry: Registry;

  before(async () => {
    work = tempDir('tektite-eplookup-');
    registry = await startRegistry(`${work}/data`, work);
    buildImage(local, work, { entrypoint: ['/bin/echo', 'from-entrypoint'], cmd: ['from-cmd'] });
    pushImage(local, `${registry.host}/e2e/ep:1`);
  });

  after(async () => {
    await registry?.stop();
    removeImages(local);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('on the host, read from the registry: ENTRYPOINT + CMD without args, ENTRYPOINT + args with', async () => {
    const image = `${registry.host}/e2e/ep:1`;
    const bare = await run(taskRun('no-args', image));
    assert.equal(bare.code, 0, bare.stderr);
    assert.match(bare.stderr, /\[no-args : from-image\] from-entrypoint from-cmd\n/);
    const withArgs = await run(taskRun('with-args', image, ['given']));
    assert.equal(withArgs.code, 0, withArgs.stderr);
    assert.match(withArgs.stderr, /\[with-args : from-image\] from-entrypoint given\n/);
  });

  it("under podman, read from podman's local storage", async () => {
    const r = await run(taskRun('in-podman', local, ['given']), ['--executor', 'podman']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\[in-podman : from-image\] from-entrypoint given\n/);
  });

  it("on the host, a sidecar without command runs its image's ENTRYPOINT with its args (a runtime's rule)", async () => {
    const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: sidecar-image}
spec:
  taskSpec:
    sidecars:
    - name: side
      image: ${registry.host}/e2e/ep:1
      args: [sidecar-arg]
    steps:
    - name: main
      image: ${registry.host}/e2e/ep:1
      command: [/bin/true]
`;
    const r = await run(yaml);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /\[sidecar-image : side\] from-entrypoint sidecar-arg\n/);
  });

  it('on the host, a sidecar whose image no one knows fails the TaskRun with ImagePullFailed, naming it', async () => {
    const image = `${registry.host}/e2e/absent-sidecar:1`;
    const yaml = `apiVersion: tekton.dev/v1
kind: TaskRun
metadata: {name: sidecar-unknown}
spec:
  taskSpec:
    sidecars:
    - {name: side, image: "${image}"}
    steps:
    - {name: main, image: busybox, command: [/bin/true]}
`;
    const r = await run(yaml);
    assert.equal(r.code, 1);
    assert.equal(succeeded(r.run)?.reason, 'TaskRunImagePullFailed');
    assert.match(
      succeeded(r.run)?.message ?? '',
      new RegExp(
        `^the sidecar "side" in TaskRun "sidecar-unknown" failed to pull the image "${image.replace(/[.]/g, '\\.')}". The pod errored with the message: "could not find the ENTRYPOINT/CMD of image .*MANIFEST_UNKNOWN`,
      ),
    );
  });

  it('an image no one can describe fails the TaskRun with PodCreationFailed, naming it, at once', async () => {
    const image = `127.0.0.1:${await freePort()}/e2e/unknown-tool:1`;
    const r = await run(taskRun('unknown-image', image));
    assert.equal(r.code, 1);
    const c = succeeded(r.run);
    assert.equal(c?.status, 'False');
    assert.equal(c?.reason, 'PodCreationFailed');
    assert.match(
      c?.message ?? '',
      new RegExp(
        `^failed to create task run pod "unknown-image": translating TaskSpec to Pod: could not find the ENTRYPOINT/CMD of image "${image.replace(/[.]/g, '\\.')}": .*ECONNREFUSED.*\\. Maybe invalid TaskSpec$`,
      ),
    );
    assert.ok(r.ms < 20_000, `${r.ms} ms`);
  });

  it('an image that is not in the registry fails the same way under podman', async () => {
    const image = `${registry.host}/e2e/absent:1`;
    const r = await run(taskRun('absent-image', image), ['--executor', 'podman']);
    assert.equal(r.code, 1);
    assert.equal(succeeded(r.run)?.reason, 'PodCreationFailed');
    assert.match(succeeded(r.run)?.message ?? '', /MANIFEST_UNKNOWN: manifest unknown/);
    assert.match(succeeded(r.run)?.message ?? '', new RegExp(`image "${image.replace(/[.]/g, '\\.')}"`));
  });
});
