// status-failure.ts: reading why a pod failed or is still pending, as pkg/pod/status.go does
// (DidTaskRunFail, getFailureMessage, the failure-reason priority, getWaitingMessage).
import type { V1ContainerStatus, V1PodStatus } from '@kubernetes/client-node';
import { TaskRunReason } from '../../api/index.ts';
import { isContainerStep } from '../../pod/index.ts';
import { InternalResultKey, parseTerminationMessage, RunResultType } from '../../termination/index.ts';

const OOM_KILLED = 'OOMKilled';
const EVICTED = 'Evicted';

export { isContainerStep };

function isOOMKilled(s: V1ContainerStatus): boolean {
  return s.state?.terminated?.reason === OOM_KILLED;
}

function exitedNonZero(s: V1ContainerStatus): boolean {
  const t = s.state?.terminated;
  return t !== undefined && t.exitCode !== 0;
}

/** didTaskRunFail: the pod failed, or a step container ended non-zero or OOMKilled. */
export function didTaskRunFail(pod: V1PodStatus): boolean {
  if (pod.phase === 'Failed') return true;
  return (pod.containerStatuses ?? []).some((s) => isContainerStep(s.name) && s.state?.terminated && (exitedNonZero(s) || isOOMKilled(s)));
}

/**
 * failureReason classifies a failed pod by priority: eviction, init container OOM, init container
 * failure, sidecar OOM, step OOM, sidecar failure, step failure, else Failed (tektoncd/pipeline#9368).
 */
export function failureReason(pod: V1PodStatus): string {
  if (pod.reason === EVICTED) return TaskRunReason.PodEvicted;
  const init = pod.initContainerStatuses ?? [];
  const containers = pod.containerStatuses ?? [];
  const sidecars = containers.filter((s) => !isContainerStep(s.name));
  const steps = containers.filter((s) => isContainerStep(s.name));
  const checks: [V1ContainerStatus[], (s: V1ContainerStatus) => boolean, string][] = [
    [init, isOOMKilled, TaskRunReason.InitContainerOOM],
    [init, exitedNonZero, TaskRunReason.InitContainerFailed],
    [sidecars, isOOMKilled, TaskRunReason.SidecarOOM],
    [steps, isOOMKilled, TaskRunReason.StepOOM],
    [sidecars, exitedNonZero, TaskRunReason.SidecarFailed],
    [steps, exitedNonZero, TaskRunReason.StepFailed],
  ];
  return checks.find(([list, test]) => list.some(test))?.[2] ?? TaskRunReason.Failed;
}

/** failureMessage is getFailureMessage: the first failed init container, then container, then the pod message. */
export function failureMessage(pod: V1PodStatus): string {
  if (pod.reason === EVICTED) return pod.message ?? '';
  for (const s of pod.initContainerStatuses ?? []) {
    const msg = containerFailureMessage(s);
    if (msg) return `init container failed, ${msg}`;
  }
  for (const s of pod.containerStatuses ?? []) {
    const msg = containerFailureMessage(s);
    if (msg) return msg;
  }
  if (pod.message) return pod.message;
  if ((pod.containerStatuses ?? []).some((s) => isContainerStep(s.name) && isOOMKilled(s))) return OOM_KILLED;
  return 'build failed for unspecified reasons.';
}

/** containerFailureMessage names a container that hit its step timeout or exited non-zero. */
function containerFailureMessage(s: V1ContainerStatus): string {
  const t = s.state?.terminated;
  if (!t) return '';
  const parsed = parseTerminationMessage(t.message ?? '');
  const entries = 'entries' in parsed ? parsed.entries : [];
  const timedOut = entries.some((e) => e.type === RunResultType.InternalTektonResult && e.key === InternalResultKey.Reason && e.value === 'TimeoutExceeded');
  if (timedOut) return `${JSON.stringify(s.name)} exited because the step exceeded the specified timeout limit`;
  if (t.exitCode !== 0) return `${JSON.stringify(s.name)} exited with code ${t.exitCode}`;
  return '';
}

const IMAGE_ERROR_REASONS = new Set(['ImagePullBackOff', 'ImageInspectError', 'ErrImagePull', 'ErrImageNeverPull', 'RegistryUnavailable', 'InvalidImageName']);

/** PendingCondition is the Succeeded condition for a pod still Pending. */
export type PendingCondition = { status: 'Unknown' | 'False'; reason: string; message: string };

/** pendingCondition explains a Pending pod: node resources, a container config error, an image pull error, or waiting. */
export function pendingCondition(pod: V1PodStatus): PendingCondition {
  if ((pod.conditions ?? []).some((c) => c.reason === 'Unschedulable' && (c.message ?? '').includes('Insufficient'))) {
    return { status: 'Unknown', reason: TaskRunReason.ExceededNodeResources, message: 'TaskRun Pod exceeded available resources' };
  }
  const waiting = (pod.containerStatuses ?? []).map((s) => s.state?.waiting?.reason ?? '');
  if (waiting.includes(TaskRunReason.CreateContainerConfigError)) {
    return { status: 'False', reason: TaskRunReason.CreateContainerConfigError, message: 'Failed to create pod due to config error' };
  }
  if (waiting.some((r) => IMAGE_ERROR_REASONS.has(r))) {
    return { status: 'Unknown', reason: TaskRunReason.PullImageFailed, message: waitingMessage(pod) };
  }
  return { status: 'Unknown', reason: TaskRunReason.Pending, message: waitingMessage(pod) };
}

/** waitingMessage is getWaitingMessage: a waiting container's message, a false pod condition, the pod message, or `Pending`. */
export function waitingMessage(pod: V1PodStatus): string {
  for (const s of pod.containerStatuses ?? []) {
    const w = s.state?.waiting;
    if (w?.message) return `build step ${JSON.stringify(s.name)} is pending with reason ${JSON.stringify(w.message)}`;
  }
  const c = (pod.conditions ?? []).find((x) => x.status !== 'True');
  if (c) return `pod status ${JSON.stringify(c.type)}:${JSON.stringify(c.status)}; message: ${JSON.stringify(c.message ?? '')}`;
  if (pod.message) return pod.message;
  return 'Pending';
}
