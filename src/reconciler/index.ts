// reconciler: TaskRun (and later PipelineRun) state machines over a Store and an Executor.
export * from './events.ts';
export * from './taskrun/index.ts';
export * from './pipelinerun/index.ts';
export { storeVolumeSources } from './volume-sources.ts';
