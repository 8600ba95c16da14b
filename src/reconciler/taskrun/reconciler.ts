// reconciler.ts: the TaskRun reconciler as a controller (pkg/reconciler/taskrun/taskrun.go
// ReconcileKind and reconcile): each call reads the TaskRun and its Pod through listers (the
// informers' caches, as taskrun.go's c.taskRunLister and c.podLister; never mutated), decides,
// acts once (a Pod created or deleted, a label written), writes status with a
// compare-and-swap and returns; a pending timeout is a requeue. Nothing lives in memory between
// calls, so any process sharing the store can pick up where another left off.
import type { TaskRun, TaskRunStatus } from '../../api/index.ts';
import { TaskRunReason, TektonLabel } from '../../api/index.ts';
import { setTaskRunDefaults } from '../../api/defaults/index.ts';
import type { Config } from '../../config/index.ts';
import { splitKey, storeLister, type Clock, type Lister, type Reconcile, type ReconcileResult } from '../../controller/index.ts';
import { markedReady, NOP_IMAGE, sidecarsReady, sidecarsStopped, type EntrypointCache, type PodBuildOptions } from '../../pod/index.ts';
import type { Resolver } from '../../resolution/index.ts';
import { jsonEqual, type KObject, type LogStore, type ObjectStore, type StoreResult } from '../../store/index.ts';
import { createTaskRunPod, currentPod, type StoredPod } from './pod-create.ts';
import { markFailed } from './pod-failure.ts';
import { statusFromPod } from './pod-follow.ts';
import { prepareTask } from './prepare.ts';
import { stoppedSidecarStates } from './status-steps.ts';
import { condition, isDone, k8sTime, markTaskRunCancelled, markTaskRunTimedOut, setCondition } from './status-index.ts';
import { remainingMs, retryOrFinish } from './attempts.ts';

/** TaskRunReconcilerDeps is what the TaskRun reconciler works with; the CLI and tests build one. */
export interface TaskRunReconcilerDeps {
  store: ObjectStore;
  /** taskRuns and pods read from the informers' caches; without them, from the store (unit tests). */
  taskRuns?: Lister<StoredTaskRun>;
  pods?: Lister<StoredPod>;
  resolver: Resolver;
  clock: Clock;
  config: Config;
  podOptions: Omit<PodBuildOptions, 'randomSuffix'>;
  randomSuffix(): string;
  /** entrypoints looks up the images of steps without a command; without it they get none (the entrypoint says so). */
  entrypoints?: EntrypointCache;
  /** logs holds container logs: the results sidecar's is read under results-from: sidecar-logs. */
  logs: LogStore;
  /** nopImage replaces the image of sidecars still running once the TaskRun is done (the controller's -nop-image). */
  nopImage?: string;
  onWarning?(message: string): void;
}

/** StoredTaskRun is a TaskRun as the object store holds it. */
export type StoredTaskRun = TaskRun & KObject;

/** taskRunReconciler returns the Reconcile of TaskRuns, keyed `namespace/name`. */
export function taskRunReconciler(deps: TaskRunReconcilerDeps): Reconcile {
  // deps is read on each call (tests adjust it between reconciles); the listers are chosen once.
  const taskRuns = deps.taskRuns ?? storeLister<StoredTaskRun>(deps.store, 'TaskRun');
  const pods = deps.pods ?? storeLister<StoredPod>(deps.store, 'Pod');
  return async (key) => {
    const { namespace, name } = splitKey(key);
    const stored = await taskRuns.get(namespace, name);
    if (!stored) return undefined;
    // A done TaskRun needs neither defaults nor its spec (taskrun.go ReconcileKind: IsDone comes first).
    if (isDone(stored.status)) return reconcileDone(deps, pods, stored);
    // Defaults are applied in memory on every reconcile (taskrun.go prepare: tr.SetDefaults); spec is never written.
    const tr = setTaskRunDefaults(stored, deps.config) as StoredTaskRun;
    const pod = await currentPod(pods, tr);
    return reconcileTaskRun(deps, stored, tr, pod);
  };
}

/**
 * reconcileDone does what a done TaskRun still needs (taskrun.go ReconcileKind's IsDone branch):
 * the Pod of a cancelled or timed-out TaskRun is deleted if a crash left it behind; the sidecars
 * of any other are stopped (stopSidecars) and their final states copied into the status.
 */
async function reconcileDone(deps: TaskRunReconcilerDeps, pods: Lister<StoredPod>, tr: StoredTaskRun): Promise<ReconcileResult | undefined> {
  const reason = condition(tr.status)?.reason;
  if (reason === TaskRunReason.Cancelled || reason === TaskRunReason.TimedOut) {
    const pod = await currentPod(pods, tr);
    return pod && !pod.metadata.deletionTimestamp ? deletePod(deps.store, pod) : undefined;
  }
  // IsSidecarStatusRunning: nothing to do once no sidecar reads as running.
  if (!tr.status?.podName || !(tr.status.sidecars ?? []).some((s) => s.running)) return undefined;
  let pod = await currentPod(pods, tr);
  if (!pod) return undefined;
  const stopped = sidecarsStopped(pod, deps.nopImage ?? NOP_IMAGE);
  if (stopped) {
    const r = await deps.store.update<StoredPod>(stopped);
    if (!r.ok) return storeProblem(r);
    pod = r.object;
  }
  return writeStatus(deps.store, tr, { ...tr.status, sidecars: stoppedSidecarStates(pod.status) });
}

