// attempts.ts: how long the current attempt may still run (taskrun.go ReconcileKind's requeue
// until the timeout, HasTimedOut measured from status.startTime) and what follows a failed attempt
// (emitReconcileEvents → retryTaskRun while retries are left).
import type { TaskRun, TaskRunStatus } from '../../api/index.ts';
import { TaskRunReason } from '../../api/index.ts';
import { parseGoDuration } from '../../duration/index.ts';
import { condition, isDone, k8sTime, prepareRetry } from './status-index.ts';

/** timeoutMs is spec.timeout (defaulted) in ms; 0 is no timeout. */
export function timeoutMs(tr: TaskRun): number {
  const parsed = parseGoDuration(tr.spec.timeout ?? '0');
  return parsed.ok ? parsed.ms : 0;
}

/**
 * remainingMs is how long the running attempt has left before it times out (0: it has timed
 * out), or undefined when no timeout runs: no timeout, not started, or done.
 */
export function remainingMs(tr: TaskRun, status: TaskRunStatus, now: Date): number | undefined {
  const timeout = timeoutMs(tr);
  if (timeout <= 0 || !status.startTime || isDone(status)) return undefined;
  return Math.max(0, Date.parse(status.startTime) + timeout - now.getTime());
}

/**
 * retryOrFinish: a failed attempt (not a cancel) with retries left is archived in retriesStatus
 * and the TaskRun goes back to Unknown/ToBeRetried (its next Pod is made on the next reconcile);
 * a TaskRun that is done gets its completionTime.
 */
export function retryOrFinish(tr: TaskRun, status: TaskRunStatus, now: Date): TaskRunStatus {
  const c = condition(status);
  if (!isDone(status)) return status;
  const attempt = status.retriesStatus?.length ?? 0;
  if (c?.status === 'False' && c.reason !== TaskRunReason.Cancelled && attempt < (tr.spec.retries ?? 0)) return prepareRetry(status, now);
  return status.completionTime ? status : { ...status, completionTime: k8sTime(now) };
}
