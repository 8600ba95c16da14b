// run-pod.ts: podman as a container runtime for the kubelet's one Pod lifecycle (../pod): a Pod's
// sandbox is one podman pod when sidecars need a shared network namespace (else standalone
// containers with one label: no pod, no infra container), every image decided before anything
// starts (a missing image fails the Pod within seconds), and everything removed in the background
// afterwards. Tekton's prepare and working-dir-initializer init containers are done on the host.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { PodRunOptions } from '../executor.ts';
import { runPodLifecycle, terminatedState, type ContainerRuntime, type PodSandbox, type PodVolumes, type RuntimeContainer, type Uncreated } from '../pod/index.ts';
import { lastLine, reportingCli, type PodmanCli } from './cli.ts';
import { containerRole, imageResolver, type ContainerRole } from './images.ts';
import { nodeRuntime } from './node-runtime.ts';
import { planContainer, type PodContext } from './plan.ts';
import { afterward, POD_LABEL, podCreateArgs, removeInBackground, trackPod, untrackPod, type PodObjects } from './pod-lifecycle.ts';
import { prepareArgv, prepareOnHost } from './prepare.ts';
import { containerRunning, probeOnce } from './readiness.ts';
import { runContainer, type EarlyEnd } from './run-container.ts';
import type { FifoPool } from './stdio-fifos.ts';
import { initWorkingDirs } from './working-dirs.ts';

/** PodmanRunConfig is the executor's configuration for every Pod it runs. */
export interface PodmanRunConfig {
  cli: PodmanCli;
  imageMap: Record<string, string>;
  bundle: string | undefined;
  /** warned holds the warnings already given by this executor: each is given once, not once per Pod. */
  warned: Set<string>;
  /** knownImages are images this executor already found locally. */
  knownImages: Set<string>;
  /** fifos gives self-removing steps their stdio FIFOs (none: they run attached and end with `podman run`). */
  fifos?: FifoPool;
}

interface Entry {
  c: V1Container;
  role: ContainerRole;
  image: string;
}

/** podmanRuntime runs Pods' containers with podman. */
export function podmanRuntime(config: PodmanRunConfig): ContainerRuntime {
  return { name: 'podman', sandbox: (pod, options) => new PodmanSandbox(pod, options, config) };
}

/** runPodmanPod runs the Pod to completion and resolves with its final status; nothing of it is left in podman afterwards. */
export function runPodmanPod(pod: V1Pod, options: PodRunOptions, config: PodmanRunConfig) {
  return runPodLifecycle(pod, options, podmanRuntime(config));
}

/** PodmanSandbox is one Pod in podman. */
class PodmanSandbox implements PodSandbox {
  readonly smallDir: string;
  /** cli reports the Pod's podman processes (pulls, imports, image checks, execs...) for the kubelet's records. */
  private readonly cli: PodmanCli;
  private objects: PodObjects | undefined;
  /** leftBehind: something of the Pod may still be in podman (a pod, a container not run with `--rm`, or one whose `--rm` run failed). */
  private leftBehind = false;
  /** detached are the `podman run`s still removing containers that have ended (their exit codes to come). */
  private readonly detached: Promise<number>[] = [];

  constructor(
    private readonly pod: V1Pod,
    private readonly options: PodRunOptions,
    private readonly config: PodmanRunConfig,
  ) {
    this.smallDir = options.workDir;
    // After a `kill -9` of this process the next one kills every recorded process group; the calls
    // that make labelled objects (`run`, `create`, `pod create`) are left to the podman clean-up, which
    // finds them by their label and removes what they make in order (src/kubelet/podman-leftovers.ts).
    this.cli = reportingCli(config.cli, options.onProcess, (args) => args.some((a) => a.startsWith(`${POD_LABEL}=`)));
  }

  async create(volumes: PodVolumes): Promise<Map<string, RuntimeContainer> | Uncreated> {
    const { pod, options, config } = this;
    const entries = await this.resolveImages();
    if (!Array.isArray(entries)) return entries;
    const inPod = entries.some((e) => e.role === 'sidecar');
    const objects: PodObjects = { key: `${pod.metadata?.name ?? 'pod'}-${randomBytes(4).toString('hex')}`, inPod };
    const ctx: PodContext = {
      pod,
      podmanPod: objects.key,
      inPod,
      workDir: options.workDir,
      volumes,
      sources: options.volumes,
      runtime: safeRuntime(config.bundle),
      hasBundle: config.bundle !== undefined,
    };
    options.onPodmanObjects?.(objects.key);
    trackPod(this.cli, objects);
    this.objects = objects;
    this.leftBehind = inPod;
    const made = inPod ? await this.cli.run(podCreateArgs(pod, objects.key)) : undefined;
    if (made && made.code !== 0) return { podReason: 'PodCreateFailed', message: `podman pod create failed: ${lastLine(made.stderr)}` };
    const created = new Map<string, RuntimeContainer>();
    for (const e of entries) {
      const container = this.container(ctx, e);
      if ('reason' in container) return container;
      created.set(e.c.name, container);
    }
    return created;
  }

  async release(): Promise<void> {
    // Every container has ended (runs are awaited, kills retried until `podman run` returns or the
    // process ended): removal can no longer race a container being created, so it runs off the
    // critical path, after the `podman run`s still removing their containers; containers that all
    // removed themselves (`--rm`, ended by their own exit code) need no podman call at all.
    const objects = this.objects;
    if (!objects) return;
    const finish = () => {
      if (this.leftBehind) removeInBackground(this.cli, objects);
      else untrackPod(objects);
    };
    if (this.detached.length) afterward(Promise.all(this.detached).then(finish));
    else finish();
  }

