// pod-failure.ts: the TaskRun reconciler's messages when a Pod cannot be made or ends without its
// steps having run (pkg/reconciler/taskrun/taskrun.go handlePodCreationError, failTaskRun cases);
// shared by the in-memory runTaskRun and the controller-shaped reconciler.
import type { V1PodStatus } from '@kubernetes/client-node';
import type { TaskRun, TaskRunStatus } from '../../api/index.ts';
import { TaskRunReason } from '../../api/index.ts';
import { k8sTime, setCondition } from './status-condition.ts';

/** podCreationFailure is taskrun.go's message when the Pod cannot be made: "... Maybe missing or invalid Task ns/name". */
export function podCreationFailure(tr: TaskRun, detail: string): string {
  const maybe = tr.spec.taskRef ? `missing or invalid Task ${tr.metadata.namespace}/${tr.spec.taskRef.name ?? ''}` : 'invalid TaskSpec';
  return `failed to create task run pod ${JSON.stringify(tr.metadata.name)}: ${detail}. Maybe ${maybe}`;
}

/** podFailure names why a pod ended without its steps finishing (taskrun.go failTaskRun cases). */
export function podFailure(status: V1PodStatus): { reason: string; message: string } {
  for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
    if (c.state?.waiting?.reason === 'CreateContainerConfigError') {
      return { reason: TaskRunReason.CreateContainerConfigError, message: `Failed to create pod due to config error: ${c.state.waiting.message ?? ''}`.trim() };
    }
  }
  const detail = [status.reason, status.message].filter(Boolean).join(': ');
  return { reason: TaskRunReason.PodCreationFailed, message: detail || 'build failed for unspecified reasons.' };
}

/** markFailed sets the Succeeded condition to False (MarkResourceFailed) and completionTime if unset. */
export function markFailed(status: TaskRunStatus, reason: string, message: string, now: Date): TaskRunStatus {
  const next = setCondition(status, { status: 'False', reason, message }, now);
  return { ...next, completionTime: next.completionTime ?? k8sTime(now) };
}
