// registry.ts: GET manifests and blobs from a distribution (Docker v2 / OCI) registry, with the
// token dance of auth.ts and the content checked against its digest.
import { createHash } from 'node:crypto';
import { TokenSource, parseChallenge, type Credentials } from './auth.ts';
import { OciError, registryErrorText, request, type RequestOptions } from './http.ts';
import { formatReference, registryHost, registryScheme, type Reference } from './reference.ts';

/** Media types of manifests, indexes and configs (Docker schema 2 and OCI). */
export const MediaType = {
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciIndex: 'application/vnd.oci.image.index.v1+json',
} as const;

const MANIFEST_ACCEPT = [MediaType.OciIndex, MediaType.DockerManifestList, MediaType.OciManifest, MediaType.DockerManifest].join(', ');

/** Fetched is a document from the registry with its media type and digest. */
export interface Fetched {
  mediaType: string;
  digest: string;
  body: Buffer;
}

/** RegistryClientOptions configure one client (shared by the lookups of one run). */
export interface RegistryClientOptions extends Omit<RequestOptions, 'signal'> {
  credentials?: (registry: string) => Credentials | undefined;
}

/** RegistryClient talks to registries; it keeps bearer tokens between requests. */
export class RegistryClient {
  private readonly tokens: TokenSource;

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.tokens = new TokenSource(options.credentials);
  }

  /** manifest GETs the manifest or index `ref` names (by digest when pinned, else by tag). */
  async manifest(ref: Reference, reference: string, signal?: AbortSignal): Promise<Fetched> {
    const f = await this.get(ref, `manifests/${reference}`, MANIFEST_ACCEPT, signal);
    const mediaType = (f.contentType ?? '').split(';')[0].trim() || mediaTypeOf(f.body);
    const digest = sha256(f.body);
    if (reference.startsWith('sha256:') && reference !== digest) {
      throw new OciError(`manifest ${reference} of ${formatReference(ref)} has digest ${digest}`);
    }
    return { mediaType, digest, body: f.body };
  }

  /** blob GETs a blob (a config) by digest and checks it. */
  async blob(ref: Reference, digest: string, signal?: AbortSignal): Promise<Buffer> {
    const f = await this.get(ref, `blobs/${digest}`, '*/*', signal);
    if (digest.startsWith('sha256:') && sha256(f.body) !== digest) throw new OciError(`blob ${digest} of ${formatReference(ref)} does not match its digest`);
    return f.body;
  }

  private async get(ref: Reference, path: string, accept: string, signal?: AbortSignal): Promise<{ body: Buffer; contentType: string | null }> {
    const url = `${registryScheme(ref)}://${registryHost(ref)}/v2/${ref.repository}/${path}`;
    const opts: RequestOptions = { ...this.options, signal };
    const headers: Record<string, string> = { accept };
    let { res, body } = await request(url, headers, opts);
    if (res.status === 401) {
      const challenge = parseChallenge(res.headers.get('www-authenticate'));
      if (!challenge) throw new OciError(`GET ${url}: 401 Unauthorized without a WWW-Authenticate challenge`, 401);
      headers.authorization = await this.tokens.authorization(ref.registry, challenge, ref.repository, formatReference(ref), opts);
      ({ res, body } = await request(url, headers, opts));
    }
    if (!res.ok) throw new OciError(`GET ${url}: ${res.status === 401 ? 'UNAUTHORIZED: ' : ''}${registryErrorText(res.status, body)}`, res.status);
    return { body, contentType: res.headers.get('content-type') };
  }
}

function sha256(body: Buffer): string {
  return `sha256:${createHash('sha256').update(body).digest('hex')}`;
}

// A registry that sends no Content-Type: the document's own mediaType field, else a schema 2 manifest.
function mediaTypeOf(body: Buffer): string {
  try {
    const doc = JSON.parse(body.toString('utf8')) as { mediaType?: string; manifests?: unknown };
    return doc.mediaType ?? (doc.manifests ? MediaType.OciIndex : MediaType.OciManifest);
  } catch {
    return '';
  }
}
