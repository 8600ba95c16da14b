// task.ts: Task and TaskSpec (tekton.dev/v1 task_types.go).
import { z } from 'zod';
import { ObjectMeta, Volume } from './meta.ts';
import { ParamSpec } from './param.ts';
import { TaskResult } from './result.ts';
import { Sidecar, Step, StepTemplate } from './step.ts';
import { WorkspaceDeclaration } from './workspace.ts';

/** TaskSpec is what a Task does: params, steps, sidecars, workspaces, results. */
export const TaskSpec = z.strictObject({
  displayName: z.string().optional(),
  description: z.string().optional(),
  params: z.array(ParamSpec).optional(),
  steps: z.array(Step).optional(),
  volumes: z.array(Volume).optional(),
  stepTemplate: StepTemplate.optional(),
  sidecars: z.array(Sidecar).optional(),
  workspaces: z.array(WorkspaceDeclaration).optional(),
  results: z.array(TaskResult).optional(),
});
export type TaskSpec = z.infer<typeof TaskSpec>;

/** Task is a tekton.dev/v1 Task object. */
export const Task = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('Task'),
  metadata: ObjectMeta,
  spec: TaskSpec,
});
export type Task = z.infer<typeof Task>;
