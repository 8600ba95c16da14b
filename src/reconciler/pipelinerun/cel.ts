// cel.ts: CEL in when expressions (pipelinerunresolution.go EvaluateCEL), evaluated with
// @marcbachmann/cel-js after substitution, in an empty environment as Tekton's cel.NewEnv().
import type { PipelineTask } from '../../api/index.ts';

let cel: typeof import('@marcbachmann/cel-js') | undefined;

/**
 * loadCel loads the CEL library; evaluateCel needs it loaded. Why lazily: evaluating the
 * library's module (it builds its table of overloads) costs ~10-20 ms of every start-up, and
 * most runs have no CEL (a TaskRun never has).
 */
export async function loadCel(): Promise<void> {
  cel ??= await import('@marcbachmann/cel-js');
}

/** usesCel tells whether any when expression of the tasks is CEL (loadCel is then needed). */
export function usesCel(tasks: readonly PipelineTask[]): boolean {
  return tasks.some((pt) => pt.when?.some((w) => w.cel !== undefined && w.cel !== ''));
}

/** CelVerdict is a CEL expression's boolean value, or why it has none. */
export type CelVerdict = { ok: true; value: boolean } | { ok: false; message: string };

/**
 * evaluateCel evaluates one expression. Tekton fails on a compile/evaluation error (the error
 * text; cel-js wording, first line only) and on a non-boolean value with
 * `The CEL expression %s is not evaluated to a boolean`.
 */
export function evaluateCel(expr: string): CelVerdict {
  if (!cel) throw new Error('evaluateCel called before loadCel'); // a bug: preparedRun loads it first
  let value: unknown;
  try {
    value = cel.evaluate(expr);
  } catch (e) {
    // Errors from the library are user errors (parse, unknown variable, no such overload).
    const message = e instanceof Error ? e.message.split('\n')[0]!.trim() : String(e);
    return { ok: false, message };
  }
  if (typeof value !== 'boolean') return { ok: false, message: `The CEL expression ${expr} is not evaluated to a boolean` };
  return { ok: true, value };
}

/** celFailure is the first CEL error among the PipelineTasks' when expressions, or undefined. */
export function celFailure(tasks: readonly PipelineTask[]): string | undefined {
  const seen = new Set<string>();
  for (const pt of tasks) {
    for (const w of pt.when ?? []) {
      if (w.cel === undefined || w.cel === '' || seen.has(w.cel)) continue;
      seen.add(w.cel);
      const v = evaluateCel(w.cel);
      if (!v.ok) return v.message;
    }
  }
  return undefined;
}

/** celFailedMessage is the PipelineRun condition message for CELEvaluationFailed (pipelinerun.go). */
export function celFailedMessage(prName: string, error: string): string {
  return `Error evaluating CEL ${prName}: [User error] ${error}`;
}
