// pod-run.ts: the host as a container runtime for the kubelet's one Pod lifecycle (../pod): a
// Pod's sandbox is its scratch dir (a tmpfs when there is one), its sandbox mode (bwrap, unshare or
// none, probed once per process) and its shells and image tools; each container is host processes
// in a private mount namespace where its volumeMounts appear at their literal paths (container.ts),
// a command-less one running what its image would (image-command.ts). Steps' sandboxes are started
// ahead of their turn, while the init containers run (prestart.ts).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { PodRunOptions } from '../executor.ts';
import type { ContainerRuntime, PodSandbox, PodVolumes, RuntimeContainer, Uncreated } from '../pod/index.ts';
import { containerEnv } from './env.ts';
import { commandLine, prepareContainer, runContainer, tektonEntrypoint, type ContainerRun, type PodContext } from './container.ts';
import type { RunEntrypointCommand } from './entrypoint-link.ts';
import { withImageCommand } from './image-command.ts';
import { PodImageTools } from './image-tools.ts';
import { retargetSymlinks } from './path-mapping.ts';
import { Prestarter } from './prestart.ts';
import { probeOnce } from './readiness.ts';
import { HostView, type SandboxMode } from './sandbox.ts';
import { podScratch } from './scratch.ts';
import { PodShells, type HostShells } from './shell.ts';

/** HostRunConfig is what the executor decided once per process. */
export interface HostRunConfig {
  /** mode may still be being probed: the pod's set-up that needs no sandbox overlaps the probe (a process start). */
  mode: SandboxMode | Promise<SandboxMode>;
  bundle: string | undefined;
  entrypoint: RunEntrypointCommand | undefined;
  /** tmpfsScratch puts the pod's small internal volumes and termination files on a tmpfs (scratch.ts); else under workDir. */
  tmpfsScratch?: boolean;
  /** prestartAhead is how many entrypoint steps' sandboxes are started ahead of their turn (prestart.ts); 0 or unset: none. */
  prestartAhead?: number;
  /** shells are the host's busybox, bash and dash, bound as /bin/sh for images of their family (shell.ts). */
  shells?: HostShells;
  /** imageToolsDir holds the image tools' bundles (dist/, image-tools.ts); undefined: no tools. */
  imageToolsDir?: string;
}

/** imagesIgnoredWarning is reported once per run when any container names an image. */
export const imagesIgnoredWarning = 'images are ignored by the host executor; steps run on this machine';

/** noSandboxWarning is reported once per run when no mount namespace is available. */
export const noSandboxWarning =
  'no mount namespace available (bwrap or unshare as root): container paths such as /tekton and /workspace are rewritten to host directories in commands, args and env only';

/** hostRuntime runs Pods' containers as host processes. */
export function hostRuntime(config: HostRunConfig): ContainerRuntime {
  return { name: 'host', sandbox: (pod, options) => new HostSandbox(pod, options, config) };
}

/** HostSandbox is one Pod on the host. */
class HostSandbox implements PodSandbox {
  readonly smallDir: string;
  private readonly scratch: ReturnType<typeof podScratch>;
  private ctx: PodContext | undefined;
  private runs = new Map<string, ContainerRun>();

  constructor(
    private readonly pod: V1Pod,
    private readonly options: PodRunOptions,
    private readonly config: HostRunConfig,
  ) {
    this.scratch = podScratch(options.workDir, pod.metadata?.name ?? 'pod', config.tmpfsScratch ?? false);
    this.smallDir = this.scratch.dir;
    if ([...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].some((c) => c.image)) options.onWarning(imagesIgnoredWarning);
  }

  async create(volumes: PodVolumes): Promise<Map<string, RuntimeContainer> | Uncreated> {
    const { pod, options, config } = this;
    const containers = pod.spec?.containers ?? [];
    // Image commands need no sandbox: they are looked up while the sandbox mode is probed.
    const commanded = await Promise.all(containers.map((c) => withImageCommand(c, options.images, options.signal)));
    const mode = await config.mode;
    if (mode === 'none') options.onWarning(noSandboxWarning);
    const ctx: PodContext = { pod, options, volumes, ...config, mode, scratchDir: path.join(this.smallDir, 'containers'), hostView: new HostView() };
    this.ctx = ctx;
    mkdirSync(ctx.scratchDir, { recursive: true });
    const unresolved = commanded.findIndex((r) => 'error' in r);
    // Where a kubelet could not pull the image: the container waits with ErrImagePull.
    if (unresolved >= 0) return { container: containers[unresolved].name, reason: 'ErrImagePull', message: (commanded[unresolved] as { error: string }).error };
    const prepared = this.prepareAll([...(pod.spec?.initContainers ?? []), ...commanded.map((r) => (r as { container: V1Container }).container)]);
    if (!(prepared instanceof Map)) return prepared;
    this.runs = prepared;
    // Steps' sandboxes start now, while the init containers run: a sandbox is only a shell waiting
    // for its command (prestart.ts), and its binds are the volumes' directories, which exist by now.
    const stepRuns = containers.map((c) => prepared.get(c.name)!);
    if (config.prestartAhead && ctx.entrypoint) ctx.prestarter = new Prestarter(ctx, stepRuns, config.prestartAhead, (r) => commandLine(r)[0] === tektonEntrypoint);
    const created = new Map<string, RuntimeContainer>();
    for (const [name, run] of prepared) {
      created.set(name, {
        run: (signal, onStarted) => runContainer(ctx, run, signal, onStarted),
        probe: (probe, signal) => probeOnce(ctx, run, probe, signal),
      });
    }
    return created;
  }

  initDone(): void {
    const ctx = this.ctx!;
    if (ctx.mode === 'none') {
      // Without a namespace, links made by init containers must point at host paths to work.
      const dirs = [...ctx.volumes.byName.values()].filter((v) => !v.readOnly).map((v) => v.hostPath);
      retargetSymlinks(
        dirs,
        [...this.runs.values()].flatMap((r) => r.mounts),
      );
    }
  }

  async release(): Promise<void> {
    await this.ctx?.prestarter?.close();
    this.scratch.remove();
  }

  /** prepareAll builds every container's env and mounts, or says which one the kubelet could not configure. */
  private prepareAll(containers: V1Container[]): Map<string, ContainerRun> | Uncreated {
    const ctx = this.ctx!;
    const runs = new Map<string, ContainerRun>();
    const podShells = new PodShells(ctx.mode, this.config.shells ?? {}, ctx.scratchDir, (m) => ctx.options.onWarning(m));
    const tools = new PodImageTools(this.config.imageToolsDir, ctx.scratchDir, (m) => ctx.options.onWarning(m));
    for (const c of containers) {
      const env = containerEnv(c, ctx.pod, ctx.options.volumes, process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin');
      // The kubelet never starts the container; Tekton fails the TaskRun on this waiting reason.
      if ('configError' in env) return { container: c.name, reason: 'CreateContainerConfigError', message: env.configError };
      const shell = podShells.forContainer(c.image, env.env);
      const run = prepareContainer(ctx, c, shell.env);
      if ('configError' in run) return { container: c.name, reason: 'CreateContainerConfigError', message: run.configError };
      // The image's own paths go first: a volumeMount at the same path wins, as over an image's directory.
      runs.set(c.name, { ...run, mounts: [...tools.forContainer(c.name, c.image), ...run.mounts, ...shell.mounts] });
    }
    return runs;
  }
}
