// pipeline.ts: Pipeline, PipelineSpec and PipelineTask (tekton.dev/v1 pipeline_types.go).
import { z } from 'zod';
import { EmbeddedMeta, Loose, ObjectMeta } from './meta.ts';
import { Param, ParamSpec, ParamType, PropertySpec, ParamValue } from './param.ts';
import { TaskSpec } from './task.ts';
import { TaskRef } from './taskrun.ts';
import { WhenExpressions } from './when.ts';
import { PipelineWorkspaceDeclaration, WorkspacePipelineTaskBinding } from './workspace.ts';

/** EmbeddedTask is an inline taskSpec of a PipelineTask (TaskSpec plus metadata / custom-task fields). */
export const EmbeddedTask = TaskSpec.extend({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: EmbeddedMeta.optional(),
  spec: Loose.optional(),
});
export type EmbeddedTask = z.infer<typeof EmbeddedTask>;

export const IncludeParams = z.strictObject({ name: z.string().optional(), params: z.array(Param).optional() });

/** Matrix fans a PipelineTask out over combinations of array params. */
export const Matrix = z.strictObject({
  params: z.array(Param).optional(),
  include: z.array(IncludeParams).optional(),
});
export type Matrix = z.infer<typeof Matrix>;

/** PipelineRef names a Pipeline or asks a resolver for one. */
export const PipelineRef = z.strictObject({
  name: z.string().optional(),
  apiVersion: z.string().optional(),
  resolver: z.string().optional(),
  params: z.array(Param).optional(),
});
export type PipelineRef = z.infer<typeof PipelineRef>;

/** PipelineTask is one node of a Pipeline's graph. */
export const PipelineTask = z.strictObject({
  name: z.string(),
  displayName: z.string().optional(),
  description: z.string().optional(),
  taskRef: TaskRef.optional(),
  taskSpec: EmbeddedTask.optional(),
  when: WhenExpressions.optional(),
  onError: z.string().optional(),
  retries: z.number().int().optional(),
  runAfter: z.array(z.string()).optional(),
  params: z.array(Param).optional(),
  matrix: Matrix.optional(),
  workspaces: z.array(WorkspacePipelineTaskBinding).optional(),
  timeout: z.string().optional(),
  pipelineRef: PipelineRef.optional(),
  /** pipelineSpec embeds a child Pipeline (TEP-0056, alpha); a getter, as the types are recursive. */
  get pipelineSpec(): z.ZodOptional<typeof PipelineSpec> {
    return PipelineSpec.optional();
  },
});
export type PipelineTask = z.infer<typeof PipelineTask>;

/** PipelineResult is a Pipeline-level result computed from task results. */
export const PipelineResult = z.strictObject({
  name: z.string(),
  type: ParamType.optional(),
  description: z.string().optional(),
  properties: z.record(z.string(), PropertySpec).optional(),
  value: ParamValue,
});
export type PipelineResult = z.infer<typeof PipelineResult>;

/** PipelineSpec is a graph of PipelineTasks plus finally tasks. */
export const PipelineSpec = z.strictObject({
  displayName: z.string().optional(),
  description: z.string().optional(),
  tasks: z.array(PipelineTask).optional(),
  params: z.array(ParamSpec).optional(),
  workspaces: z.array(PipelineWorkspaceDeclaration).optional(),
  results: z.array(PipelineResult).optional(),
  finally: z.array(PipelineTask).optional(),
});
export type PipelineSpec = z.infer<typeof PipelineSpec>;

/** Pipeline is a tekton.dev/v1 Pipeline object. */
export const Pipeline = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('Pipeline'),
  metadata: ObjectMeta,
  spec: PipelineSpec,
});
export type Pipeline = z.infer<typeof Pipeline>;
