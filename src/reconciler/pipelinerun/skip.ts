// skip.ts: whether a PipelineTask that is ready runs or is skipped (pipelinerunresolution.go
// Skip / IsFinallySkipped), as pure functions of the run's facts. The order of the checks is the
// one runPipelineRun (reconcile.ts) uses, which the e2e and conformance suites were written against.
import type { PipelineTask } from '../../api/index.ts';
import type { Graph } from '../../dag/index.ts';
import { missingResult } from './facts.ts';
import { hasEmptyMatrixParam } from './matrix.ts';
import { SkippingReason, type ResolvedPipelineTask } from './state.ts';
import { applyToPipelineTask, mergeReplacements, type Replacements } from './variables.ts';
import { evaluateWhen } from './when.ts';
import type { Stops } from './stops.ts';

/** Skip is why a PipelineTask is skipped (undefined: it is not). */
export type Skip = ResolvedPipelineTask['skip'];

/** SkipVerdict: skipped, a validation failure (a result it needs was never produced), a CEL error, or run. */
export type SkipVerdict = { skip: NonNullable<Skip> } | { validationFailure: string } | { celError: string } | { run: true };

/** DagFacts are what a DAG task's skip depends on besides its own spec. */
export interface DagFacts {
  stops: Stops;
  /** stopping: a DAG task failed, or a validation failure was found (pipelinerunstate.go IsStopping). */
  stopping: boolean;
  graph: Graph;
  byName: ReadonlyMap<string, ResolvedPipelineTask>;
  vars: Replacements;
}

/** dagSkip is Skip() for DAG tasks, in today's order (reconcile.ts dagSkip). */
export function dagSkip(rpt: ResolvedPipelineTask, f: DagFacts): SkipVerdict {
  if (f.stops.ended === 'pipeline-timeout') return { skip: { reason: SkippingReason.PipelineTimeout } };
  if (f.stops.tasksTimedOut) return { skip: { reason: SkippingReason.TasksTimeout } };
  if (f.stopping) return { skip: { reason: SkippingReason.Stopping } };
  if (f.stops.graceful === 'cancel') return { skip: { reason: SkippingReason.GracefullyCancelled } };
  if (f.stops.graceful === 'stop') return { skip: { reason: SkippingReason.GracefullyStopped } };
  const pt = applyToPipelineTask(rpt.task, f.vars);
  const when = evaluateWhen(pt.when);
  if ('celError' in when) return { celError: when.celError };
  if ('allowed' in when && !when.allowed) return { skip: { reason: SkippingReason.When, whenExpressions: pt.when } };
  const parentSkipped = f.graph.parents(rpt.task.name).some((p) => {
    const s = f.byName.get(p)!.skip;
    return s && s.reason !== SkippingReason.When;
  });
  if (parentSkipped) return { skip: { reason: SkippingReason.ParentSkipped } };
  const missing = missingResult(pt);
  if (missing) {
    const producer = f.byName.get(missing.task);
    if (rpt.task.onError === 'continue' || producer?.skip) return { skip: { reason: SkippingReason.MissingResults } };
    // Tekton puts it in ValidationFailedTask: no TaskRun is created and nothing new is scheduled.
    return {
      validationFailure: `task ${JSON.stringify(missing.task)} completed successfully but did not emit the result ${JSON.stringify(missing.result)}, which is referenced by task ${JSON.stringify(rpt.task.name)}`,
    };
  }
  if (hasEmptyMatrixParam(pt.matrix)) return { skip: { reason: SkippingReason.EmptyMatrix } };
  return { run: true };
}

/** finallySkip is IsFinallySkipped: results missing, when, pipeline timeout, finally timeout, empty matrix. */
export function finallySkip(rpt: ResolvedPipelineTask, stops: Stops, vars: Replacements, statusVars: Replacements): SkipVerdict {
  const pt: PipelineTask = applyToPipelineTask(rpt.task, mergeReplacements(vars, statusVars));
  if (missingResult(pt)) return { skip: { reason: SkippingReason.MissingResults } };
  const when = evaluateWhen(pt.when);
  if ('celError' in when) return { celError: when.celError };
  if ('allowed' in when && !when.allowed) return { skip: { reason: SkippingReason.When, whenExpressions: pt.when } };
  if (stops.ended === 'pipeline-timeout') return { skip: { reason: SkippingReason.PipelineTimeout } };
  if (stops.finallyTimedOut) return { skip: { reason: SkippingReason.FinallyTimeout } };
  if (hasEmptyMatrixParam(pt.matrix)) return { skip: { reason: SkippingReason.EmptyMatrix } };
  return { run: true };
}
