// api/v1: zod schemas and inferred types for tekton.dev/v1 objects and the core objects runs use.
export * from './meta.ts';
export * from './param.ts';
export * from './result.ts';
export * from './when.ts';
export * from './workspace.ts';
export * from './step.ts';
export * from './task.ts';
export * from './taskrun.ts';
export * from './pipeline.ts';
export * from './pipelinerun.ts';
export * from './core.ts';
export * from './merge.ts';
