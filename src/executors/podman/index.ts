// podman executor: the exact V1Pod the pod builder makes, run in real containers with podman acting as
// a small kubelet (one podman pod per Pod, host directories as volumes, the entrypoint bundle run by
// the host's node carried into any image). Owns src/executors/podman/; docs/podman.md documents it.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Executor } from '../executor.ts';
import { podmanCli } from './cli.ts';
import { findEntrypointBundle } from './node-runtime.ts';
import { cleanupSettled } from './pod-lifecycle.ts';
import { runPodmanPod } from './run-pod.ts';
import { FifoPool } from './stdio-fifos.ts';

export { checkPodman, type PodmanCheck } from './check.ts';
export { BUSYBOX_IMAGE, SCRATCH_IMAGE, SHELL_ONLY_IMAGE, ensureBusyboxImage, ensureScratchImage, staticBusybox } from './build-images.ts';
export { podmanCli, type PodmanCli, type PodmanResult } from './cli.ts';
export { cleanupSettled, POD_LABEL } from './pod-lifecycle.ts';

const SETTLE_MS = 10_000;

/** PodmanExecutorOptions configure the podman executor. */
export interface PodmanExecutorOptions {
  /** imageMap rewrites image names (`--image-map FROM=TO`), e.g. to point a registry image at a local one. */
  imageMap?: Record<string, string>;
  /** podmanPath is the podman binary (default `podman` on PATH). */
  podmanPath?: string;
  /** entrypointBundle is the entrypoint bundle to run in containers (default: this package's dist/entrypoint.cjs). */
  entrypointBundle?: string;
}

/**
 * podmanExecutor returns an Executor that runs each Pod in podman containers (in one podman pod when it has
 * sidecars) and removes them in the background afterwards; whatever is still being removed when the process
 * exits is removed synchronously then.
 */
export function podmanExecutor(options: PodmanExecutorOptions = {}): Executor {
  const cli = podmanCli(options.podmanPath);
  const imageMap = options.imageMap ?? {};
  const warned = new Set<string>();
  const knownImages = new Set<string>();
  // The first Pods' FIFOs are made while the CLI still admits the files.
  const fifos = new FifoPool();
  void fifos.refill();
  return {
    name: 'podman',
    // The bundle is looked up per run: `npm run build` may produce it after the executor was made.
    runPod: (pod, runOptions) => runPodmanPod(pod, runOptions, { cli, imageMap, warned, knownImages, fifos, bundle: options.entrypointBundle ?? findEntrypointBundle() }),
    // Bounded: a hung podman must not hold the process; the exit handler removes what is left.
    settle: () => Promise.race([cleanupSettled(), sleep(SETTLE_MS, undefined, { ref: false })]),
  };
}
