// kubelet.ts: the kubelet's sync loop in small (pkg/kubelet/kubelet.go syncPod, with the
// scheduler's binding folded in): watch Pods; bind an unbound one to this node with a
// compare-and-swap on spec.nodeName (of several kubelets on one store exactly one wins); run the
// Pods bound here on the backend (pod-worker.ts); on a deletionTimestamp kill the run, write the
// final status and remove the finalizer; and, every few seconds, clean up after kubelets whose
// process died (orphans.ts).
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../controller/index.ts';
import { inform, objectKey, realClock, runController, splitKey, WorkQueue, type ReconcileResult } from '../controller/index.ts';
import { PodUpdateFeed, type Executor, type ImageConfigSource, type LogChunk } from '../executors/index.ts';
import type { LogStore, ObjectStore } from '../store/index.ts';
import { hasFinalizer, removeFinalizer } from './finalizer.ts';
import { Reaper } from './orphans.ts';
import { runPodWorker, type WorkerContext } from './pod-worker.ts';
import { isAlive, Records, selfIdentity } from './records.ts';
import { isTerminal } from './status.ts';
import type { PodObject } from './status-writer.ts';

/** KubeletOptions configure one kubelet. */
export interface KubeletOptions {
  store: ObjectStore;
  logs: LogStore;
  /** backend runs the Pods: the host or podman executor. */
  backend: Executor;
  /** stateDir (absolute) holds Pods' work dirs (pods/), PVC dirs (pvc/<ns>/<claim>) and the kubelet's records (kubelet/). */
  stateDir: string;
  /** nodeName names this kubelet in Pods' spec.nodeName; default `<hostname>-<pid>-<process start time>`, unique per process. */
  nodeName?: string;
  clock?: Clock;
  /** images tells the host backend what a command-less container runs. */
  images?: ImageConfigSource;
  /** accept says which unbound Pods this kubelet may take (default: all), e.g. only the runs of this `tektite run`. */
  accept?(pod: PodObject): boolean;
  /** podmanPath is the podman binary used to remove a dead kubelet's podman objects (default `podman`). */
  podmanPath?: string;
  /** checkIntervalMs is how often dead kubelets are looked for (default 2000). */
  checkIntervalMs?: number;
  onLog?(pod: PodObject, chunk: LogChunk): void;
  onWarning?(pod: PodObject, message: string): void;
  /** onProblem hears problems that belong to no one Pod (the store refused a write, records unreadable). */
  onProblem?(message: string): void;
}

/** Kubelet is a running kubelet. */
export interface Kubelet {
  readonly nodeName: string;
  /** synced resolves once the Pods in the store have been seen and dead kubelets cleaned up after once. */
  synced: Promise<void>;
  /** stop kills every Pod it runs, waits for their final status and the backend's work left after them, and stops watching. */
  stop(): Promise<void>;
  /** drain takes no new Pods and waits for the running ones to end. */
  drain(): Promise<void>;
  /** idle resolves when no Pod is running here or being torn down, and no Pod event is being handled. */
  idle(): Promise<void>;
  /** nodeAlive tells whether the process behind a node name (this one's or another kubelet's) still runs. */
  nodeAlive(nodeName: string): boolean;
}

interface Run {
  uid: string;
  abort: AbortController;
  /** updates carries the Pod's later versions to the backend (the controller's changes). */
  updates: PodUpdateFeed;
  done: Promise<void>;
}

const bindAttempts = 5;
const names = new Set<string>();

