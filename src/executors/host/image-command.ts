// image-command.ts: a container with no command (a sidecar; steps carry TEKTON_PLATFORM_COMMANDS)
// runs its image's ENTRYPOINT, with the image's CMD unless it gives args: what a container runtime
// does with the image config, done here from the lookup (src/images) since the host has no runtime.
import type { V1Container } from '@kubernetes/client-node';
import { hostPlatform, type ImageCommand } from '../../oci/index.ts';
import type { ImageConfigSource } from '../executor.ts';

/** pickPlatform returns this platform's command: os/arch exactly, else os/arch/<variant>. */
export function pickPlatform(platforms: Record<string, ImageCommand>, platform = hostPlatform()): ImageCommand | undefined {
  return platforms[platform] ?? Object.entries(platforms).find(([k]) => k.startsWith(`${platform}/`))?.[1];
}

/** withImageCommand fills in a command-less container from its image, or says why it cannot (the kubelet's ErrImagePull). */
export async function withImageCommand(c: V1Container, images: ImageConfigSource | undefined, signal: AbortSignal): Promise<{ container: V1Container } | { error: string }> {
  if (c.command?.length || !c.image || !images) return { container: c };
  const looked = await images.get(c.image, signal);
  if (!looked.ok) return { error: looked.error };
  const image = pickPlatform(looked.configs.platforms);
  if (!image) return { error: `image ${JSON.stringify(c.image)} has no command for platform ${hostPlatform()} (it has ${Object.keys(looked.configs.platforms).join(', ')})` };
  // Kubernetes: no command → the image's ENTRYPOINT; no args → the image's CMD.
  const args = c.args?.length ? c.args : image.cmd;
  return { container: { ...c, command: image.entrypoint, args } };
}
