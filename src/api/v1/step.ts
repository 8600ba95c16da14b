// step.ts: Step, StepTemplate and Sidecar (tekton.dev/v1 container_types.go).
import { z } from 'zod';
import { EnvVar, Loose, ResourceRequirements, VolumeMount } from './meta.ts';
import { Param } from './param.ts';
import { StepResult } from './result.ts';
import { WhenExpressions } from './when.ts';
import { WorkspaceUsage } from './workspace.ts';

const StringList = z.array(z.string());
const StdConfig = z.strictObject({ path: z.string().optional() });

/** containerFields are the corev1.Container fields Step, StepTemplate and Sidecar all carry. */
const containerFields = {
  image: z.string().optional(),
  command: StringList.optional(),
  args: StringList.optional(),
  workingDir: z.string().optional(),
  env: z.array(EnvVar).optional(),
  envFrom: z.array(Loose).optional(),
  computeResources: ResourceRequirements.optional(),
  volumeMounts: z.array(VolumeMount).optional(),
  volumeDevices: z.array(Loose).optional(),
  imagePullPolicy: z.string().optional(),
  securityContext: Loose.optional(),
};

/** Ref points a step at a StepAction (local name or resolver). */
export const StepRef = z.strictObject({
  name: z.string().optional(),
  resolver: z.string().optional(),
  params: z.array(Param).optional(),
});

/** Step is one container of a Task, run in order by the entrypoint. */
export const Step = z.strictObject({
  name: z.string().optional(),
  displayName: z.string().optional(),
  ...containerFields,
  script: z.string().optional(),
  timeout: z.string().optional(),
  workspaces: z.array(WorkspaceUsage).optional(),
  onError: z.string().optional(),
  stdoutConfig: StdConfig.optional(),
  stderrConfig: StdConfig.optional(),
  ref: StepRef.optional(),
  params: z.array(Param).optional(),
  results: z.array(StepResult).optional(),
  when: WhenExpressions.optional(),
});
export type Step = z.infer<typeof Step>;

/** StepTemplate is merged under every step (strategic merge: env by name, mounts by path). */
export const StepTemplate = z.strictObject(containerFields);
export type StepTemplate = z.infer<typeof StepTemplate>;

/** serviceContainerFields are the corev1.Container fields a Sidecar has and a v1 Step no longer has (v1beta1 Steps still accept them). */
export const serviceContainerFields = {
  ports: z.array(Loose).optional(),
  livenessProbe: Loose.optional(),
  readinessProbe: Loose.optional(),
  startupProbe: Loose.optional(),
  lifecycle: Loose.optional(),
  terminationMessagePath: z.string().optional(),
  terminationMessagePolicy: z.string().optional(),
  stdin: z.boolean().optional(),
  stdinOnce: z.boolean().optional(),
  tty: z.boolean().optional(),
};

/** Sidecar is a container that runs beside the steps (not wrapped by the entrypoint). */
export const Sidecar = z.strictObject({
  name: z.string().optional(),
  ...containerFields,
  ...serviceContainerFields,
  script: z.string().optional(),
  workspaces: z.array(WorkspaceUsage).optional(),
  restartPolicy: z.string().optional(),
});
export type Sidecar = z.infer<typeof Sidecar>;
