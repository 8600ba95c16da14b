// stepaction.ts: StepAction (tekton.dev/v1beta1 and v1alpha1 stepaction_types.go), a reusable step
// that Task steps point at with `ref`.
import { z } from 'zod';
import { EnvVar, Loose, ObjectMeta, VolumeMount } from '../v1/meta.ts';
import { ParamSpec } from '../v1/param.ts';
import { StepResult } from '../v1/result.ts';

/** StepActionSpec is the container a referencing step runs, plus its params and results. */
export const StepActionSpec = z.strictObject({
  description: z.string().optional(),
  image: z.string().optional(),
  command: z.array(z.string()).optional(),
  args: z.array(z.string()).optional(),
  env: z.array(EnvVar).optional(),
  script: z.string().optional(),
  workingDir: z.string().optional(),
  params: z.array(ParamSpec).optional(),
  results: z.array(StepResult).optional(),
  securityContext: Loose.optional(),
  volumeMounts: z.array(VolumeMount).optional(),
});
export type StepActionSpec = z.infer<typeof StepActionSpec>;

/** StepAction is a tekton.dev/v1beta1 (or v1alpha1) StepAction object; it has no v1 form. */
export const StepAction = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('StepAction'),
  metadata: ObjectMeta,
  spec: StepActionSpec,
});
export type StepAction = z.infer<typeof StepAction>;
