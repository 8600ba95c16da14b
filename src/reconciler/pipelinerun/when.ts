// when.ts: evaluating substituted when expressions (when_types.go AllowsExecution, with the CEL
// verdicts of pipelinerunresolution.go EvaluateCEL).
import type { WhenExpression } from '../../api/index.ts';
import { findVariables } from '../../substitution/index.ts';
import { evaluateCel } from './cel.ts';

/**
 * WhenOutcome: run, skip, an unresolved reference (a result that was never produced), or a CEL
 * expression that failed to evaluate (the PipelineRun fails with CELEvaluationFailed).
 */
export type WhenOutcome = { allowed: true } | { allowed: false } | { unresolved: string } | { celError: string };

/**
 * evaluateWhen ANDs the expressions in order: `in` holds when input is among values, `notin` when not,
 * `cel` when the expression is true. A leftover `$(tasks...)` means a result is missing.
 */
export function evaluateWhen(whens: readonly WhenExpression[] | undefined): WhenOutcome {
  const leftoverIn = (texts: string[]) => texts.flatMap((t) => findVariables(t)).find((v) => v.expression.startsWith('tasks.'));
  // Tekton evaluates every CEL entry before AllowsExecution: an error is never hidden by an
  // earlier expression that is false.
  const verdicts = new Map<string, boolean>();
  for (const w of whens ?? []) {
    if (!w.cel || leftoverIn([w.cel])) continue;
    const verdict = evaluateCel(w.cel);
    if (!verdict.ok) return { celError: verdict.message };
    verdicts.set(w.cel, verdict.value);
  }
  for (const w of whens ?? []) {
    const leftover = leftoverIn([w.input ?? '', ...(w.values ?? []), w.cel ?? '']);
    if (leftover) return { unresolved: leftover.text };
    if (w.cel) {
      if (!verdicts.get(w.cel)) return { allowed: false };
      continue;
    }
    const found = (w.values ?? []).includes(w.input ?? '');
    if ((w.operator === 'in') !== found) return { allowed: false };
  }
  return { allowed: true };
}
