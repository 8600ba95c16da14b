// image-config.ts: what an image runs (its config's Entrypoint and Cmd), per platform, read from the
// registry the way Tekton's entrypoint cache does (pkg/pod/entrypoint_lookup_impl.go): a manifest
// gives one platform, from its config's os/architecture; an index gives every platform it lists
// (the entrypoint binary picks its own at run time), skipping Docker's attestation entries.
import { OciError } from './http.ts';
import { formatReference, identifier, type Reference } from './reference.ts';
import { MediaType, type RegistryClient } from './registry.ts';

/** ImageCommand is an image config's Entrypoint and Cmd (empty when unset). */
export interface ImageCommand {
  entrypoint: string[];
  cmd: string[];
}

/** ImageConfigs are the commands of an image (or of each image of an index) by platform, e.g. linux/amd64. */
export interface ImageConfigs {
  /** digest of what the reference names: the index's digest for a multi-platform image. */
  digest: string;
  platforms: Record<string, ImageCommand>;
}

interface Descriptor {
  mediaType?: string;
  digest?: string;
  platform?: { os?: string; architecture?: string; variant?: string; 'os.version'?: string };
}
interface ConfigFile {
  os?: string;
  architecture?: string;
  config?: { Entrypoint?: string[] | null; Cmd?: string[] | null } | null;
}

/** fetchImageConfigs reads ref's manifest (or index) and config blob(s) from its registry. */
export async function fetchImageConfigs(client: RegistryClient, ref: Reference, signal?: AbortSignal): Promise<ImageConfigs> {
  const top = await client.manifest(ref, identifier(ref), signal);
  const doc = parseJson<{ manifests?: Descriptor[]; config?: Descriptor }>(top.body, `manifest of ${formatReference(ref)}`);
  if (isIndex(top.mediaType)) {
    const platforms: Record<string, ImageCommand> = {};
    const seen = new Map<string, string>();
    const wanted = (doc.manifests ?? []).filter((d) => platformString(d.platform) !== 'unknown/unknown');
    for (const d of wanted) {
      const plat = platformString(d.platform);
      const prior = seen.get(plat);
      if (prior !== undefined && prior !== d.digest) throw new OciError(`duplicate unique image found for platform: ${plat}: found ${prior} and ${d.digest}`);
      seen.set(plat, d.digest ?? '');
    }
    // Every platform's config is read, in parallel (Tekton's buildCommandMap does them in turn).
    const entries = await Promise.all(
      [...seen].map(async ([plat, digest]) => {
        const m = await client.manifest(ref, digest, signal);
        if (!isImage(m.mediaType)) throw new OciError(`${formatReference(ref)}: platform ${plat} is not an image (${m.mediaType})`);
        const config = await configOf(client, ref, m.body, signal);
        return [plat, command(config)] as const;
      }),
    );
    for (const [plat, cmd] of entries) platforms[plat] = cmd;
    return { digest: top.digest, platforms };
  }
  if (!isImage(top.mediaType)) throw new OciError('unsupported media type for image reference');
  const config = await configOf(client, ref, top.body, signal);
  // pkg/platforms Format(): os/arch, "unknown" without an os; the variant is left out on purpose.
  const plat = config.os ? [config.os, config.architecture].filter(Boolean).join('/') : 'unknown';
  return { digest: top.digest, platforms: { [plat]: command(config) } };
}

async function configOf(client: RegistryClient, ref: Reference, manifest: Buffer, signal: AbortSignal | undefined): Promise<ConfigFile> {
  const m = parseJson<{ config?: Descriptor }>(manifest, `manifest of ${formatReference(ref)}`);
  if (!m.config?.digest) throw new OciError(`manifest of ${formatReference(ref)} has no config`);
  return parseJson<ConfigFile>(await client.blob(ref, m.config.digest, signal), `config of ${formatReference(ref)}`);
}

function command(config: ConfigFile): ImageCommand {
  return { entrypoint: config.config?.Entrypoint ?? [], cmd: config.config?.Cmd ?? [] };
}

/** platformString is go-containerregistry's v1.Platform.String(): os/arch[/variant][:osversion]. */
function platformString(p: Descriptor['platform']): string {
  if (!p?.os) return '';
  let s = p.os;
  if (p.architecture) s += `/${p.architecture}`;
  if (p.variant) s += `/${p.variant}`;
  if (p['os.version']) s += `:${p['os.version']}`;
  return s;
}

function isIndex(mediaType: string): boolean {
  return mediaType === MediaType.OciIndex || mediaType === MediaType.DockerManifestList;
}

function isImage(mediaType: string): boolean {
  return mediaType === MediaType.OciManifest || mediaType === MediaType.DockerManifest;
}

function parseJson<T>(body: Buffer, what: string): T {
  try {
    const v = JSON.parse(body.toString('utf8')) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as T;
  } catch {
    // reported below
  }
  throw new OciError(`the ${what} is not a JSON object`);
}
