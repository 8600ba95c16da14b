// images.ts: which local image a container runs, honouring imageMap and imagePullPolicy, and the
// kubelet's waiting reasons (ErrImagePull, ErrImageNeverPull) when it cannot have one.
import { isContainerStep } from '../../pod/index.ts';
import type { V1Container } from '@kubernetes/client-node';
import { lastLine, type PodmanCli } from './cli.ts';
import { BUSYBOX_IMAGE, SHELL_ONLY_IMAGE, ensureBusyboxImage, ensureScratchImage } from './build-images.ts';

/** ContainerRole says which Tekton-made container this is; internal ones run on images the executor provides. */
export type ContainerRole = 'prepare' | 'place-scripts' | 'working-dir-initializer' | 'other' | 'step' | 'sidecar' | 'results-sidecar';

/** ImageDecision is the image to run, or the waiting state the kubelet would report. */
export type ImageDecision = { image: string; warning?: string } | { waiting: { reason: string; message: string } };

/** PULL_TIMEOUT_MS bounds one `podman pull`; offline registries fail in about 3 s (three retries). */
const PULL_TIMEOUT_MS = 60_000;

/** ImageResolver decides images for one Pod run, checking each image once. */
export interface ImageResolver {
  resolve(c: V1Container, role: ContainerRole): Promise<ImageDecision>;
}

/**
 * imageResolver returns a resolver using podman's local storage, `imageMap` rewrites and pulls as the policy
 * allows. `known` holds images found locally by earlier Pods of this executor: images are not removed
 * mid-run, so each is checked once per process (a `podman image exists` is ~40 ms), absent ones every time.
 */
export function imageResolver(cli: PodmanCli, imageMap: Record<string, string>, known: Set<string> = new Set()): ImageResolver {
  const present = new Map<string, Promise<boolean>>();
  const exists = (image: string) => {
    if (known.has(image)) return Promise.resolve(true);
    if (!present.has(image)) {
      present.set(
        image,
        cli.run(['image', 'exists', image]).then((r) => {
          if (r.code === 0) known.add(image);
          return r.code === 0;
        }),
      );
    }
    return present.get(image)!;
  };
  return {
    async resolve(c, role) {
      const requested = c.image ?? '';
      const mapped = imageMap[requested];
      // prepare and the results sidecar only run the carried node + bundle: an empty image is enough, in any setup.
      if ((role === 'prepare' || role === 'results-sidecar') && mapped === undefined) {
        const scratch = await ensureScratchImage(cli);
        return scratch ? { image: scratch } : { waiting: { reason: 'ErrImagePull', message: "could not import the executor's empty image (podman import failed)" } };
      }
      const image = mapped ?? requested;
      if (image === '') return { waiting: { reason: 'InvalidImageName', message: 'container has no image' } };
      const policy = c.imagePullPolicy ?? 'IfNotPresent';
      const local = await exists(image);
      if (policy === 'Never') {
        // kubelet: pkg/kubelet/images/image_manager.go
        return local ? { image } : { waiting: { reason: 'ErrImageNeverPull', message: `Container image ${JSON.stringify(image)} is not present with pull policy of Never` } };
      }
      if (local && policy !== 'Always') return { image };
      // The executor's own images are built, never pulled: `--image-map X=localhost/tektite/busybox:1` works on a fresh machine.
      if (!local && (image === BUSYBOX_IMAGE || image === SHELL_ONLY_IMAGE)) {
        const built = await ensureBusyboxImage(cli, { shellOnly: image === SHELL_ONLY_IMAGE });
        if (built) return { image: built };
      }
      if (role === 'place-scripts' && mapped === undefined && !local) {
        const fallback = await ensureBusyboxImage(cli);
        if (fallback) return { image: fallback, warning: `shell image ${JSON.stringify(image)} is not available locally; place-scripts runs in ${fallback}` };
      }
      return pull(cli, image, requested);
    },
  };
}

async function pull(cli: PodmanCli, image: string, requested: string): Promise<ImageDecision> {
  const r = await cli.run(['pull', '--quiet', image], { timeoutMs: PULL_TIMEOUT_MS });
  if (r.code === 0) return { image };
  const named = image === requested ? JSON.stringify(image) : `${JSON.stringify(image)} (mapped from ${JSON.stringify(requested)})`;
  return { waiting: { reason: 'ErrImagePull', message: `failed to pull image ${named}: ${lastLine(r.stderr) || `podman pull exited with code ${r.code}`}` } };
}

/** containerRole recognises the containers Tekton's pod builder makes, by name and command. */
export function containerRole(c: V1Container, init: boolean): ContainerRole {
  const cmd = c.command?.[0];
  if (init && cmd === '/ko-app/entrypoint') return 'prepare';
  if (init && cmd === '/ko-app/workingdirinit') return 'working-dir-initializer';
  if (init && c.name === 'place-scripts') return 'place-scripts';
  if (init) return 'other';
  // results-from=sidecar-logs: Tekton's results binary, served by the entrypoint bundle.
  if (cmd === '/ko-app/sidecarlogresults') return 'results-sidecar';
  // Tekton's SidecarsReady: every container that is not a `step-` container counts as a sidecar.
  return isContainerStep(c.name) || cmd === '/tekton/bin/entrypoint' ? 'step' : 'sidecar';
}
