// validation: FieldError (knative's, with Tekton's messages) and one validator per kind; feature gates.
// Task/TaskRun admission checks (task_validation.go, taskrun_validation.go and friends) and the
// reconciler's runtime checks of params and workspace bindings live here, and admission (admission.ts):
// the webhook's defaulting then validation of one object on create, with its reference checks.
export * from '../errors/index.ts';
export { validateEnabledAPIFields } from './feature-gate.ts';
export { validateObjectMetadata } from './metadata.ts';
export { validateTask, validateTaskSpec, workspaceMountPath, cleanPath } from './task.ts';
export { validateTaskRun, validateTaskRunSpec, validateTaskRef, validateWorkspaceBinding, validateWorkspaceBindings, validateParameters } from './taskrun.ts';
export { validateTaskRunParams, validateTaskRunWorkspaces } from './runtime.ts';
export { NAMES_URL } from './step.ts';
export { ResultNameFormat, validateResultName } from './results.ts';
export { extractVariables, noUnknownVariables, noProhibitedVariables, variableIsIsolated } from './variables.ts';
export { validatePipeline, validatePipelineSpec } from './pipeline.ts';
export { isChildPipeline } from './child-pipeline.ts';
export { validatePipelineRun } from './pipelinerun.ts';
export { validateStepAction, validateStepActionSpec } from './stepaction.ts';
export { admit, setDefaults, batchResolver, type Admission } from './admission.ts';
