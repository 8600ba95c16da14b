// result.ts: TaskResult and StepResult declarations.
import { z } from 'zod';
import { ParamType, ParamValue, PropertySpec } from './param.ts';

/** TaskResult declares a result a Task writes to /tekton/results/<name>. */
export const TaskResult = z.strictObject({
  name: z.string(),
  type: ParamType.optional(),
  properties: z.record(z.string(), PropertySpec).optional(),
  description: z.string().optional(),
  value: ParamValue.optional(),
});
export type TaskResult = z.infer<typeof TaskResult>;

/** StepResult declares a result a step writes to $(step.results.<name>.path). */
export const StepResult = z.strictObject({
  name: z.string(),
  type: ParamType.optional(),
  properties: z.record(z.string(), PropertySpec).optional(),
  description: z.string().optional(),
});
export type StepResult = z.infer<typeof StepResult>;
