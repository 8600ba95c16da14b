// reconciler: TaskRun and PipelineRun state machines over a Store and an Executor.
export * from './events.ts';
export * from './taskrun/index.ts';
export * from './pipelinerun/index.ts';
export { storeVolumeSources } from './volume-sources.ts';
// The public runTaskRun is the TaskRun reconciler plus the watch on the stored spec.status, so a
// standalone TaskRun honours `tektite cancel` (an explicit export shadows the one of `export *`).
export { runTaskRunWatched as runTaskRun, watchSpecStatus, type SpecStatus, type SpecStatusWatch } from './watch.ts';
export { startControllers, type Controllers, type ControllersOptions } from './manager.ts';
