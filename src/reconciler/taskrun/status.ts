// status.ts: TaskRun status from the pod's status, as pkg/pod/status.go MakeTaskRunStatus
// computes it, plus the result check the reconciler does right after (validateTaskRunResults).
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { TaskRun, TaskRunStatus, TaskSpec } from '../../api/index.ts';
import { TaskRunReason } from '../../api/index.ts';
import { RunResultType, type RunResult } from '../../termination/index.ts';
import { condition, isDone, k8sTime, setCondition } from './status-condition.ts';
import { didTaskRunFail, failureMessage, failureReason, isContainerStep, pendingCondition } from './status-failure.ts';
import { filterResults, removeDuplicateResults, validateTaskRunResults } from './status-results.ts';
import { RESULTS_SIDECAR } from '../../pod/index.ts';
import { firstOfType, mergeArtifacts } from './status-artifacts.ts';
import { sidecarStates, sortContainerStatuses, stepResultDecls, stepStates } from './status-steps.ts';

/** PIPELINE_TASK_ON_ERROR is the annotation a PipelineRun puts on a TaskRun whose PipelineTask has `onError`. */
export const PIPELINE_TASK_ON_ERROR = 'pipeline.tekton.dev/pipeline-task-on-error';

const RUNNING_MESSAGE = 'Not all Steps in the Task have finished executing';

/** MakeTaskRunStatusInput is the TaskRun so far, its resolved spec, and the pod with its latest status. */
export interface MakeTaskRunStatusInput {
  taskRun: TaskRun;
  taskSpec: TaskSpec;
  pod: V1Pod;
  podStatus: V1PodStatus;
  now: Date;
  /** sidecarLogResults are the results sidecar's lines read so far (results-from=sidecar-logs). */
  sidecarLogResults?: RunResult[];
}

/** makeTaskRunStatusFromPod computes TaskRun status fields from a pod status, exactly like pkg/pod/status.go MakeTaskRunStatus. */
export function makeTaskRunStatusFromPod(input: MakeTaskRunStatusInput): { status: TaskRunStatus; done: boolean } {
  const { taskRun, taskSpec, pod, now } = input;
  const containers = sortContainerStatuses(input.podStatus.containerStatuses ?? [], pod.spec?.containers ?? []);
  const podStatus: V1PodStatus = { ...input.podStatus, containerStatuses: containers };
  let status: TaskRunStatus = { ...(taskRun.status ?? {}) };
  const before = condition(status);
  if (!before || before.status === 'Unknown') {
    status = setCondition(status, { status: 'Unknown', reason: TaskRunReason.Running, message: RUNNING_MESSAGE }, now);
  }
  status = isComplete(podStatus) ? completedCondition(status, podStatus, taskRun.metadata.annotations?.[PIPELINE_TASK_ON_ERROR], now) : incompleteCondition(status, podStatus, now);
  status.podName = pod.metadata?.name ?? status.podName;

  const specResults = [...(taskRun.spec.taskSpec?.results ?? []), ...(taskSpec.results ?? [])];
  const done = isDone(status);
  // Tekton reads the results sidecar's log once the pod is past Pending.
  const fromSidecar = podStatus.phase === 'Pending' ? [] : (input.sidecarLogResults ?? []);
  const sidecarTaskResults = done
    ? filterResults(
        fromSidecar.filter((r) => r.type === RunResultType.TaskRunResult),
        specResults,
        [],
      ).taskResults
    : [];
  const read = stepStates(
    containers.filter((s) => isContainerStep(s.name)),
    {
      specResults,
      stepResults: stepResultDecls(taskSpec.steps ?? []),
      done,
      sidecarLogResults: fromSidecar,
    },
  );
  status.steps = read.steps;
  status.sidecars = sidecarStates(containers.filter((s) => s.name.startsWith('sidecar-')));
  const results = removeDuplicateResults([...(status.results ?? []), ...sidecarTaskResults, ...read.results]);
  if (results) status.results = results;
  else delete status.results;
  // A done TaskRun's artifacts start from the sidecar's taskArtifact line, then every step's
  // message merges in (pkg/pod/status.go); Tekton shows `artifacts: {}` when there are none.
  if (done) status.artifacts = read.artifacts.reduce(mergeArtifacts, firstOfType(fromSidecar, RunResultType.TaskRunArtifactsResult, {}));

  if (results) {
    const invalid = validateTaskRunResults(results, specResults);
    if (invalid) {
      status = setCondition(status, { status: 'False', reason: TaskRunReason.ValidationFailed, message: invalid }, now);
      status.completionTime = k8sTime(now);
    }
  }
  return { status, done: isDone(status) };
}

/**
 * isComplete: every step container (and the results sidecar, which only exists under
 * results-from=sidecar-logs: areContainersCompleted) terminated in a Running pod, or the pod Succeeded or Failed.
 */
function isComplete(pod: V1PodStatus): boolean {
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') return true;
  const statuses = pod.containerStatuses ?? [];
  const awaited = (name: string) => isContainerStep(name) || name === RESULTS_SIDECAR;
  return statuses.length > 0 && pod.phase === 'Running' && statuses.every((s) => !awaited(s.name) || s.state?.terminated !== undefined);
}

/** completedCondition is updateCompletedTaskRunStatus: success, or a classified failure (FailureIgnored under `onError: continue`). */
function completedCondition(status: TaskRunStatus, pod: V1PodStatus, onError: string | undefined, now: Date): TaskRunStatus {
  const next = didTaskRunFail(pod)
    ? setCondition(
        status,
        {
          status: 'False',
          reason: onError === 'continue' ? TaskRunReason.FailureIgnored : failureReason(pod),
          message: failureMessage(pod),
        },
        now,
      )
    : setCondition(status, { status: 'True', reason: TaskRunReason.Succeeded, message: 'All Steps have completed executing' }, now);
  return { ...next, completionTime: k8sTime(now) };
}

/** incompleteCondition is updateIncompleteTaskRunStatus: Running, or why a Pending pod has not started. */
function incompleteCondition(status: TaskRunStatus, pod: V1PodStatus, now: Date): TaskRunStatus {
  if (pod.phase === 'Running') return setCondition(status, { status: 'Unknown', reason: TaskRunReason.Running, message: RUNNING_MESSAGE }, now);
  if (pod.phase === 'Pending') return setCondition(status, pendingCondition(pod), now);
  return status;
}
