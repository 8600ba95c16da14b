// when.ts: step-level `when` expressions passed as `--when_expressions <json>` (Entrypointer.allowExec).

/** StepWhenExpression is one entry of v1 StepWhenExpressions as the pod builder serialises it. */
export interface StepWhenExpression {
  input?: string;
  operator?: string;
  values?: string[];
  cel?: string;
}

/** parseStepWhen decodes the flag value; "" means no expressions. */
export function parseStepWhen(json: string): StepWhenExpression[] | { error: string } {
  if (json === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    return { error: (err as Error).message };
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) return { error: 'json: cannot unmarshal into v1.StepWhenExpressions' };
  return parsed as StepWhenExpression[];
}

/** allowsExecution is WhenExpressions.AllowsExecution for in/notin; CEL entries are a clear unsupported error. */
export function allowsExecution(expressions: StepWhenExpression[]): { allowed: boolean } | { error: string } {
  for (const we of expressions) {
    if (we.cel) return { error: `CEL step when expressions are not supported by the Tektite entrypoint: ${JSON.stringify(we.cel)}` };
    const inValues = (we.values ?? []).includes(we.input ?? '');
    // Tekton treats any operator other than `in` as `notin` (validation rejected the rest earlier).
    const isTrue = we.operator === 'in' ? inValues : !inValues;
    if (!isTrue) return { allowed: false };
  }
  return { allowed: true };
}