  /** container is how one container runs: on the host for Tekton's prepare and working dirs, else `podman run`. */
  private container(ctx: PodContext, { c, role, image }: Entry): RuntimeContainer | Extract<Uncreated, { container: string }> {
    const cli = this.cli;
    const onLog = this.options.onLog;
    const probe = () => Promise.resolve(true);
    if (role === 'working-dir-initializer') {
      // The kubelet-side equivalent of /ko-app/workingdirinit: mkdir -p each dir in its mounted volume.
      return {
        probe,
        run: async (_signal, onStarted) =>
          hostInit(onStarted, () => {
            initWorkingDirs(ctx, c);
            return 0;
          }),
      };
    }
    const argv = role === 'prepare' ? prepareArgv(c) : undefined;
    if (argv) {
      return {
        probe,
        run: async (_signal, onStarted) =>
          hostInit(onStarted, () => {
            const done = prepareOnHost(ctx, c, argv);
            // The entrypoint logs its subcommand lines (or its error) to stderr.
            const lines = done.ok ? done.messages : [done.error];
            onLog({ container: c.name, stream: 'stderr', data: Buffer.from(lines.map((l) => `${l}\n`).join('')) });
            return done.ok ? 0 : 1;
          }),
      };
    }
    const plan = planContainer(ctx, c, role, image);
    if ('error' in plan && plan.reason === 'CreateContainerConfigError') return { container: c.name, reason: plan.reason, message: plan.error };
    if ('error' in plan) return { probe, run: async () => terminatedState(128, undefined, new Date(), plan.error, 'StartError') };
    const node = ctx.runtime?.node ?? nodeRuntime(undefined).node;
    return {
      run: async (signal, onStarted) => {
        // `podman run` is attached: the container is reported running as it is spawned; readiness waits for podman to say so.
        onStarted(new Date());
        if (!plan.removesItself) this.leftBehind = true;
        const early = plan.removesItself ? await this.earlyEnd(plan.podmanName) : undefined;
        const ended = await runContainer({
          cli,
          early,
          onDetached: (closed) => {
            this.detached.push(closed);
            // podman's own failures while removing (125) or a kill may leave the container behind.
            void closed.then((code) => {
              if (code >= 125 || code < 0) this.leftBehind = true;
            });
          },
          container: c.name,
          podmanName: plan.podmanName,
          args: plan.args,
          terminationFile: plan.terminationFile,
          rootfsDirs: plan.rootfsDirs,
          removesItself: plan.removesItself,
          signal,
          onLog,
        });
        // podman's own failures (125-127), kills (137) or a failed spawn may leave the container behind.
        if (ended.exitCode >= 125 || ended.exitCode < 0) this.leftBehind = true;
        return ended;
      },
      running: (signal) => containerRunning(cli, plan.podmanName, signal),
      probe: (p) => probeOnce(cli, plan.podmanName, c, p, node),
    };
  }

  /** earlyEnd gives a self-removing step two FIFOs and a cidfile, so that it ends with its process (run-container.ts). */
  private async earlyEnd(podmanName: string): Promise<EarlyEnd | undefined> {
    const pool = this.config.fifos;
    if (!pool) return undefined;
    const [stdout, stderr] = await Promise.all([pool.take(), pool.take()]);
    if (!stdout || !stderr) return undefined;
    return { stdout, stderr, cidFile: join(this.options.workDir, `${podmanName}.cid`) };
  }

  // Every image is decided before anything starts, so a missing image fails the run within seconds.
  private async resolveImages(): Promise<Entry[] | Uncreated> {
    const { pod, options, config } = this;
    const resolver = imageResolver(this.cli, config.imageMap, config.knownImages);
    const decide = async (c: V1Container, init: boolean): Promise<Entry | Uncreated> => {
      const role = containerRole(c, init);
      // Done on the host: no image is needed (the status still names the Pod's image).
      if (role === 'working-dir-initializer' || (role === 'prepare' && prepareArgv(c))) return { c, role, image: c.image ?? '' };
      const d = await resolver.resolve(c, role);
      if ('waiting' in d) return { container: c.name, ...d.waiting };
      if (d.warning && !config.warned.has(d.warning)) {
        config.warned.add(d.warning);
        options.onWarning(d.warning);
      }
      // A command-less step's image commands are in the Pod already (TEKTON_PLATFORM_COMMANDS, src/pod/entrypoint-lookup.ts).
      return { c, role, image: d.image };
    };
    const decided = await Promise.all([...(pod.spec?.initContainers ?? []).map((c) => decide(c, true)), ...(pod.spec?.containers ?? []).map((c) => decide(c, false))]);
    const failed = decided.find((d): d is Uncreated => !('c' in d));
    return failed ?? (decided as Entry[]);
  }
}

/** hostInit runs an init container's work on the host and reports it as the container's run. */
function hostInit(onStarted: (at: Date) => void, work: () => number) {
  const startedAt = new Date();
  onStarted(startedAt);
  return terminatedState(work(), startedAt, new Date());
}

// ldd missing or node unreadable must not crash the run: containers needing node then fail to start.
function safeRuntime(bundle: string | undefined) {
  try {
    return nodeRuntime(bundle);
  } catch {
    return undefined;
  }
}
