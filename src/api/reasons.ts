// reasons.ts: condition reasons, as Tekton spells them (TaskRunReason, PipelineRunReason, pod reasons).

/** TaskRunReason is the reason of a TaskRun's Succeeded condition (taskrun_types.go, pod/status.go). */
export const TaskRunReason = {
  Started: 'Started',
  Running: 'Running',
  Pending: 'Pending',
  TaskRunPending: 'TaskRunPending',
  ToBeRetried: 'ToBeRetried',
  Succeeded: 'Succeeded',
  Failed: 'Failed',
  StepFailed: 'StepFailed',
  SidecarFailed: 'SidecarFailed',
  InitContainerFailed: 'InitContainerFailed',
  StepOOM: 'StepOOM',
  SidecarOOM: 'SidecarOOM',
  InitContainerOOM: 'InitContainerOOM',
  PodEvicted: 'PodEvicted',
  // pkg/pod/status.go reasons for a pod that is not running yet.
  ExceededNodeResources: 'ExceededNodeResources',
  ExceededResourceQuota: 'ExceededResourceQuota',
  PullImageFailed: 'PullImageFailed',
  CreateContainerConfigError: 'CreateContainerConfigError',
  FailureIgnored: 'FailureIgnored',
  Cancelled: 'TaskRunCancelled',
  TimedOut: 'TaskRunTimeout',
  ImagePullFailed: 'TaskRunImagePullFailed',
  PodCreationFailed: 'PodCreationFailed',
  ResolutionFailed: 'TaskRunResolutionFailed',
  ValidationFailed: 'TaskRunValidationFailed',
  TaskValidationFailed: 'TaskValidationFailed',
  InvalidParamValue: 'InvalidParamValue',
  // results-from=sidecar-logs: a result line longer than max-result-size.
  ResultLargerThanAllowedLimit: 'TaskRunResultLargerThanAllowedLimit',
} as const;
export type TaskRunReason = (typeof TaskRunReason)[keyof typeof TaskRunReason];

/** PipelineRunReason is the reason of a PipelineRun's Succeeded condition (pipelinerun_types.go). */
export const PipelineRunReason = {
  Started: 'Started',
  Running: 'Running',
  Stopping: 'PipelineRunStopping',
  Pending: 'PipelineRunPending',
  Succeeded: 'Succeeded',
  Completed: 'Completed',
  Failed: 'Failed',
  Cancelled: 'Cancelled',
  CancelledRunningFinally: 'CancelledRunningFinally',
  StoppedRunningFinally: 'StoppedRunningFinally',
  TimeoutRunningFinally: 'PipelineRunTimeoutRunningFinally',
  TimedOut: 'PipelineRunTimeout',
  ValidationFailed: 'PipelineValidationFailed',
  CouldntGetPipeline: 'CouldntGetPipeline',
  CouldntGetTask: 'CouldntGetTask',
  CouldntGetPipelineResult: 'CouldntGetPipelineResult',
  InvalidWorkspaceBindings: 'InvalidWorkspaceBindings',
  InvalidTaskRunSpecs: 'InvalidTaskRunSpecs',
  ParameterTypeMismatch: 'ParameterTypeMismatch',
  ObjectParameterMissKeys: 'ObjectParameterMissKeys',
  ParameterMissing: 'ParameterMissing',
  InvalidGraph: 'PipelineInvalidGraph',
  InvalidTaskResultReference: 'InvalidTaskResultReference',
  CreateRunFailed: 'CreateRunFailed',
  CELEvaluationFailed: 'CELEvaluationFailed',
} as const;
export type PipelineRunReason = (typeof PipelineRunReason)[keyof typeof PipelineRunReason];

/** StepTerminationReason is the internal `Reason` an entrypoint writes (one definition, in src/termination). */
export { TerminationReason as StepTerminationReason } from '../termination/index.ts';

/** Labels and annotations Tekton puts on runs and pods. */
export const TektonLabel = {
  TaskRun: 'tekton.dev/taskRun',
  TaskRunUID: 'tekton.dev/taskRunUID',
  Task: 'tekton.dev/task',
  PipelineRun: 'tekton.dev/pipelineRun',
  PipelineRunUID: 'tekton.dev/pipelineRunUID',
  Pipeline: 'tekton.dev/pipeline',
  PipelineTask: 'tekton.dev/pipelineTask',
  MemberOf: 'tekton.dev/memberOf',
  ManagedBy: 'app.kubernetes.io/managed-by',
  Ready: 'tekton.dev/ready',
  Release: 'pipeline.tekton.dev/release',
} as const;
