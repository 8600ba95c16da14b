import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatReference, identifier, parseReference, registryHost, registryScheme, type Reference } from './reference.ts';

function parse(image: string): Reference {
  const r = parseReference(image);
  assert.ok(r.ok, `${image}: ${!r.ok ? r.error : ''}`);
  return r.ref;
}

const DIGEST = 'sha256:e320b40b14abc61f053286705070342c46034a549a276b798e64541457c4af92';

describe('parseReference', () => {
  it('applies Docker Hub defaults: registry docker.io, library/, tag latest', () => {
    assert.equal(formatReference(parse('ubuntu')), 'docker.io/library/ubuntu:latest');
    assert.equal(formatReference(parse('ubuntu:22.04')), 'docker.io/library/ubuntu:22.04');
    assert.equal(formatReference(parse('tektoncd/thing')), 'docker.io/tektoncd/thing:latest');
    assert.equal(formatReference(parse('index.docker.io/library/alpine:3')), 'docker.io/library/alpine:3');
  });

  it('reads a registry with a dot, a port or localhost, and keeps multi-level repositories', () => {
    assert.deepEqual(parse('mirror.gcr.io/bash'), { registry: 'mirror.gcr.io', repository: 'bash', tag: 'latest' });
    assert.deepEqual(parse('localhost:5000/a/b/c:v1'), { registry: 'localhost:5000', repository: 'a/b/c', tag: 'v1' });
    assert.deepEqual(parse('localhost/tektite/busybox:1'), { registry: 'localhost', repository: 'tektite/busybox', tag: '1' });
    assert.deepEqual(parse('ghcr.io/tektoncd/pipeline/nop-8eac7c133edad5df719dc37b36b62482'), {
      registry: 'ghcr.io',
      repository: 'tektoncd/pipeline/nop-8eac7c133edad5df719dc37b36b62482',
      tag: 'latest',
    });
  });

  it('pins digests, with or without a tag, and asks the registry for the digest', () => {
    const byDigest = parse(`mirror.gcr.io/bash@${DIGEST}`);
    assert.deepEqual(byDigest, { registry: 'mirror.gcr.io', repository: 'bash', digest: DIGEST });
    assert.equal(identifier(byDigest), DIGEST);
    assert.equal(formatReference(byDigest), `mirror.gcr.io/bash@${DIGEST}`);
    const both = parse(`127.0.0.1:5055/busybox:1.36@${DIGEST}`);
    assert.equal(both.tag, '1.36');
    assert.equal(identifier(both), DIGEST);
    assert.equal(identifier(parse('alpine:3.19')), '3.19');
  });

  it('rejects what is not a reference, naming it', () => {
    for (const bad of ['', 'Ubuntu', 'ubuntu:bad tag', 'ubuntu@sha256:abc', 'a//b', ' ubuntu', 'ubuntu:-x', 'ex ample.com/x']) {
      const r = parseReference(bad);
      assert.equal(r.ok, false, bad);
      if (!r.ok) assert.match(r.error, /^could not parse reference: /);
    }
  });
});

describe('registryHost and registryScheme', () => {
  it('serves Docker Hub from registry-1.docker.io over https', () => {
    const ref = parse('ubuntu');
    assert.equal(registryHost(ref), 'registry-1.docker.io');
    assert.equal(registryScheme(ref), 'https');
  });

  it('uses plain http only on this machine (localhost, 127.0.0.0/8, ::1)', () => {
    assert.equal(registryScheme(parse('localhost:5000/x')), 'http');
    assert.equal(registryScheme(parse('127.0.0.1:5055/x')), 'http');
    assert.equal(registryScheme(parse('127.3.2.1:80/x')), 'http');
    assert.equal(registryScheme(parse('[::1]:5000/x')), 'http');
    assert.equal(registryScheme(parse('128.0.0.1:5000/x')), 'https');
    assert.equal(registryScheme(parse('localhost.example.com/x')), 'https');
  });
});
