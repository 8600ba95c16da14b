// reference.ts: image references as Docker and go-containerregistry read them (name.ParseReference
// with WeakValidation): `ubuntu` is docker.io/library/ubuntu:latest, a first component with a dot,
// a colon or `localhost` is a registry (with its port), `@sha256:...` pins a digest.

/** Reference is one parsed image reference. */
export interface Reference {
  /** registry as written (docker.io for Docker Hub), with its port if any. */
  registry: string;
  /** repository inside the registry, e.g. library/ubuntu. */
  repository: string;
  /** tag is `latest` when neither a tag nor a digest is given. */
  tag?: string;
  digest?: string;
}

/** DOCKER_HUB is how references name Docker Hub; its API is served by registryHost(). */
export const DOCKER_HUB = 'docker.io';

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;

/** parseReference parses an image reference, or returns why it is not one. */
export function parseReference(image: string): { ok: true; ref: Reference } | { ok: false; error: string } {
  const bad = (why: string) => ({ ok: false as const, error: `could not parse reference: ${image}${why ? ` (${why})` : ''}` });
  if (image === '' || image.trim() !== image) return bad('');
  let rest = image;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest) || (digest.startsWith('sha256:') && !SHA256.test(digest))) return bad(`invalid digest ${JSON.stringify(digest)}`);
  }
  let tag: string | undefined;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return bad(`invalid tag ${JSON.stringify(tag)}`);
  }
  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  if (parts.length > 1 && (parts[0].includes('.') || parts[0].includes(':') || parts[0] === 'localhost')) registry = parts.shift()!;
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (!/^[a-zA-Z0-9.-]+(:[0-9]+)?$/.test(registry) && !/^\[[0-9a-fA-F:]+\](:[0-9]+)?$/.test(registry)) return bad(`invalid registry ${JSON.stringify(registry)}`);
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  if (!parts.every((p) => COMPONENT.test(p))) return bad('repository must be lowercase letters, digits and separators');
  const repository = parts.join('/');
  if (repository.length > 255) return bad('repository name too long');
  return { ok: true, ref: { registry, repository, ...(tag !== undefined || digest === undefined ? { tag: tag ?? 'latest' } : {}), ...(digest && { digest }) } };
}

/** formatReference renders the fully qualified reference: docker.io/library/ubuntu:latest, ...@sha256:... */
export function formatReference(ref: Reference): string {
  const name = `${ref.registry}/${ref.repository}`;
  return `${name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** identifier is what the registry is asked for: the digest when pinned, else the tag. */
export function identifier(ref: Reference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** registryHost is the host:port serving the registry API (Docker Hub's is registry-1.docker.io). */
export function registryHost(ref: Reference): string {
  return ref.registry === DOCKER_HUB ? 'registry-1.docker.io' : ref.registry;
}

/**
 * registryScheme is http for registries on this machine (localhost, 127.0.0.0/8, ::1), as
 * go-containerregistry's name.Registry.Scheme() does, and https everywhere else.
 */
export function registryScheme(ref: Reference): 'http' | 'https' {
  const host = registryHost(ref).replace(/:[0-9]+$/, '');
  const loopback = host === 'localhost' || /^127(\.[0-9]{1,3}){3}$/.test(host) || host === '[::1]' || host.endsWith('.localhost');
  return loopback ? 'http' : 'https';
}

/** ImageName is a loose split of any image string, for table lookups rather than pulls (nothing is validated). */
export interface ImageName {
  /** repository as written, registry included, without tag or digest. */
  repository: string;
  tag: string;
  /** path is the repository's components; name is the last one. */
  path: string[];
  name: string;
}

/** splitImageName splits an image into repository, path, name and tag, dropping a digest (a registry port's colon is kept). */
export function splitImageName(image: string): ImageName {
  const ref = image.split('@')[0];
  const colon = ref.lastIndexOf(':');
  const [repository, tag] = colon > ref.lastIndexOf('/') ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, ''];
  const path = repository.split('/');
  return { repository, tag, path, name: path[path.length - 1] };
}
