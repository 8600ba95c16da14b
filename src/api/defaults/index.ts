// api/defaults: Tekton's defaulting webhook (task_defaults.go, taskrun_defaults.go,
// pipeline_defaults.go, pipelinerun_defaults.go, param_types.go, result_defaults.go), as pure
// functions returning copies.
export { paramValueType, setParamSpecDefaults, setResultDefaults, setTaskSpecDefaults } from './task.ts';
export { ManagedByLabelKey, mergePodTemplateWithDefault, setTaskRunDefaults } from './taskrun.ts';
export { setPipelineRunDefaults, setPipelineSpecDefaults } from './pipeline.ts';
