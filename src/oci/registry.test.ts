// The registry client against a real registry (docker-registry on 127.0.0.1): anonymous and with
// Bearer-token auth, manifests, indexes and digests; and failures that come quickly and name the image.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { RegistryClient, lookupImageConfigs } from './index.ts';
import {
  buildImage,
  freePort,
  missingTools,
  pushImage,
  pushIndex,
  removeImages,
  startRegistry,
  startTokenServer,
  tempDir,
  type Registry,
  type TokenServer,
} from './registry-test-support.ts';

const missing = missingTools();
const skip = missing.length ? `needs ${missing.join(', ')} (apt-get install docker-registry skopeo podman busybox-static openssl)` : false;

describe('registry client against docker-registry', { skip }, () => {
  const id = randomBytes(4).toString('hex');
  const images = { ep: `localhost/tektite-oci-test/ep-${id}:1`, cmd: `localhost/tektite-oci-test/cmd-${id}:1` };
  let work: string;
  let anon: Registry;
  let secured: Registry;
  let tokens: TokenServer;

  before(async () => {
    work = tempDir('tektite-oci-');
    const data = `${work}/data`;
    tokens = await startTokenServer(work, ['test/denied']);
    [anon, secured] = await Promise.all([
      startRegistry(data, work),
      // Same storage behind token auth: what is pushed anonymously is read with a token.
      startRegistry(data, work, { realm: tokens.realm, service: tokens.service, issuer: tokens.issuer, rootCertBundle: tokens.certFile }),
    ]);
    buildImage(images.ep, work, { entrypoint: ['/bin/echo', 'from-entrypoint'], cmd: ['from-cmd'] });
    buildImage(images.cmd, work, { cmd: ['/bin/sh'] });
    pushImage(images.ep, `${anon.host}/test/ep:1`);
    pushImage(images.ep, `${anon.host}/test/denied:1`);
    pushIndex(images.ep, images.cmd, `localhost/tektite-oci-test/list-${id}`, `${anon.host}/test/multi:1`);
  });

  after(async () => {
    await Promise.all([anon?.stop(), secured?.stop(), tokens?.stop()]);
    removeImages(images.ep, images.cmd);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('reads ENTRYPOINT and CMD of an image by tag, then by the digest it reported', async () => {
    const client = new RegistryClient();
    const byTag = await lookupImageConfigs(client, `${anon.host}/test/ep:1`);
    assert.ok(byTag.ok, !byTag.ok ? byTag.error : '');
    assert.deepEqual(byTag.configs.platforms, { 'linux/amd64': { entrypoint: ['/bin/echo', 'from-entrypoint'], cmd: ['from-cmd'] } });
    assert.match(byTag.configs.digest, /^sha256:[0-9a-f]{64}$/);
    const byDigest = await lookupImageConfigs(client, `${anon.host}/test/ep@${byTag.configs.digest}`);
    assert.ok(byDigest.ok);
    assert.deepEqual(byDigest.configs, byTag.configs);
  });

  it("records the commands of every platform of an index, keyed by the index's platforms", async () => {
    const r = await lookupImageConfigs(new RegistryClient(), `${anon.host}/test/multi:1`);
    assert.ok(r.ok, !r.ok ? r.error : '');
    assert.deepEqual(r.configs.platforms, {
      'linux/amd64': { entrypoint: ['/bin/echo', 'from-entrypoint'], cmd: ['from-cmd'] },
      'linux/arm64/v8': { entrypoint: [], cmd: ['/bin/sh'] },
    });
  });

  it('does the Bearer token dance: 401 with a challenge, a token from the realm, the retry', async () => {
    tokens.requests.length = 0;
    const r = await lookupImageConfigs(new RegistryClient(), `${secured.host}/test/ep:1`);
    assert.ok(r.ok, !r.ok ? r.error : '');
    assert.deepEqual(r.configs.platforms['linux/amd64'].entrypoint, ['/bin/echo', 'from-entrypoint']);
    assert.deepEqual(tokens.requests, ['repository:test/ep:pull'], 'one token, reused for the config blob');
  });

  it('fails with the image named when the token is refused', async () => {
    const image = `${secured.host}/test/denied:1`;
    const r = await lookupImageConfigs(new RegistryClient(), image);
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.error, new RegExp(`^image "${image}": token request to http://127\\.0\\.0\\.1:\\d+/token refused: 401`));
  });

  it('fails with the image named when the registry has no such image', async () => {
    const image = `${anon.host}/test/nope:1`;
    const r = await lookupImageConfigs(new RegistryClient(), image);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error, `image "${image}": GET http://${anon.host}/v2/test/nope/manifests/1: MANIFEST_UNKNOWN: manifest unknown`);
  });
});

describe('registry client failures without a registry', () => {
  it('an unreachable registry fails at once, naming the image', async () => {
    const port = await freePort();
    const started = Date.now();
    const r = await lookupImageConfigs(new RegistryClient(), `127.0.0.1:${port}/x/y:1`);
    assert.equal(r.ok, false);
    if (!r.ok) assert.equal(r.error, `image "127.0.0.1:${port}/x/y:1": GET http://127.0.0.1:${port}/v2/x/y/manifests/1: ECONNREFUSED`);
    assert.ok(Date.now() - started < 3000);
  });

  it('a registry that never answers fails after the timeout, naming the image', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as { port: number };
    try {
      const started = Date.now();
      const r = await lookupImageConfigs(new RegistryClient({ timeoutMs: 300 }), `127.0.0.1:${port}/x/y:1`);
      assert.equal(r.ok, false);
      if (!r.ok) assert.equal(r.error, `image "127.0.0.1:${port}/x/y:1": GET http://127.0.0.1:${port}/v2/x/y/manifests/1: no answer within 0.3s`);
      assert.ok(Date.now() - started < 3000);
    } finally {
      silent.close();
    }
  });

  it('a reference that cannot be parsed is an error, not a request', async () => {
    const r = await lookupImageConfigs(new RegistryClient(), 'Not/An:image tag');
    assert.deepEqual(r, { ok: false, error: 'could not parse reference: Not/An:image tag (invalid tag "image tag")' });
  });
});
