// lifecycle.ts: one Pod run as a kubelet runs it with restartPolicy Never, whatever backend runs
// its containers (runtime.ts): volumes set up, containers created, init containers one by one (the
// first failure ends the Pod), then every other container at once — steps are ordered only by the
// entrypoint's wait/post files. Readiness is probed (probe.ts) and reported; the controller's
// changes arrive as Pod updates (updates.ts): new annotations rewrite the downward files, a new
// image (Tekton's nop image for sidecars) stops the container. The Pod ends when every container
// has ended, or when it is deleted (signal): then everything is killed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Container, V1ContainerStateTerminated, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { isContainerStep } from '../../pod/index.ts';
import type { PodRunOptions } from '../executor.ts';
import { waitReady } from './probe.ts';
import type { ContainerRuntime, RuntimeContainer } from './runtime.ts';
import { PodStatusTracker } from './status.ts';
import { followPodUpdates } from './updates.ts';
import { setUpVolumes } from './volumes.ts';

// After a deletion, how long killed containers may take to report before they are marked killed.
const KILL_REPORT_MS = 2000;

/** runPodLifecycle runs the Pod to its end on the runtime and resolves with its final status. */
export async function runPodLifecycle(pod: V1Pod, options: PodRunOptions, runtime: ContainerRuntime): Promise<V1PodStatus> {
  const tracker = new PodStatusTracker(pod, options.onStatus, new Date());
  options.onStatus(tracker.snapshot());
  const sandbox = runtime.sandbox(pod, options);
  const stops = new Map((pod.spec?.containers ?? []).map((c) => [c.name, new AbortController()]));
  const images = new Map<string, string>();
  let unfollow = () => {};
  try {
    const setup = setUpVolumes(pod, options.workDir, options.volumes, sandbox.smallDir);
    if ('mountError' in setup) {
      tracker.setPhase('Failed', 'FailedMount', setup.mountError);
      return tracker.snapshot();
    }
    unfollow = followPodUpdates(pod, options.updates, {
      annotations: (annotations) => setup.volumes.refreshDownward(annotations),
      imageChanged(name, image) {
        images.set(name, image);
        stops.get(name)?.abort();
      },
    });
    const created = await sandbox.create(setup.volumes);
    if (!(created instanceof Map)) {
      if ('container' in created) tracker.waiting(created.container, created.reason, created.message);
      tracker.setPhase('Failed', 'podReason' in created ? created.podReason : undefined, 'podReason' in created ? created.message : undefined);
      return tracker.snapshot();
    }
    for (const init of pod.spec?.initContainers ?? []) {
      if (options.signal.aborted) break;
      const ended = await runOne(init, created.get(init.name)!, tracker, options.signal);
      if (ended.exitCode !== 0) break;
    }
    const initOk = (pod.spec?.initContainers ?? []).every((c) => tracker.get(c.name)?.state?.terminated?.exitCode === 0);
    if (!initOk || options.signal.aborted) {
      tracker.setPhase('Failed');
      return tracker.snapshot();
    }
    sandbox.initDone?.();
    await runContainers(pod, created, tracker, options, stops, images);
    tracker.endPhase(options.signal.aborted);
    return tracker.snapshot();
  } finally {
    unfollow();
    await sandbox.release();
  }
}

/** runContainers starts every container at once and waits for all of them, or the Pod's deletion. */
async function runContainers(
  pod: V1Pod,
  created: Map<string, RuntimeContainer>,
  tracker: PodStatusTracker,
  options: PodRunOptions,
  stops: Map<string, AbortController>,
  images: Map<string, string>,
): Promise<void> {
  const cancel = options.signal;
  const containers = pod.spec?.containers ?? [];
  // A step that could not start never writes its post file: the steps after it would wait forever.
  const stepsStopped = new AbortController();
  const ended = containers.map((c) => {
    const step = isContainerStep(c.name);
    const stop = stops.get(c.name)!.signal;
    const signal = AbortSignal.any([cancel, stop, ...(step ? [stepsStopped.signal] : [])]);
    const runtime = created.get(c.name)!;
    const over = new AbortController();
    const probing = AbortSignal.any([signal, over.signal]);
    const readyAtStart = !c.readinessProbe && (step || !runtime.running);
    const onStarted = readyAtStart ? undefined : () => void readiness(c, runtime, tracker, probing);
    return runOne(c, runtime, tracker, signal, { stop, images }, readyAtStart, onStarted).then((t) => {
      over.abort();
      if (step && t.reason === 'StartError') stepsStopped.abort();
      return t;
    });
  });
  tracker.setPhase('Running');
  await Promise.race([Promise.all(ended), aborted(cancel)]);
  if (!cancel.aborted) return;
  await Promise.race([Promise.all(ended), sleep(KILL_REPORT_MS, undefined, { ref: false })]);
  for (const c of containers) {
    const running = tracker.get(c.name)?.state?.running;
    if (running) tracker.terminated(c.name, { exitCode: 137, reason: 'Error', startedAt: running.startedAt, finishedAt: new Date() });
  }
}

/**
 * runOne runs a container and records how it ended: killed with its Pod (deleted), it reads as the
 * kubelet reports a killed container (137, Error); stopped because its image changed, as replaced.
 */
async function runOne(
  c: V1Container,
  runtime: RuntimeContainer,
  tracker: PodStatusTracker,
  signal: AbortSignal,
  replaced?: { stop: AbortSignal; images: Map<string, string> },
  readyAtStart = false,
  onStarted?: () => void,
): Promise<V1ContainerStateTerminated> {
  const ended = await runtime.run(signal, (at) => {
    tracker.running(c.name, at, readyAtStart);
    onStarted?.();
  });
  if (tracker.get(c.name)?.state?.terminated) return ended;
  if (signal.aborted && !replaced?.stop.aborted && ended.reason !== 'StartError') {
    const killed = { ...ended, exitCode: 137, reason: 'Error' };
    tracker.terminated(c.name, killed);
    return killed;
  }
  if (replaced?.stop.aborted) tracker.replacedByNop(c.name, ended, new Date(), replaced.images.get(c.name));
  else tracker.terminated(c.name, ended);
  return ended;
}

/**
 * readiness marks a started container Ready, as the kubelet's prober does: a step at once (when it
 * starts); a sidecar once the runtime sees it running; either, with a readinessProbe, once it passes.
 */
async function readiness(c: V1Container, runtime: RuntimeContainer, tracker: PodStatusTracker, signal: AbortSignal): Promise<void> {
  if (!isContainerStep(c.name) && runtime.running && !(await runtime.running(signal))) return;
  if (c.readinessProbe && !(await waitReady(c.readinessProbe, (p, s) => runtime.probe(p, s), signal))) return;
  if (!signal.aborted) tracker.ready(c.name);
}

/** aborted resolves when the signal aborts (never, otherwise). */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}
