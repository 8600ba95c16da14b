// pod: TaskRun → V1Pod exactly as Tekton builds it (pkg/pod): names, init containers (prepare,
// place-scripts, working-dir-initializer), entrypoint-wrapped steps, sidecars, implicit volumes,
// stepTemplate merge, stepSpecs/sidecarSpecs, Task-level compute resources, podTemplate fields,
// the namespace's LimitRanges (Tekton's transformer and Kubernetes' LimitRanger). A step with no
// command gets its image's commands (entrypoint-lookup.ts; the lookup itself is src/images).
// Pod status (pod → TaskRun status) lives in status files owned elsewhere.
export { buildPod } from './build.ts';
export { applyLimitRanges } from './limitrange.ts';
export type { PodBuildOptions } from './build.ts';
export { childName, podName, stepContainerName, sidecarContainerName, restrictLength, restrictLengthWithRandomSuffix } from './names.ts';
export { mergeWithSpecs, applyTaskLevelComputeResources } from './merge.ts';
export { DEFAULT_SCRIPT_PREAMBLE } from './scripts.ts';
export { parseQuantity, formatQuantity } from './quantity.ts';
export { commandsForStep, lookupStepEntrypoints, withPlatformCommands, PLATFORM_COMMANDS_ENV } from './entrypoint-lookup.ts';
export type { EntrypointCache, ResolvedEntrypoints } from './entrypoint-lookup.ts';
export { KUBELET_FINALIZER } from './finalizer.ts';
export { isContainerStep, markedReady, NOP_IMAGE, READY_ANNOTATION, READY_VALUE, RESULTS_SIDECAR, sidecarsReady, sidecarsStopped } from './sidecars.ts';
