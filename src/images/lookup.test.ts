// The lookup order: podman's storage, the state dir's cache, the registry, the host table; the error naming the image.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdirSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildImage, freePort, missingTools, pushImage, removeImages, startRegistry, tempDir, type Registry } from '../oci/registry-test-support.ts';
import { ImageLookup } from './lookup.ts';

const missing = missingTools();
const skip = missing.length ? `needs ${missing.join(', ')}` : false;

describe('ImageLookup', { skip }, () => {
  const local = `localhost/tektite-lookup-test/ep-${randomBytes(4).toString('hex')}:1`;
  let work: string;
  let registry: Registry;

  before(async () => {
    work = tempDir('tektite-lookup-');
    registry = await startRegistry(`${work}/data`, work);
    buildImage(local, work, { entrypoint: ['/bin/echo'], cmd: ['hi'] });
    pushImage(local, `${registry.host}/test/ep:1`);
  });

  after(async () => {
    await registry?.stop();
    removeImages(local);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("answers from podman's local storage first", async () => {
    const r = await new ImageLookup({ podman: true }).get(local);
    assert.ok(r.ok);
    assert.equal(r.source, 'podman');
    assert.deepEqual(r.configs.platforms['linux/amd64'], { entrypoint: ['/bin/echo'], cmd: ['hi'] });
  });

  it('looks up the mapped image (--image-map), the one that will run', async () => {
    const r = await new ImageLookup({ podman: true, imageMap: { 'example.com/tool:1': local } }).get('example.com/tool:1');
    assert.ok(r.ok);
    assert.equal(r.source, 'podman');
  });

  it('asks the registry once: a second run is answered from the state dir', async () => {
    const cacheDir = `${work}/cache`;
    const image = `${registry.host}/test/ep:1`;
    const first = await new ImageLookup({ podman: false, cacheDir }).get(image);
    assert.ok(first.ok);
    assert.equal(first.source, 'registry');
    assert.equal(readdirSync(cacheDir).length, 1);
    const second = await new ImageLookup({ podman: false, cacheDir }).get(image);
    assert.ok(second.ok);
    assert.equal(second.source, 'cache');
    assert.deepEqual(second.configs, first.configs);
  });
});

describe('ImageLookup without podman or registry', () => {
  it('falls back to the host table only when asked to (the host executor)', async () => {
    const port = await freePort();
    const image = `127.0.0.1:${port}/library/busybox:1.36`;
    const host = await new ImageLookup({ podman: false, hostTable: true }).get(image);
    assert.ok(host.ok);
    assert.equal(host.source, 'table');
    assert.deepEqual(Object.values(host.configs.platforms), [{ entrypoint: [], cmd: ['sh'] }]);
    const other = await new ImageLookup({ podman: false }).get(image);
    assert.equal(other.ok, false);
    if (!other.ok) {
      assert.equal(
        other.error,
        `could not find the ENTRYPOINT/CMD of image "${image}": its registry answered: GET http://127.0.0.1:${port}/v2/library/busybox/manifests/1.36: ECONNREFUSED`,
      );
    }
  });

  it('stops waiting for a registry that does not answer when the run is cancelled', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as { port: number };
    try {
      const started = Date.now();
      const r = await new ImageLookup({ podman: false, registryTimeoutMs: 30_000 }).get(`127.0.0.1:${port}/x:1`, AbortSignal.timeout(200));
      assert.deepEqual(r, { ok: false, error: `the lookup of image "127.0.0.1:${port}/x:1" was cancelled` });
      assert.ok(Date.now() - started < 5000);
    } finally {
      sockets.forEach((s) => s.destroy()); // the shared request ends too, not at its timeout.
      silent.close();
    }
  });

  it('names the image and every place tried when nothing knows it', async () => {
    const port = await freePort();
    const image = `127.0.0.1:${port}/team/tool:1`;
    const r = await new ImageLookup({ podman: false, hostTable: true }).get(image);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(
        r.error,
        /^could not find the ENTRYPOINT\/CMD of image "127\.0\.0\.1:\d+\/team\/tool:1": its registry answered: .*ECONNREFUSED; it is not in the host executor's table of common images$/,
      );
    }
  });
});
