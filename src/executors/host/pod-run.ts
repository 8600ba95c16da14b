// pod-run.ts: one pod, run like a kubelet with restartPolicy Never: volumes, init containers one
// by one (a failure stops the pod), then every container at once. Steps are ordered only by the
// entrypoint's wait/post files. The controller's changes to the running Pod arrive as updates
// (../pod/updates.ts): new annotations rewrite the downward files (`tekton.dev/ready`, which the
// first step waits on), a new image stops the container (Tekton's nop image for sidecars).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Container, V1ContainerStateTerminated, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { PodRunOptions } from '../executor.ts';
import { commandLine, prepareContainer, runContainer, tektonEntrypoint } from './container.ts';
import { withImageCommand } from './image-command.ts';
import { followPodUpdates } from '../pod/updates.ts';
import { Prestarter } from './prestart.ts';
import type { ContainerRun, PodContext } from './container.ts';
import { containerEnv } from './env.ts';
import type { RunEntrypointCommand } from './entrypoint-link.ts';
import { retargetSymlinks } from './path-mapping.ts';
import { waitReady } from './readiness.ts';
import { PodImageTools } from './image-tools.ts';
import { HostView } from './sandbox.ts';
import { podScratch } from './scratch.ts';
import type { SandboxMode } from './sandbox.ts';
import { PodShells, type HostShells } from './shell.ts';
import { PodStatusTracker } from './status.ts';
import { setUpVolumes, type PodVolumes } from '../pod/index.ts';

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

// After a cancel, how long to wait for killed containers to report before marking them terminated.
const cancelReportMs = 2000;

/** runPodOnHost runs the pod to completion and resolves with its final status. */
export async function runPodOnHost(pod: V1Pod, options: PodRunOptions, config: HostRunConfig): Promise<V1PodStatus> {
  const scratch = podScratch(options.workDir, pod.metadata?.name ?? 'pod', config.tmpfsScratch ?? false);
  try {
    return await runPodIn(pod, options, config, scratch.dir);
  } finally {
    scratch.remove();
  }
}

/** runPodIn runs the pod with its small files (internal volumes, termination files) under smallDir. */
async function runPodIn(pod: V1Pod, options: PodRunOptions, config: HostRunConfig, smallDir: string): Promise<V1PodStatus> {
  const tracker = new PodStatusTracker(pod, options.onStatus, new Date());
  const initContainers = pod.spec?.initContainers ?? [];
  const containers = pod.spec?.containers ?? [];
  options.onStatus(tracker.snapshot());
  if ([...initContainers, ...containers].some((c) => c.image)) options.onWarning(imagesIgnoredWarning);
  // Volumes and image commands need no sandbox: they are set up while the sandbox is probed.
  const setup = setUpVolumes(pod, options.workDir, options.volumes, smallDir);
  const commanded = 'mountError' in setup ? [] : await Promise.all(containers.map((c) => withImageCommand(c, options.images, options.signal)));
  const mode = await config.mode;
  if (mode === 'none') options.onWarning(noSandboxWarning);
  if ('mountError' in setup) {
    tracker.setPhase('Failed', 'FailedMount', setup.mountError);
    return tracker.snapshot();
  }
  const ctx: PodContext = { pod, options, volumes: setup.volumes, ...config, mode, scratchDir: path.join(smallDir, 'containers'), hostView: new HostView() };
  const stops = new Map(containers.map((c) => [c.name, new AbortController()]));
  const unfollow = followPodUpdates(pod, options.updates, {
    annotations: (annotations) => setup.volumes.refreshDownward(annotations),
    imageChanged: (name) => stops.get(name)?.abort(),
  });
  try {
    return await runPrepared(ctx, setup.volumes, commanded, tracker, config, stops);
  } finally {
    unfollow();
  }
}

/** runPrepared runs the init containers, then the others, once volumes and image commands are known. */
async function runPrepared(
  ctx: PodContext,
  volumes: PodVolumes,
  commanded: Awaited<ReturnType<typeof withImageCommand>>[],
  tracker: PodStatusTracker,
  config: HostRunConfig,
  stops: Map<string, AbortController>,
): Promise<V1PodStatus> {
  const { pod, options } = ctx;
  const initContainers = pod.spec?.initContainers ?? [];
  const containers = pod.spec?.containers ?? [];
  mkdirSync(ctx.scratchDir, { recursive: true });
  const unresolved = commanded.findIndex((r) => 'error' in r);
  if (unresolved >= 0) {
    // Where a kubelet could not pull the image: the container waits with ErrImagePull and the pod fails.
    tracker.waiting(containers[unresolved].name, 'ErrImagePull', (commanded[unresolved] as { error: string }).error);
    tracker.setPhase('Failed');
    return tracker.snapshot();
  }
  const runs = prepareAll(ctx, [...initContainers, ...commanded.map((r) => (r as { container: V1Container }).container)], tracker, config);
  if (!runs) return tracker.snapshot();
  for (const init of initContainers) {
    const terminated = await runOne(ctx, runs.get(init.name)!, tracker, options.signal);
    if (terminated.exitCode !== 0 || options.signal.aborted) {
      tracker.setPhase('Failed');
      return tracker.snapshot();
    }
  }
  if (ctx.mode === 'none') {
    // Without a namespace, links made by init containers must point at host paths to work.
    const dirs = [...volumes.byName.values()].filter((v) => !v.readOnly).map((v) => v.hostPath);
    retargetSymlinks(
      dirs,
      [...runs.values()].flatMap((r) => r.mounts),
    );
  }
  const stepRuns = containers.map((c) => runs.get(c.name)!);
  if (config.prestartAhead && ctx.entrypoint) ctx.prestarter = new Prestarter(ctx, stepRuns, config.prestartAhead, (r) => commandLine(r)[0] === tektonEntrypoint);
  try {
    await runContainers(ctx, stepRuns, tracker, stops);
  } finally {
    await ctx.prestarter?.close();
  }
  const codes = containers.map((c) => tracker.get(c.name)?.state?.terminated?.exitCode);
  tracker.setPhase(options.signal.aborted || codes.some((c) => c !== 0) ? 'Failed' : 'Succeeded');
  return tracker.snapshot();
}

