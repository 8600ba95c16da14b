// pod-worker.ts: one bound Pod run to its end on the backend, as the kubelet's pod worker does
// (pkg/kubelet/pod_workers.go): a fresh work dir, its ConfigMaps and Secrets read, every
// container's log opened, status written as the backend reports it, and, at the end, logs
// completed before the final status, so that whoever reads that status finds the logs whole.
// What the run starts is recorded (records.ts) so that a later process can clean up after a crash.
// A failure of the machine (a full disk, a directory that cannot be made) fails the Pod with a
// message; nothing is thrown out of here.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { V1PodStatus } from '@kubernetes/client-node';
import type { Clock } from '../controller/index.ts';
import type { Executor, ImageConfigSource, LogChunk, PodUpdates } from '../executors/index.ts';
import type { LogStore, LogWriter, ObjectStore } from '../store/index.ts';
import { processStartTime, type Records } from './records.ts';
import { endedStatus, kubeletErrorStatus } from './status.ts';
import { StatusWriter, type PodObject } from './status-writer.ts';
import { prefetchVolumeSources } from './volume-sources.ts';

/** WorkerContext is what every Pod run of one kubelet shares. */
export interface WorkerContext {
  store: ObjectStore;
  logs: LogStore;
  backend: Executor;
  stateDir: string;
  nodeName: string;
  clock: Clock;
  records: Records;
  images?: ImageConfigSource;
  onLog?(pod: PodObject, chunk: LogChunk): void;
  onWarning?(pod: PodObject, message: string): void;
}

/** runPodWorker runs a Pod bound to this node until it ends or signal aborts (deletion, stop). */
export async function runPodWorker(ctx: WorkerContext, pod: PodObject, deleted: AbortSignal, updates?: PodUpdates): Promise<void> {
  const warn = (message: string) => ctx.onWarning?.(pod, message);
  const deadline = activeDeadline(ctx.clock, pod);
  const signal = AbortSignal.any([deleted, deadline.signal]);
  const status = new StatusWriter(ctx.store, pod, warn);
  let last: V1PodStatus | undefined;
  let workDir: string | undefined;
  let record: ReturnType<Records['startPod']> | undefined;
  const logs = new Map<string, LogWriter>();
  const namespace = pod.metadata.namespace ?? '';
  const name = pod.metadata.name ?? '';
  let final: V1PodStatus;
  try {
    record = ctx.records.startPod({ nodeName: ctx.nodeName, namespace, name, uid: pod.metadata.uid ?? '' });
    workDir = makeWorkDir(ctx.stateDir, namespace, name);
    record.add({ workDir });
    const volumes = await prefetchVolumeSources(ctx.store, pod, ctx.stateDir);
    const logOf = (container: string): LogWriter => {
      let w = logs.get(container);
      if (!w) {
        w = ctx.logs.open({ namespace, pod: name, container });
        logs.set(container, w);
      }
      return w;
    };
    for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) logOf(c.name);
    const rec = record;
    const ended = await ctx.backend
      .runPod(pod, {
        signal,
        workDir,
        volumes,
        updates,
        images: ctx.images,
        onLog(chunk) {
          logOf(chunk.container).write(chunk.data);
          ctx.onLog?.(pod, chunk);
        },
        onStatus(s) {
          last = s;
          status.push(s);
        },
        onWarning: warn,
        onProcess: (pid) => recordSafely(() => rec.add({ pgid: pid, startTime: processStartTime(pid) }), warn),
        onPodmanObjects: (label) => recordSafely(() => rec.add({ podman: label }), warn),
      })
      .then(
        (s) => ({ ok: true as const, status: s }),
        (e: unknown) => ({ ok: false as const, message: `the ${ctx.backend.name} backend failed: ${errorText(e)}` }),
      );
    final = ended.ok ? endedStatus(ended.status, ctx.clock.now()) : kubeletErrorStatus({ ...pod, status: last }, ended.message, ctx.clock.now());
  } catch (e) {
    // Only the machine fails here: the records, the work dir or the logs could not be written.
    final = kubeletErrorStatus({ ...pod, status: last }, `the kubelet could not run the Pod: ${errorText(e)}`, ctx.clock.now());
  }
  deadline.cancel();
  if (deadline.exceeded()) final = { ...final, phase: 'Failed', reason: 'DeadlineExceeded', message: 'Pod was active on the node longer than the specified deadline' };
  for (const [container, w] of logs) {
    await w.end().catch((e: unknown) => warn(`the log of container ${container} is incomplete: ${errorText(e)}`));
  }
  await status.finish(final);
  try {
    // Asynchronous: the kubelet's thread also serves every other Pod and the controllers.
    if (workDir) await rm(workDir, { recursive: true, force: true, maxRetries: 2 });
  } catch (e) {
    warn(`cannot remove the Pod's work dir ${workDir}: ${errorText(e)}`);
  }
  try {
    record?.remove();
  } catch {
    // A record left behind names processes that have all ended: a later clean-up finds nothing to kill.
  }
}

/**
 * activeDeadline kills the run once it has been active for spec.activeDeadlineSeconds, as the
 * kubelet's activeDeadlineHandler does (pkg/kubelet/active_deadline.go); Tekton sets it above the
 * TaskRun's timeout, so it only fires when nothing else stopped the Pod.
 */
function activeDeadline(clock: Clock, pod: PodObject): { signal: AbortSignal; cancel(): void; exceeded(): boolean } {
  const abort = new AbortController();
  const seconds = pod.spec?.activeDeadlineSeconds;
  const cancel = seconds && seconds > 0 ? clock.setTimer(seconds * 1000, () => abort.abort()) : () => {};
  return { signal: abort.signal, cancel, exceeded: () => abort.signal.aborted };
}

/** makeWorkDir makes a fresh directory for the Pod under <stateDir>/pods. */
function makeWorkDir(stateDir: string, namespace: string, name: string): string {
  const root = path.join(stateDir, 'pods');
  mkdirSync(root, { recursive: true, mode: 0o700 });
  return mkdtempSync(path.join(root, `${namespace}_${name}-`.replace(/[^A-Za-z0-9._-]/g, '_')));
}

/** recordSafely appends to a Pod record; a failure only weakens crash clean-up, so it is a warning. */
function recordSafely(write: () => void, warn: (m: string) => void): void {
  try {
    write();
  } catch (e) {
    warn(`cannot record a process of the Pod for clean-up after a crash: ${errorText(e)}`);
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
