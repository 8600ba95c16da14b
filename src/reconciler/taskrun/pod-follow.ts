// pod-follow.ts: TaskRun status from the Pod the kubelet reports on (taskrun.go reconcile →
// MakeTaskRunStatus), and the checks Tekton makes once the Pod is over: an image that could not be
// pulled, results read from the results sidecar's log (results-from: sidecar-logs, taskrun.go
// ReconcileKind's ErrSizeExceeded), and a Pod that ended without its steps having run.
import type { V1PodStatus } from '@kubernetes/client-node';
import type { TaskRun, TaskRunStatus, TaskSpec } from '../../api/index.ts';
import { TaskRunReason } from '../../api/index.ts';
import type { LogStore } from '../../store/index.ts';
import type { RunResult } from '../../termination/index.ts';
import { imagePullFailure } from './image-pull.ts';
import { markFailed, podFailure } from './pod-failure.ts';
import type { StoredPod } from './pod-create.ts';
import { SidecarLogResults, sizeExceededMessage } from './sidecar-logs.ts';
import { RESULTS_SIDECAR } from '../../pod/index.ts';
import { condition, isDone, makeTaskRunStatusFromPod } from './status-index.ts';

/** FollowDeps is what reading a Pod needs: the results sidecar's log and where to say it is unreadable. */
export interface FollowDeps {
  logs: LogStore;
  maxResultSize: number;
  onWarning?(message: string): void;
}

// Waiting reasons the kubelets Tektite runs Pods with never recover from: such a Pending Pod is over.
const STUCK = new Set(['CreateContainerConfigError', 'ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/**
 * podOver tells whether the kubelet is done with the Pod: it Succeeded or Failed, or it is Pending
 * on a container that can never start (the executor gave up on it, as runTaskRun saw it).
 */
export function podOver(status: V1PodStatus): boolean {
  if (status.phase === 'Succeeded' || status.phase === 'Failed') return true;
  if (status.phase !== 'Pending') return false;
  return [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].some((c) => STUCK.has(c.state?.waiting?.reason ?? ''));
}

/** statusFromPod is the TaskRun's status given its Pod's latest status (tr.status is the status so far). */
export async function statusFromPod(tr: TaskRun, spec: TaskSpec, pod: StoredPod, deps: FollowDeps, now: Date): Promise<TaskRunStatus> {
  const podStatus = pod.status ?? {};
  const name = tr.metadata.name!;
  const sidecar = await readResultsSidecar(pod, deps);
  const observe = (results: RunResult[] | undefined): TaskRunStatus => ({
    ...tr.status,
    ...makeTaskRunStatusFromPod({ taskRun: tr, taskSpec: spec, pod, podStatus, now, sidecarLogResults: results }).status,
  });
  const seen = observe(sidecar?.results());
  if (!podOver(podStatus) && !isDone(seen)) return seen;

  const pull = imagePullFailure(name, podStatus);
  if (pull) return markFailed(seen, TaskRunReason.ImagePullFailed, pull, now);
  const read = sidecar?.finish();
  const status = read ? observe(read.results) : seen;
  if (read?.error && !read.error.sizeExceeded) {
    // Tekton's reconcile returns such an error and retries; the status stays as the containers say.
    deps.onWarning?.(`${name}: cannot read results from the ${RESULTS_SIDECAR} container's log: ${read.error.message}`);
  }
  // taskrun.go ReconcileKind: ErrSizeExceeded fails the TaskRun whatever its steps did.
  if (read?.error?.sizeExceeded) return markFailed(status, TaskRunReason.ResultLargerThanAllowedLimit, sizeExceededMessage(name, read.error.message), now);
  if (condition(status)?.status === 'Unknown') {
    // The Pod is over but never ran its steps (a missing ConfigMap key, a volume that cannot be
    // mounted): Tekton fails such TaskRuns instead of waiting forever.
    const stuck = podFailure(podStatus);
    return markFailed(status, stuck.reason, stuck.message, now);
  }
  return status;
}

/** readResultsSidecar reads what the results sidecar has logged so far, once the Pod is past Pending. */
async function readResultsSidecar(pod: StoredPod, deps: FollowDeps): Promise<SidecarLogResults | undefined> {
  if (pod.status?.phase === 'Pending') return undefined;
  if (!(pod.spec?.containers ?? []).some((c) => c.name === RESULTS_SIDECAR)) return undefined;
  const results = new SidecarLogResults(deps.maxResultSize);
  const key = { namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name ?? '', container: RESULTS_SIDECAR };
  for await (const chunk of deps.logs.read(key)) results.push(chunk);
  return results;
}
