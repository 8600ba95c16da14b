// reconciler: TaskRun and PipelineRun state machines over a Store and an Executor.
export * from './events.ts';
export * from './taskrun/index.ts';
export * from './pipelinerun/index.ts';
export { startControllers, type Controllers, type ControllersOptions } from './manager.ts';
