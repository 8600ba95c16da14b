// when.ts: WhenExpression (input/operator/values or cel), for PipelineTasks and steps.
import { z } from 'zod';

/** WhenExpression guards a PipelineTask or a step. */
export const WhenExpression = z.strictObject({
  input: z.string().optional(),
  operator: z.string().optional(),
  values: z.array(z.string()).optional(),
  cel: z.string().optional(),
});
export type WhenExpression = z.infer<typeof WhenExpression>;
export const WhenExpressions = z.array(WhenExpression);
