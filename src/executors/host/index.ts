// executors/host: runs a V1Pod on this machine with no containers. Each container is a host
// process in a private mount namespace (bubblewrap, else unshare+chroot as root, else path
// rewriting) where its volumeMounts appear at their literal paths; images are ignored, except
// that /bin/sh follows the image family: busybox, bash or dash (shell.ts, docs/host-executor.md), and
// some images' own programs are provided from dist/ (image-tools.ts: /ko-app/git-init). Steps
// wrapped by /tekton/bin/entrypoint run the entrypoint library in-process, their user command in
// the sandbox. Owns how a container runs on the host (the Pod lifecycle, env and volumes: ../pod).
// Speed (docs/benchmarks.md): steps' sandboxes are started ahead of their turn (prestart.ts) and
// Tekton's small internal volumes live on a tmpfs when there is one (scratch.ts).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { Executor, PodRunOptions } from '../executor.ts';
import { entrypointLibrary } from './entrypoint-link.ts';
import { runPodLifecycle } from '../pod/index.ts';
import { hostRuntime } from './pod-run.ts';
import { detectSandbox } from './sandbox.ts';
import type { SandboxPreference } from './sandbox.ts';
import { findHostShells } from './shell.ts';

export { imagesIgnoredWarning, noSandboxWarning } from './pod-run.ts';
export { imageTools, toolsForImage } from './image-tools.ts';
export type { ImageTool, ToolPath } from './image-tools.ts';
export { detectSandbox } from './sandbox.ts';
export { isBusyboxImage, missingBusyboxWarning, noNamespaceShellWarning, shellFamily } from './shell.ts';
export type { SandboxMode, SandboxPreference } from './sandbox.ts';

/** HostExecutorOptions tune the host executor. */
export interface HostExecutorOptions {
  /** entrypointBundle is the host path of dist/entrypoint.cjs, placed at /ko-app/entrypoint. */
  entrypointBundle?: string;
  /** sandbox picks the isolation; 'auto' (default) uses the first of bwrap, unshare, none that works. */
  sandbox?: SandboxPreference;
  /** inProcessEntrypoint runs /tekton/bin/entrypoint containers in-process (default true). */
  inProcessEntrypoint?: boolean;
  /**
   * tmpfsScratch (default true) keeps Tekton's small internal volumes (/tekton/run/N,
   * /tekton/steps, ...) and termination files on a tmpfs ($XDG_RUNTIME_DIR or /dev/shm) when
   * there is one, removed when the pod ends; false keeps them under the pod's workDir.
   */
  tmpfsScratch?: boolean;
  /**
   * prestartAhead (default: the number of CPUs, at least 2) is how many steps' sandboxes are
   * started ahead of their turn, so a step starts right after the previous one's post file; 0: none.
   */
  prestartAhead?: number;
  /**
   * busybox (default: /usr/bin/busybox or /bin/busybox, whichever exists) is the host busybox
   * bound over /bin/sh, with `ash` and `sh` on PATH, for busybox-based images (busybox, alpine,
   * bash, *:*alpine*); a path that does not exist keeps the host shell, with a warning. The
   * host's bash and dash play /bin/sh for the Red Hat and Debian families (shell.ts).
   */
  busybox?: string;
  /**
   * imageToolsDir (default: the directory of entrypointBundle, i.e. dist/) holds the bundled
   * programs the host provides in place of an image's own, such as /ko-app/git-init for Tekton's
   * git-init image (image-tools.ts, docs/host-executor.md).
   */
  imageToolsDir?: string;
}

/** hostExecutor returns an Executor that runs pods as host processes. */
export function hostExecutor(options: HostExecutorOptions = {}): Executor {
  const bundle = options.entrypointBundle ?? defaultBundle();
  // Probe the sandbox now, while the caller still loads, validates and stores its runs: the
  // probe is a process start (~10-20 ms) that the first pod would otherwise wait for.
  const sandbox = detectSandbox(options.sandbox ?? 'auto');
  const shells = findHostShells(options.busybox);
  const runtime = hostRuntime({
    mode: sandbox,
    bundle,
    entrypoint: options.inProcessEntrypoint === false ? undefined : entrypointLibrary,
    tmpfsScratch: options.tmpfsScratch ?? true,
    prestartAhead: options.prestartAhead ?? Math.max(2, availableParallelism()),
    shells,
    imageToolsDir: options.imageToolsDir ?? (bundle && path.dirname(bundle)),
  });
  return {
    name: 'host',
    runPod: (pod: V1Pod, runOptions: PodRunOptions): Promise<V1PodStatus> => runPodLifecycle(pod, runOptions, runtime),
  };
}

/** defaultBundle finds dist/entrypoint.cjs from src/executors/host or dist/executors/host. */
function defaultBundle(): string | undefined {
  // From src/executors/host (tsx), dist/executors/host (tsc) or dist/bin (the bundled CLI).
  const candidates = ['../../../dist/entrypoint.cjs', '../../entrypoint.cjs', '../entrypoint.cjs'];
  return candidates.map((c) => fileURLToPath(new URL(c, import.meta.url))).find((p) => existsSync(p));
}
