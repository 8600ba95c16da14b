// pipelinerun.ts: PipelineRun and PipelineRunSpec (tekton.dev/v1 pipelinerun_types.go).
import { z } from 'zod';
import type { Condition } from './meta.ts';
import { Loose, ObjectMeta, EmbeddedMeta, ResourceRequirements } from './meta.ts';
import { Param } from './param.ts';
import { PipelineRef, PipelineSpec } from './pipeline.ts';
import { PodTemplate, TaskRunStepSpec } from './taskrun.ts';
import { WorkspaceBinding } from './workspace.ts';
import type { WhenExpression } from './when.ts';

export const TimeoutFields = z.strictObject({
  pipeline: z.string().optional(),
  tasks: z.string().optional(),
  finally: z.string().optional(),
});

/** PipelineTaskRunSpec overrides run settings of one PipelineTask's TaskRuns. */
export const PipelineTaskRunSpec = z.strictObject({
  pipelineTaskName: z.string(),
  serviceAccountName: z.string().optional(),
  podTemplate: PodTemplate.optional(),
  stepSpecs: z.array(TaskRunStepSpec).optional(),
  sidecarSpecs: z.array(TaskRunStepSpec).optional(),
  metadata: EmbeddedMeta.optional(),
  computeResources: ResourceRequirements.optional(),
  timeout: z.string().optional(),
});

/** PipelineRunSpec is what Pipeline to run, with what params, workspaces and timeouts. */
export const PipelineRunSpec = z.strictObject({
  pipelineRef: PipelineRef.optional(),
  pipelineSpec: PipelineSpec.optional(),
  params: z.array(Param).optional(),
  status: z.string().optional(),
  timeouts: TimeoutFields.optional(),
  taskRunTemplate: z.strictObject({ podTemplate: PodTemplate.optional(), serviceAccountName: z.string().optional() }).optional(),
  workspaces: z.array(WorkspaceBinding).optional(),
  taskRunSpecs: z.array(PipelineTaskRunSpec).optional(),
  managedBy: z.string().optional(),
});
export type PipelineRunSpec = z.infer<typeof PipelineRunSpec>;

/** PipelineRun is a tekton.dev/v1 PipelineRun object; a user-supplied status is ignored. */
export const PipelineRun = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('PipelineRun'),
  metadata: ObjectMeta,
  spec: PipelineRunSpec,
  status: Loose.optional(),
});
export type PipelineRun = Omit<z.infer<typeof PipelineRun>, 'status'> & { status?: PipelineRunStatus };

/** ChildStatusReference points at a child TaskRun of a PipelineRun. */
export interface ChildStatusReference {
  apiVersion: string;
  kind: string;
  name: string;
  displayName?: string;
  pipelineTaskName: string;
  whenExpressions?: WhenExpression[];
}

/** SkippedTask records a PipelineTask that did not run, and why. */
export interface SkippedTask {
  name: string;
  reason: string;
  whenExpressions?: WhenExpression[];
}

/** PipelineRunStatus is the observed state of a PipelineRun (v1 field names). */
export interface PipelineRunStatus {
  conditions?: Condition[];
  startTime?: string;
  completionTime?: string;
  finallyStartTime?: string;
  results?: { name: string; value: string | string[] | Record<string, string> }[];
  pipelineSpec?: PipelineSpec;
  skippedTasks?: SkippedTask[];
  childReferences?: ChildStatusReference[];
  observedGeneration?: number;
}

export { Loose };
