// plan.ts: from one V1Container of the Pod to its `podman run` arguments: env, mounts, the termination
// file, and the entrypoint commands rewritten to start the carried node (the Pod itself is unchanged).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { VolumeSources } from '../executor.ts';
import { containerEnv, containerMounts, hostPathOf, terminationMount, type Mount, type PodVolumes } from '../pod/index.ts';
import { runArgs } from './container-args.ts';
import type { ContainerRole } from './images.ts';
import { launcherScript, type NodeRuntime } from './node-runtime.ts';
import { networkArgs, POD_LABEL } from './pod-lifecycle.ts';
import { probeNeedsNode } from './readiness.ts';

/** PodContext is what every container of one Pod run shares. */
export interface PodContext {
  pod: V1Pod;
  /** podmanPod is the podman pod's name when inPod, else the label key (and name prefix) of the Pod's containers. */
  podmanPod: string;
  /** inPod: the containers join one podman pod (shared network namespace), needed only with sidecars. */
  inPod: boolean;
  workDir: string;
  volumes: PodVolumes;
  sources: VolumeSources;
  /** runtime is undefined when the entrypoint bundle was not found. */
  runtime: NodeRuntime | undefined;
  hasBundle: boolean;
}

/** ContainerPlan is a container ready to run, or the kubelet-style reason it cannot be created. */
export type ContainerPlan =
  | {
      args: string[];
      podmanName: string;
      mounts: Mount[];
      terminationFile: string;
      rootfsDirs: string[];
      /** removesItself: run with `--rm`, so the Pod's removal may need no podman call. */
      removesItself: boolean;
    }
  | { error: string; reason: 'CreateContainerConfigError' | 'StartError' };

/** planContainer renders one container's `podman run` arguments. */
export function planContainer(ctx: PodContext, c: V1Container, role: ContainerRole, image: string): ContainerPlan {
  const kube = containerEnv(c, ctx.pod, ctx.sources);
  if ('configError' in kube) return { error: kube.configError, reason: 'CreateContainerConfigError' };
  const env = kube.env;
  const bound = containerMounts(c, ctx.volumes, env);
  if ('configError' in bound) return { error: bound.configError, reason: 'CreateContainerConfigError' };
  const mounts = bound.mounts;
  const entry = entrypointCommand(ctx, c, role);
  if (entry && 'error' in entry) return { error: entry.error, reason: 'StartError' };
  if (entry) mounts.push(...entry.mounts);
  else if (role === 'sidecar' && probeNeedsNode(c) && ctx.runtime) mounts.push(...ctx.runtime.mounts);
  const term = terminationMount(join(ctx.workDir, 'termination'), c);
  mounts.push(term);
  const podmanName = `${ctx.podmanPod}-${c.name}`;
  const labels = { [POD_LABEL]: ctx.podmanPod, 'tektite.dev/container': c.name };
  const placement = ctx.inPod ? ['--pod', ctx.podmanPod] : networkArgs(ctx.pod);
  const args = runArgs({ placement, name: podmanName, labels, c, image, env, mounts, podSecurity: ctx.pod.spec?.securityContext, command: entry?.command });
  if ('error' in args) return { error: args.error, reason: 'CreateContainerConfigError' };
  const rootfsDirs = workingDirs(c, mounts);
  // A step run by the carried entrypoint, without a memory limit, started by one `podman run`, runs
  // with `--rm`: removal inside `podman run` costs nothing measurable (a `podman rm` is a 0.1-0.2 s
  // podman process), and its end needs no `podman inspect`: the exit code says how it ended, the
  // entrypoint's termination message whether it started (run-container.ts).
  const removesItself = role === 'step' && entry !== undefined && rootfsDirs.length === 0 && c.resources?.limits?.memory === undefined;
  if (removesItself) args.splice(1, 0, '--rm');
  return { args, podmanName, mounts, terminationFile: term.hostPath, rootfsDirs, removesItself };
}

// runc creates a missing workingDir; podman 4 refuses to start. Inside a volume it is made on the host,
// elsewhere in the container's root filesystem before it starts.
function workingDirs(c: V1Container, mounts: Mount[]): string[] {
  if (!c.workingDir || c.workingDir === '/') return [];
  const host = hostPathOf(c.workingDir, mounts);
  if (host === undefined) return [c.workingDir];
  mkdirSync(host, { recursive: true, mode: 0o755 });
  return [];
}

/**
 * entrypointCommand rewrites Tekton's entrypoint calls to start the bundle through the carried node:
 * prepare's `/ko-app/entrypoint init /ko-app/entrypoint /tekton/bin/entrypoint ...` (with a shell
 * launcher mounted at /ko-app/entrypoint, so the copy in /tekton/bin works from place-scripts' shell),
 * steps' `/tekton/bin/entrypoint <flags> -- <cmd>` and the results sidecar's `/ko-app/sidecarlogresults`. place-scripts gets the runtime for its
 * `/tekton/bin/entrypoint decode-script` calls.
 */
function entrypointCommand(ctx: PodContext, c: V1Container, role: ContainerRole): { command?: string[]; mounts: Mount[] } | { error: string } | undefined {
  const cmd = c.command ?? [];
  const wrapsStep = role === 'step' && cmd[0] === '/tekton/bin/entrypoint';
  if (role !== 'prepare' && role !== 'place-scripts' && role !== 'results-sidecar' && !wrapsStep) return undefined;
  if (!ctx.runtime || !ctx.hasBundle) {
    return { error: 'the entrypoint bundle dist/entrypoint.cjs was not found (run `npm run build`)' };
  }
  const mounts = [...ctx.runtime.mounts];
  if (role === 'place-scripts') return { mounts };
  if (role === 'prepare') mounts.push({ hostPath: launcherFile(ctx), containerPath: cmd[0], readOnly: true });
  // /ko-app/sidecarlogresults is the bundle's multi-call name: its subcommand of that name.
  if (role === 'results-sidecar') return { command: [...ctx.runtime.command, 'sidecarlogresults', ...cmd.slice(1)], mounts };
  return { command: [...ctx.runtime.command, ...cmd.slice(1)], mounts };
}

function launcherFile(ctx: PodContext): string {
  const dir = join(ctx.workDir, 'launcher');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'entrypoint');
  writeFileSync(path, launcherScript(ctx.runtime!));
  chmodSync(path, 0o755);
  return path;
}
