// oci: the project's client for OCI/Docker registries. It owns image references (parsing,
// docker.io defaults, digests, ports), registry auth (anonymous, Bearer tokens from a
// WWW-Authenticate challenge, Basic), manifest/index/blob GETs (every request with a timeout,
// http only for loopback registries) and reading an image's config (Entrypoint/Cmd per platform).
// It knows nothing about Tekton; bundles and workspace images will grow here.
import { OciError } from './http.ts';
import { fetchImageConfigs, type ImageConfigs } from './image-config.ts';
import { formatReference, parseReference } from './reference.ts';
import type { RegistryClient } from './registry.ts';

export { DOCKER_HUB, formatReference, identifier, parseReference, registryHost, registryScheme, splitImageName, type ImageName, type Reference } from './reference.ts';
export { parseChallenge, type Challenge, type Credentials } from './auth.ts';
export { DEFAULT_TIMEOUT_MS, OciError } from './http.ts';
export { MediaType, RegistryClient, type RegistryClientOptions } from './registry.ts';
export { fetchImageConfigs, type ImageCommand, type ImageConfigs } from './image-config.ts';
export { hostPlatform } from './platform.ts';

/**
 * lookupImageConfigs parses `image` and reads its commands from its registry. Failures are values
 * whose message names the image (a bad reference, no answer, an unknown image, auth refused).
 */
export async function lookupImageConfigs(
  client: RegistryClient,
  image: string,
  signal?: AbortSignal,
): Promise<{ ok: true; reference: string; configs: ImageConfigs } | { ok: false; error: string }> {
  const parsed = parseReference(image);
  if (!parsed.ok) return parsed;
  try {
    return { ok: true, reference: formatReference(parsed.ref), configs: await fetchImageConfigs(client, parsed.ref, signal) };
  } catch (err) {
    if (!(err instanceof OciError)) throw err;
    return { ok: false, error: `image ${JSON.stringify(image)}: ${err.message}` };
  }
}
