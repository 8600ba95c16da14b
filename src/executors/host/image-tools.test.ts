import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseImageName, PodImageTools, toolsForImage } from './image-tools.ts';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'tektite-image-tools-'));
  dirs.push(d);
  return d;
}

describe('toolsForImage', () => {
  it('splits repository and tag, dropping a digest, keeping a registry port', () => {
    assert.deepEqual(parseImageName('gcr.io/x/cmd/git-init:v0.40.2'), { repository: 'gcr.io/x/cmd/git-init', tag: 'v0.40.2' });
    assert.deepEqual(parseImageName('gcr.io/x/cmd/git-init@sha256:abc'), { repository: 'gcr.io/x/cmd/git-init', tag: '' });
    assert.deepEqual(parseImageName('localhost:5000/x/cmd/git-init:v1@sha256:abc'), { repository: 'localhost:5000/x/cmd/git-init', tag: 'v1' });
    assert.deepEqual(parseImageName('localhost:5000/git-init'), { repository: 'localhost:5000/git-init', tag: '' });
  });

  it("gives Tekton's git-init image, whatever its registry, tag or digest, /ko-app/git-init and /home/git", () => {
    for (const image of [
      'gcr.io/tekton-releases/github.com/tektoncd/pipeline/cmd/git-init:v0.40.2',
      'ghcr.io/tektoncd/github.com/tektoncd/pipeline/cmd/git-init:v0.40.2',
      'gcr.io/tekton-releases/github.com/tektoncd/pipeline/cmd/git-init@sha256:0123',
      'registry.local:5000/mirror/tektoncd/pipeline/cmd/git-init',
    ]) {
      assert.deepEqual(
        toolsForImage(image).map((t) => t.provides.map((p) => p.path)),
        [['/ko-app/git-init', '/home/git']],
        image,
      );
    }
    for (const image of [undefined, '', 'alpine/git', 'gcr.io/x/cmd/git-init-extra:v1', 'cmd/git-init', 'gcr.io/x/cmd/entrypoint:v1:cmd/git-init']) {
      assert.deepEqual(toolsForImage(image), [], String(image));
    }
  });

  it('gives tektoncd-catalog/git-clone v1.0-v1.1 (catalog git-clone 0.10) its flavor of git-init, and nothing to later tags', () => {
    const provided = (image: string): string[] => toolsForImage(image).flatMap((t) => t.provides.map((p) => ('program' in p ? p.program : p.path)));
    assert.deepEqual(provided('ghcr.io/tektoncd-catalog/git-clone:v1.1.0'), ['git-init-catalog.cjs']);
    assert.deepEqual(provided('ghcr.io/tektoncd-catalog/git-clone:v1.0.1@sha256:0123'), ['git-init-catalog.cjs']);
    assert.deepEqual(provided('ghcr.io/tektoncd-catalog/git-clone:v1.2.0'), []);
    assert.deepEqual(provided('ghcr.io/tektoncd-catalog/git-clone@sha256:0123'), []);
    assert.deepEqual(provided('ghcr.io/tektoncd-catalog/git-clone/base:v1.1.0'), []);
  });
});

describe('PodImageTools', () => {
  it('mounts a launcher of the bundle with this node, once per pod, and a fresh home per container', () => {
    const bundles = tempDir();
    const scratch = tempDir();
    writeFileSync(path.join(bundles, 'git-init.cjs'), '');
    const warnings: string[] = [];
    const tools = new PodImageTools(bundles, scratch, (w) => warnings.push(w));
    const image = 'gcr.io/tekton-releases/github.com/tektoncd/pipeline/cmd/git-init:v0.40.2';
    const a = tools.forContainer('step-a', image);
    const b = tools.forContainer('step-b', image);
    assert.deepEqual(tools.forContainer('step-c', 'alpine'), []);
    assert.equal(a.length, 2);
    const [launcherA, homeA] = a;
    assert.deepEqual(launcherA, { containerPath: '/ko-app/git-init', hostPath: b[0].hostPath, readOnly: true });
    assert.equal(readFileSync(launcherA.hostPath, 'utf8'), `#!${process.execPath}\nrequire(${JSON.stringify(path.join(bundles, 'git-init.cjs'))});\n`);
    assert.equal(statSync(launcherA.hostPath).mode & 0o111, 0o111);
    assert.equal(homeA.containerPath, '/home/git');
    assert.equal(homeA.readOnly, false);
    assert.ok(statSync(homeA.hostPath).isDirectory());
    assert.notEqual(homeA.hostPath, b[1].hostPath);
    assert.deepEqual(warnings, []);
  });

  it('leaves a missing bundle out, with one warning per pod', () => {
    const bundles = tempDir();
    mkdirSync(path.join(bundles, 'empty'));
    const warnings: string[] = [];
    const tools = new PodImageTools(path.join(bundles, 'empty'), tempDir(), (w) => warnings.push(w));
    const image = 'gcr.io/x/cmd/git-init:v1';
    assert.deepEqual(
      tools.forContainer('a', image).map((m) => m.containerPath),
      ['/home/git'],
    );
    tools.forContainer('b', image);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^git-init\.cjs is missing from .*empty \(npm run build\)/);
  });
});
