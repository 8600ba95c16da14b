// api/defaults: Tekton's defaulting webhook for Tasks and TaskRuns (task_defaults.go,
// taskrun_defaults.go, param_types.go, result_defaults.go), as pure functions returning copies.
export { paramValueType, setParamSpecDefaults, setResultDefaults, setTaskSpecDefaults } from './task.ts';
export { ManagedByLabelKey, mergePodTemplateWithDefault, setTaskRunDefaults } from './taskrun.ts';
