// taskrun.ts: TaskRun, TaskRunSpec, TaskRef and TaskRunStatus (tekton.dev/v1 taskrun_types.go).
import { z } from 'zod';
import type { Condition } from './meta.ts';
import { Loose, ObjectMeta, ResourceRequirements } from './meta.ts';
import { Param } from './param.ts';
import { TaskSpec } from './task.ts';
import { WorkspaceBinding } from './workspace.ts';

/** TaskRef names a Task (kind Task) or asks a resolver for one. */
export const TaskRef = z.strictObject({
  name: z.string().optional(),
  kind: z.string().optional(),
  apiVersion: z.string().optional(),
  resolver: z.string().optional(),
  params: z.array(Param).optional(),
});
export type TaskRef = z.infer<typeof TaskRef>;

/** PodTemplate is Tekton's pod.Template; kept loose, typed where we read it. */
export const PodTemplate = z.looseObject({
  env: z.array(z.looseObject({ name: z.string(), value: z.string().optional() })).optional(),
  securityContext: Loose.optional(),
  volumes: z.array(Loose).optional(),
  hostAliases: z.array(Loose).optional(),
  dnsConfig: Loose.optional(),
});
export type PodTemplate = z.infer<typeof PodTemplate>;

/** TaskRunStepSpec / TaskRunSidecarSpec override computeResources of one step or sidecar. */
export const TaskRunStepSpec = z.strictObject({ name: z.string(), computeResources: ResourceRequirements });
export type TaskRunStepSpec = z.infer<typeof TaskRunStepSpec>;

export const TaskRunDebug = z.strictObject({
  breakpoints: z.strictObject({ onFailure: z.string().optional(), beforeSteps: z.array(z.string()).optional() }).optional(),
});

/** TaskRunSpec is what to run (taskRef or taskSpec) and with what. */
export const TaskRunSpec = z.strictObject({
  debug: TaskRunDebug.optional(),
  params: z.array(Param).optional(),
  serviceAccountName: z.string().optional(),
  taskRef: TaskRef.optional(),
  taskSpec: TaskSpec.optional(),
  status: z.string().optional(),
  statusMessage: z.string().optional(),
  retries: z.number().int().optional(),
  timeout: z.string().optional(),
  podTemplate: PodTemplate.optional(),
  workspaces: z.array(WorkspaceBinding).optional(),
  stepSpecs: z.array(TaskRunStepSpec).optional(),
  sidecarSpecs: z.array(TaskRunStepSpec).optional(),
  computeResources: ResourceRequirements.optional(),
  managedBy: z.string().optional(),
});
export type TaskRunSpec = z.infer<typeof TaskRunSpec>;

/** TaskRun is a tekton.dev/v1 TaskRun object; a user-supplied status is ignored. */
export const TaskRun = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('TaskRun'),
  metadata: ObjectMeta,
  spec: TaskRunSpec,
  status: Loose.optional(),
});
export type TaskRun = Omit<z.infer<typeof TaskRun>, 'status'> & { status?: TaskRunStatus };

/** ContainerStateTerminated mirrors corev1.ContainerStateTerminated (times as RFC 3339 text). */
export interface ContainerStateTerminated {
  exitCode: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
}

/** ContainerState mirrors corev1.ContainerState. */
export interface ContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: ContainerStateTerminated;
}

/** RunResult is a result as reported in status (name, type, value). */
export interface TaskRunResult {
  name: string;
  type: 'string' | 'array' | 'object';
  value: string | string[] | Record<string, string>;
}

/** StepState is one entry of TaskRun status.steps. */
export interface StepState extends ContainerState {
  name: string;
  container: string;
  imageID?: string;
  results?: TaskRunResult[];
  terminationReason?: string;
  /** inputs and outputs are the step's artifacts (TEP-0147, enable-artifacts). */
  inputs?: Artifact[];
  outputs?: Artifact[];
}

/** ArtifactValue is one value of an artifact (pkg/apis/pipeline/v1/artifact_types.go). */
export interface ArtifactValue {
  digest?: Record<string, string>;
  uri?: string;
}

/** Artifact is a named category of artifact values; buildOutput marks a build output. */
export interface Artifact {
  name?: string;
  values?: ArtifactValue[];
  buildOutput?: boolean;
}

/** Artifacts are what a TaskRun or step consumed (inputs) and produced (outputs). */
export interface Artifacts {
  inputs?: Artifact[];
  outputs?: Artifact[];
}

/** SidecarState is one entry of TaskRun status.sidecars. */
export interface SidecarState extends ContainerState {
  name: string;
  container: string;
  imageID?: string;
}

/** TaskRunStatus is the observed state of a TaskRun (v1 field names). */
export interface TaskRunStatus {
  conditions?: Condition[];
  podName?: string;
  startTime?: string;
  completionTime?: string;
  steps?: StepState[];
  sidecars?: SidecarState[];
  results?: TaskRunResult[];
  artifacts?: Artifacts;
  retriesStatus?: TaskRunStatus[];
  taskSpec?: TaskSpec;
  observedGeneration?: number;
}
