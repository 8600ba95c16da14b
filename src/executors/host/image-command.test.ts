import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ImageConfigSource } from '../executor.ts';
import { pickPlatform, withImageCommand } from './image-command.ts';

const images: ImageConfigSource = {
  get: async (image) =>
    image === 'known'
      ? { ok: true, configs: { digest: '', platforms: { 'linux/amd64': { entrypoint: ['/ep'], cmd: ['default'] }, 'linux/arm64/v8': { entrypoint: [], cmd: ['sh'] } } } }
      : { ok: false, error: `no ${image}` },
};
const signal = new AbortController().signal;

describe('pickPlatform', () => {
  it('takes os/arch, else os/arch with a variant', () => {
    const p = { 'linux/amd64': { entrypoint: ['a'], cmd: [] }, 'linux/arm64/v8': { entrypoint: ['b'], cmd: [] } };
    assert.deepEqual(pickPlatform(p, 'linux/amd64')?.entrypoint, ['a']);
    assert.deepEqual(pickPlatform(p, 'linux/arm64')?.entrypoint, ['b']);
    assert.equal(pickPlatform(p, 'linux/s390x'), undefined);
  });
});

describe("withImageCommand (a container runtime's rule)", () => {
  it("uses the image ENTRYPOINT, with the container's args if any, else the image CMD", async () => {
    assert.deepEqual(await withImageCommand({ name: 's', image: 'known' }, images, signal), { container: { name: 's', image: 'known', command: ['/ep'], args: ['default'] } });
    assert.deepEqual(await withImageCommand({ name: 's', image: 'known', args: ['x'] }, images, signal), {
      container: { name: 's', image: 'known', command: ['/ep'], args: ['x'] },
    });
  });

  it('leaves containers with a command alone and reports an image no one knows', async () => {
    const c = { name: 's', image: 'unknown', command: ['true'] };
    assert.deepEqual(await withImageCommand(c, images, signal), { container: c });
    assert.deepEqual(await withImageCommand({ name: 's', image: 'unknown' }, images, signal), { error: 'no unknown' });
  });
});
