// pod: TaskRun → V1Pod exactly as Tekton builds it (pkg/pod): names, init containers (prepare,
// place-scripts, working-dir-initializer), entrypoint-wrapped steps, sidecars, implicit volumes,
// stepTemplate merge, stepSpecs/sidecarSpecs, Task-level compute resources, podTemplate fields,
// the namespace's LimitRanges (Tekton's transformer and Kubernetes' LimitRanger).
// Pod status (pod → TaskRun status) lives in status files owned elsewhere.
export { buildPod } from './build.ts';
export { applyLimitRanges } from './limitrange.ts';
export type { PodBuildOptions } from './build.ts';
export { childName, podName, stepContainerName, sidecarContainerName, restrictLength, restrictLengthWithRandomSuffix } from './names.ts';
export { mergeStepsWithStepTemplate, mergeWithSpecs, applyTaskLevelComputeResources } from './merge.ts';
export { DEFAULT_SCRIPT_PREAMBLE } from './scripts.ts';
export { parseQuantity, formatQuantity } from './quantity.ts';