/** reconcileTaskRun moves a TaskRun that is not done one step on. */
async function reconcileTaskRun(deps: TaskRunReconcilerDeps, stored: StoredTaskRun, tr: StoredTaskRun, pod: StoredPod | undefined): Promise<ReconcileResult | undefined> {
  const now = deps.clock.now();
  const name = tr.metadata.name!;
  let status: TaskRunStatus = tr.status ?? {};
  const c = condition(status);
  // A new TaskRun starts now; so does one released from TaskRunPending (its wait is not run time).
  if (!c || (c.reason === TaskRunReason.TaskRunPending && tr.spec.status !== 'TaskRunPending')) {
    status = setCondition<TaskRunStatus>({ startTime: k8sTime(now) }, { status: 'Unknown', reason: TaskRunReason.Started, message: '' }, now);
  }
  if (tr.spec.status === 'TaskRunPending') {
    status = setCondition(status, { status: 'Unknown', reason: TaskRunReason.TaskRunPending, message: `TaskRun ${JSON.stringify(name)} is pending` }, now);
    return writeStatus(deps.store, stored, status);
  }
  // Cancel and timeout delete the Pod first: if the status write then conflicts, the next
  // reconcile decides again on what the kubelet reports of the killed Pod.
  if (tr.spec.status === 'TaskRunCancelled') {
    status = markTaskRunCancelled(status, name, tr.spec.statusMessage, pod?.status, now);
    const deleted = pod ? await deletePod(deps.store, pod) : undefined;
    return deleted ?? writeStatus(deps.store, stored, status);
  }
  if (remainingMs(tr, status, now) === 0) {
    status = markTaskRunTimedOut(status, name, tr.spec.timeout ?? '', pod?.status, now);
    const deleted = pod ? await deletePod(deps.store, pod) : undefined;
    return deleted ?? writeStatus(deps.store, stored, retryOrFinish(tr, status, now));
  }

  const prepared = await prepareTask({ ...tr, status }, deps.resolver);
  if (prepared.taskLabel && tr.metadata.labels?.[TektonLabel.Task] !== prepared.taskLabel) {
    const labelled = await deps.store.update<StoredTaskRun>({
      ...stored,
      metadata: { ...stored.metadata, labels: { ...stored.metadata.labels, [TektonLabel.Task]: prepared.taskLabel } },
    });
    if (!labelled.ok) return storeProblem(labelled);
    stored = labelled.object;
    tr.metadata = { ...tr.metadata, labels: labelled.object.metadata.labels, resourceVersion: labelled.object.metadata.resourceVersion };
  }
  if (prepared.spec) status = { ...status, taskSpec: prepared.spec };
  if (!prepared.ok) return writeStatus(deps.store, stored, markFailed(status, prepared.reason, prepared.message, now));
  const spec = prepared.spec;

  if (!pod) {
    if (status.podName) {
      // The Pod went without the kubelet reporting its end (deleted with its finalizer removed).
      const message = `the pod ${JSON.stringify(status.podName)} of TaskRun ${JSON.stringify(name)} was deleted before it finished`;
      return writeStatus(deps.store, stored, retryOrFinish(tr, markFailed(status, TaskRunReason.Failed, message, now), now));
    }
    const created = await createTaskRunPod({ ...tr, status }, spec, prepared.taskName, deps);
    if ('later' in created) return created.later;
    if (!created.ok) return writeStatus(deps.store, stored, retryOrFinish(tr, markFailed(status, created.reason, created.message, now), now));
    pod = created.pod;
    status = { ...status, podName: pod.metadata.name!, startTime: status.startTime ?? k8sTime(now) };
  }
  // SidecarsReady → UpdateReady: the first step waits on this annotation's downward file.
  const ready = sidecarsReady(pod.status) ? markedReady(pod) : undefined;
  if (ready) {
    const r = await deps.store.update<StoredPod>(ready);
    if (!r.ok) return storeProblem(r);
    pod = r.object;
  }
  if (pod.status) {
    status = await statusFromPod({ ...tr, status }, spec, pod, { logs: deps.logs, maxResultSize: deps.config.featureFlags.maxResultSize, onWarning: deps.onWarning }, now);
    status = retryOrFinish(tr, status, now);
  }
  const written = await writeStatus(deps.store, stored, status);
  if (written) return written;
  const left = remainingMs(tr, status, now);
  return left === undefined ? undefined : { requeueAfterMs: left };
}

/** writeStatus writes status with a compare-and-swap on the TaskRun as read; undefined when written. */
async function writeStatus(store: ObjectStore, stored: StoredTaskRun, status: TaskRunStatus): Promise<ReconcileResult | undefined> {
  // An unchanged status is not written, as knative's generated reconciler skips updateStatus when
  // the status is semantically equal (injection/reconciler/.../reconciler.go updateStatus). A newer
  // TaskRun than the one read has its own watch event, so it is reconciled again anyway.
  if (stored.status !== undefined && jsonEqual(status, stored.status)) return undefined;
  const r = await store.updateStatus<StoredTaskRun>({ ...stored, status });
  return r.ok ? undefined : storeProblem(r);
}

/** deletePod asks for the Pod's deletion: the kubelet kills it, writes its final status and lets it go. */
async function deletePod(store: ObjectStore, pod: StoredPod): Promise<ReconcileResult | undefined> {
  if (pod.metadata.deletionTimestamp) return undefined;
  const r = await store.delete({ kind: 'Pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '' });
  return r.ok || r.reason === 'NotFound' ? undefined : storeProblem(r);
}

/** storeProblem: a Conflict is retried at once with what changed; a TaskRun deleted meanwhile is nothing to do. */
function storeProblem(r: Extract<StoreResult, { ok: false }>): ReconcileResult | undefined {
  if (r.reason === 'NotFound') return undefined;
  return { retry: r.reason === 'Conflict' ? 'conflict' : r.message };
}
