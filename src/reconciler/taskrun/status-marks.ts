// status-marks.ts: the status changes the TaskRun reconciler makes itself: cancel and timeout
// (failTaskRun), and preparing a retry (retryTaskRun) — pkg/reconciler/taskrun/taskrun.go.
import type { V1PodStatus } from '@kubernetes/client-node';
import type { StepState, TaskRunStatus } from '../../api/index.ts';
import { TaskRunReason } from '../../api/index.ts';
import { formatGoDuration, parseGoDuration } from '../../duration/index.ts';
import { condition, k8sTime, setCondition } from './status-condition.ts';
import { isContainerStep } from './status-failure.ts';
import { stepStates } from './status-steps.ts';

/** markTaskRunCancelled fails the TaskRun as TaskRunCancelled and ends its unfinished steps. */
export function markTaskRunCancelled(status: TaskRunStatus, taskRunName: string, statusMessage: string | undefined, podStatus: V1PodStatus | undefined, now: Date): TaskRunStatus {
  // `TaskRun %q was cancelled. %s`: the trailing space stays when there is no statusMessage.
  const message = `TaskRun ${JSON.stringify(taskRunName)} was cancelled. ${statusMessage ?? ''}`;
  return failTaskRun(status, TaskRunReason.Cancelled, message, podStatus, now);
}

/** markTaskRunTimedOut fails the TaskRun as TaskRunTimeout (`failed to finish within "1h0m0s"`) and ends its unfinished steps. */
export function markTaskRunTimedOut(status: TaskRunStatus, taskRunName: string, timeoutText: string, podStatus: V1PodStatus | undefined, now: Date): TaskRunStatus {
  const parsed = parseGoDuration(timeoutText);
  const timeout = parsed.ok ? formatGoDuration(parsed.ms) : timeoutText;
  const message = `TaskRun ${JSON.stringify(taskRunName)} failed to finish within ${JSON.stringify(timeout)}`;
  return failTaskRun(status, TaskRunReason.TimedOut, message, podStatus, now);
}

/**
 * prepareRetry archives the failed attempt in retriesStatus (without its own retriesStatus), clears
 * startTime, completionTime, podName and results, and sets Unknown/ToBeRetried with the failure message.
 */
export function prepareRetry(status: TaskRunStatus, now: Date): TaskRunStatus {
  const { retriesStatus, ...attempt } = structuredClone(status);
  const next: TaskRunStatus = { ...status, retriesStatus: [...(retriesStatus ?? []), attempt] };
  delete next.startTime;
  delete next.completionTime;
  delete next.podName;
  delete next.results;
  return setCondition(next, { status: 'Unknown', reason: TaskRunReason.ToBeRetried, message: condition(status)?.message ?? '' }, now);
}

// tektoncd/pipeline#10076: a cancel or timeout keeps the earlier condition's context unless it was routine.
const ROUTINE_REASONS = new Set<string>([TaskRunReason.Started, TaskRunReason.Running, TaskRunReason.Pending]);

/** failTaskRun sets Succeeded=False with completionTime now, and terminates the steps the pod deletion cut off. */
function failTaskRun(status: TaskRunStatus, reason: string, message: string, podStatus: V1PodStatus | undefined, now: Date): TaskRunStatus {
  const previous = condition(status);
  // Tekton only cancels or times out a TaskRun that is not done, so only an Unknown condition is context.
  const full =
    previous?.status === 'Unknown' && previous.reason && !ROUTINE_REASONS.has(previous.reason)
      ? `${message}\nPrevious status: [${previous.reason}] ${previous.message ?? ''}`
      : message;
  const next = setCondition(status, { status: 'False', reason, message: full }, now);
  next.completionTime = k8sTime(now);
  if (!next.podName) return next;
  const steps = terminateCutOffSteps(currentSteps(status.steps ?? [], podStatus), reason, next.podName, now);
  return steps.length > 0 ? { ...next, steps } : next;
}

/**
 * currentSteps merges the last pod status into status.steps: a step whose container was still running
 * or waiting, or was killed before its entrypoint wrote a termination message, is taken from the pod.
 */
function currentSteps(steps: StepState[], podStatus: V1PodStatus | undefined): StepState[] {
  const containers = (podStatus?.containerStatuses ?? []).filter((s) => isContainerStep(s.name));
  if (containers.length === 0) return steps;
  const known = new Map(steps.map((s) => [s.container, s]));
  const fromPod = stepStates(containers, { specResults: [], stepResults: new Map(), done: false }).steps;
  return fromPod.map((p, i) => {
    const raw = containers[i].state;
    const cutOff = raw?.running || raw?.waiting || (raw?.terminated && !raw.terminated.message);
    return cutOff ? { ...p, ...killedAsRunning(p) } : (known.get(p.container) ?? p);
  });
}

/** killedAsRunning shows a container the pod deletion killed as the running step Tekton last saw. */
function killedAsRunning(step: StepState): Partial<StepState> {
  if (!step.terminated) return {};
  return { terminated: undefined, terminationReason: undefined, running: step.terminated.startedAt ? { startedAt: step.terminated.startedAt } : {} };
}

/** terminateCutOffSteps ends running and waiting steps with exit code 1 and the failure reason. */
function terminateCutOffSteps(steps: StepState[], reason: string, podName: string, now: Date): StepState[] {
  return steps.map((step) => {
    if (!step.running && !step.waiting) return step;
    const { running, waiting: _waiting, terminated: _terminated, terminationReason: _reason, ...rest } = step;
    const terminated = {
      exitCode: 1,
      reason,
      message: `Step ${step.container} terminated as pod ${podName} is terminated`,
      ...(running?.startedAt ? { startedAt: running.startedAt } : {}),
      finishedAt: k8sTime(now),
    };
    return { ...rest, terminated, terminationReason: reason };
  });
}