/** startKubelet starts watching the store's Pods and running those bound to it. */
export function startKubelet(o: KubeletOptions): Kubelet {
  const clock = o.clock ?? realClock;
  const nodeName = o.nodeName ?? defaultNodeName();
  names.add(nodeName);
  const problem = (m: string) => o.onProblem?.(m);
  const records = new Records(o.stateDir);
  const reaper = new Reaper({ store: o.store, records, nodeName, clock, podsDir: path.join(o.stateDir, 'pods'), podmanPath: o.podmanPath, problem });
  const previous = records.readNode(nodeName);
  const me = { nodeName, ...selfIdentity() };
  // A node name reused after a crash: what the earlier process started is killed before anything runs.
  const ready = previous && previous.pid !== me.pid && !isAlive(previous) ? reaper.killRecorded(nodeName) : Promise.resolve();
  if (previous && previous.pid !== me.pid && isAlive(previous)) problem(`another live process (pid ${previous.pid}) uses the node name ${JSON.stringify(nodeName)}`);
  try {
    records.writeNode(me);
  } catch (e) {
    problem(`cannot record this kubelet under ${records.nodesDir}: ${(e as Error).message}`);
  }
  const wctx: WorkerContext = {
    store: o.store,
    logs: o.logs,
    backend: o.backend,
    stateDir: o.stateDir,
    nodeName,
    clock,
    records,
    images: o.images,
    onLog: o.onLog,
    onWarning: o.onWarning,
  };
  const runs = new Map<string, Run>();
  const handled = new Set<string>(); // uids of Pods run by this process
  let accepting = true;
  let stopping = false;

  const start = (pod: PodObject) => {
    const key = objectKey(pod);
    const uid = pod.metadata.uid ?? '';
    const abort = new AbortController();
    if (stopping) abort.abort();
    handled.add(uid);
    const run: Run = { uid, abort, updates: new PodUpdateFeed(), done: Promise.resolve() };
    runs.set(key, run);
    run.done = (async () => {
      try {
        await runPodWorker(wctx, pod, abort.signal, run.updates);
        await finishDeleted(key, uid);
      } catch (e) {
        problem(`running Pod ${key}: ${(e as Error).stack ?? String(e)}`); // a bug: the worker throws nothing
      } finally {
        runs.delete(key);
        queue.add(key);
      }
    })();
  };

  // A Pod deleted while it ran: its final status is written, so the finalizer can go.
  const finishDeleted = async (key: string, uid: string) => {
    const { namespace, name } = splitKey(key);
    for (let attempt = 0; attempt < bindAttempts; attempt++) {
      const pod = await o.store.get<PodObject>({ kind: 'Pod', namespace, name });
      if (!pod || pod.metadata.uid !== uid || !pod.metadata.deletionTimestamp || !hasFinalizer(pod)) return;
      const r = await removeFinalizer(o.store, pod);
      if (r.ok) return;
      if (r.reason !== 'Conflict') return problem(`removing the finalizer of Pod ${key}: ${r.message}`);
    }
  };

  const bind = async (pod: PodObject): Promise<ReconcileResult | undefined> => {
    let cur: PodObject | undefined = pod;
    for (let attempt = 0; attempt < bindAttempts && cur; attempt++) {
      if (cur.spec?.nodeName || cur.metadata.deletionTimestamp || !accepting || (o.accept && !o.accept(cur))) return undefined;
      const r = await o.store.update<PodObject>({ ...cur, spec: { ...cur.spec!, nodeName } });
      if (r.ok) {
        start(r.object);
        return undefined;
      }
      if (r.reason === 'NotFound') return undefined;
      if (r.reason !== 'Conflict') return { retry: `binding Pod ${objectKey(pod)}: ${r.message}` };
      // Someone changed it first (another kubelet bound it, or it was deleted): look again.
      cur = await o.store.get<PodObject>({ kind: 'Pod', namespace: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '' });
      if (cur && cur.metadata.uid !== pod.metadata.uid) return undefined;
    }
    return cur ? { retry: `binding Pod ${objectKey(pod)}: it kept changing` } : undefined;
  };

  const syncPod = async (key: string): Promise<ReconcileResult | undefined> => {
    const { namespace, name } = splitKey(key);
    const pod = await o.store.get<PodObject>({ kind: 'Pod', namespace, name });
    const run = runs.get(key);
    if (run && (!pod || pod.metadata.uid !== run.uid || pod.metadata.deletionTimestamp)) {
      run.abort.abort(); // gone, replaced or deleted: the run ends, its end queues the key again
      return undefined;
    }
    if (!pod || run) return undefined;
    const node = pod.spec?.nodeName;
    if (pod.metadata.deletionTimestamp) {
      if (!hasFinalizer(pod)) return undefined;
      if (!node) {
        const r = await removeFinalizer(o.store, pod);
        return r.ok ? undefined : { retry: `removing the finalizer of Pod ${key}: ${r.message}` };
      }
      // Bound here but not running (it ended), or to a node that is gone: failed if need be, released.
      if (node === nodeName || !reaper.nodeAlive(node)) await reaper.reapPod(key, node, pod.metadata.uid);
      return undefined;
    }
    if (!node) return bind(pod);
    // Bound to this node's name by an earlier process (a reused name): it is not running anywhere.
    if (node === nodeName && !handled.has(pod.metadata.uid ?? '') && !isTerminal(pod.status)) await reaper.reapPod(key, node, pod.metadata.uid);
    return undefined;
  };

  const queue = new WorkQueue(clock);
  let reconciling = 0;
  const controller = runController({
    queue,
    workers: 4,
    reconcile: async (key) => {
      reconciling++;
      try {
        return await syncPod(key);
      } finally {
        reconciling--;
      }
    },
    onProblem: (key, message) => problem(`Pod ${key}: ${message}`),
  });
  const informer = inform(o.store, clock, { kind: 'Pod' }, (type, obj) => {
    const pod = obj as PodObject;
    reaper.observe(type, pod);
    if (type === 'DELETED') handled.delete(pod.metadata.uid ?? '');
    const key = objectKey(pod);
    const node = pod.spec?.nodeName;
    const run = runs.get(key);
    if (run && type === 'MODIFIED' && pod.metadata.uid === run.uid && !pod.metadata.deletionTimestamp) run.updates.push(pod);
    if (runs.has(key) || !node || node === nodeName || pod.metadata.deletionTimestamp) queue.add(key);
  });

  let checking: Promise<void> = Promise.resolve();
  let cancelTimer: (() => void) | undefined;
  const periodic = () => {
    checking = reaper.check().then(() => {
      if (!stopping) cancelTimer = clock.setTimer(o.checkIntervalMs ?? 2000, periodic);
    });
  };
  const synced = ready.then(async () => {
    await informer.synced;
    periodic();
    await checking;
  });

  const isIdle = () => runs.size === 0 && reconciling === 0 && queue.idle();
  const idle = async () => {
    // Polled: a run's end queues its key once more, which settles within a few milliseconds.
    while (!isIdle()) await sleep(5);
  };
  const waitRuns = async () => {
    while (runs.size > 0) await Promise.all([...runs.values()].map((r) => r.done));
  };

  return {
    nodeName,
    synced,
    idle,
    nodeAlive: (node) => reaper.nodeAlive(node),
    async drain() {
      accepting = false;
      await waitRuns();
      await idle();
    },
    async stop() {
      accepting = false;
      stopping = true;
      informer.stop();
      cancelTimer?.();
      for (const r of runs.values()) r.abort.abort();
      await waitRuns();
      queue.shutDown();
      await controller;
      await waitRuns(); // a bind that finished meanwhile started its run aborted
      await checking;
      await o.backend.settle?.();
      try {
        records.removeNode(nodeName);
      } catch {
        // Left behind, the record names a process that has ended: the next kubelet removes it.
      }
      names.delete(nodeName);
    },
  };
}

/** defaultNodeName is `<hostname>-<pid>-<process start time>`, with a suffix for a second kubelet in one process. */
function defaultNodeName(): string {
  const me = selfIdentity();
  const base = `${me.hostname}-${me.pid}-${me.startTime ?? Date.now()}`.toLowerCase().replace(/[^a-z0-9.-]/g, '-');
  let name = base;
  for (let i = 2; names.has(name); i++) name = `${base}-${i}`;
  return name;
}