/** prepareAll builds every container's env and mounts; on a config error it marks the container and returns undefined. */
function prepareAll(ctx: PodContext, containers: V1Container[], tracker: PodStatusTracker, config: HostRunConfig): Map<string, ContainerRun> | undefined {
  const runs = new Map<string, ContainerRun>();
  const podShells = new PodShells(ctx.mode, config.shells ?? {}, ctx.scratchDir, (m) => ctx.options.onWarning(m));
  const tools = new PodImageTools(config.imageToolsDir, ctx.scratchDir, (m) => ctx.options.onWarning(m));
  for (const c of containers) {
    const env = containerEnv(c, ctx.pod, ctx.options.volumes, process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin');
    if ('configError' in env) {
      // The kubelet never starts the container; Tekton fails the TaskRun on this waiting reason.
      tracker.waiting(c.name, 'CreateContainerConfigError', env.configError);
      return undefined;
    }
    const shell = podShells.forContainer(c.image, env.env);
    const run = prepareContainer(ctx, c, shell.env);
    if ('configError' in run) return void tracker.waiting(c.name, 'CreateContainerConfigError', run.configError);
    // The image's own paths go first: a volumeMount at the same path wins, as over an image's directory.
    runs.set(c.name, { ...run, mounts: [...tools.forContainer(c.name, c.image), ...run.mounts, ...shell.mounts] });
  }
  return runs;
}

/** runOne runs a container and records its end; a container killed by a cancel reports exit 137. */
async function runOne(
  ctx: PodContext,
  run: ContainerRun,
  tracker: PodStatusTracker,
  signal: AbortSignal,
  stopped?: AbortSignal,
  onStarted?: () => void,
): Promise<V1ContainerStateTerminated> {
  const name = run.container.name;
  let terminated = await runContainer(ctx, run, signal, (at) => {
    tracker.running(name, at, !run.container.readinessProbe);
    onStarted?.();
  });
  if (ctx.options.signal.aborted) {
    // Pod deletion: SIGTERM, then SIGKILL; a kubelet reports 137/Error for a container killed that way.
    terminated = { ...terminated, exitCode: 137, reason: 'Error' };
  } else if (stopped?.aborted) {
    // Replaced (Tekton's nop image): the killed container becomes the last state, the nop one exits 0.
    if (!tracker.get(name)?.state?.terminated) tracker.replacedByNop(name, terminated, new Date());
    return terminated;
  }
  if (!tracker.get(name)?.state?.terminated) tracker.terminated(name, terminated);
  return terminated;
}

/** runContainers starts every container at once and waits for all of them (or the Pod's deletion). */
async function runContainers(ctx: PodContext, runs: ContainerRun[], tracker: PodStatusTracker, stops: Map<string, AbortController>): Promise<void> {
  const cancel = ctx.options.signal;
  const started = runs.map(() => signalled());
  {
    const ended = runs.map((run, i) => {
      const stop = stops.get(run.container.name)!.signal;
      return runOne(ctx, run, tracker, AbortSignal.any([cancel, stop]), stop, () => started[i].resolve());
    });
    tracker.setPhase('Running');
    void probeReadiness(
      ctx,
      runs,
      started.map((s) => s.promise),
      ended,
      tracker,
    );
    await Promise.race([Promise.all(ended), abortedPromise(cancel)]);
    await Promise.race([Promise.all(ended), cancel.aborted ? sleep(cancelReportMs, undefined, { ref: false }) : new Promise(() => {})]);
  }
  if (cancel.aborted) markKilled(runs, tracker);
}

/**
 * probeReadiness marks each container ready as the kubelet's prober does: readiness is only looked
 * at once a container has started, and one without a readinessProbe is ready when it starts.
 */
async function probeReadiness(ctx: PodContext, runs: ContainerRun[], started: Promise<void>[], ended: Promise<unknown>[], tracker: PodStatusTracker): Promise<void> {
  const done = new AbortController();
  void Promise.all(ended).then(() => done.abort());
  const signal = AbortSignal.any([ctx.options.signal, done.signal]);
  await Promise.all(
    runs.map(async (run, i) => {
      const ready = await Promise.race([started[i].then(() => waitReady(ctx, run, signal)), ended[i].then(() => false)]);
      if (ready) tracker.ready(run.container.name);
    }),
  );
}

/** signalled returns a promise and the function that resolves it. */
function signalled(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** markKilled reports containers that had not reported their end after a cancel as killed. */
function markKilled(runs: ContainerRun[], tracker: PodStatusTracker): void {
  for (const run of runs) {
    const state = tracker.get(run.container.name)?.state;
    if (state?.running) tracker.terminated(run.container.name, { exitCode: 137, reason: 'Error', startedAt: state.running.startedAt, finishedAt: new Date() });
  }
}

/** abortedPromise resolves when the signal aborts (never, otherwise). */
function abortedPromise(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
