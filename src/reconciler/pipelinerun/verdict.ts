// verdict.ts: the PipelineRun's condition from one reconcile's pass (pipelinerunstate.go
// GetPipelineConditionStatus): the running reason and message while it runs, and the final
// reason in today's priority (reconcile.ts) once it is over.
import type { PipelineRun, PipelineSpec } from '../../api/index.ts';
import { PipelineRunReason } from '../../api/index.ts';
import { celFailedMessage } from './cel.ts';
import { formatTimeout, type Timeouts } from './control.ts';
import type { Pass } from './pass.ts';
import { pipelineResults } from './results.ts';
import { SkippingReason, countTasks, finalMessage, finalReason, isFailed, runningMessage, type ResolvedPipelineTask } from './state.ts';
import type { Replacements } from './variables.ts';

/** Verdict is the Succeeded condition to write, and the results of a finished run. */
export interface Verdict {
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  results?: NonNullable<PipelineRun['status']>['results'];
}

/** runningVerdict is GetPipelineConditionStatus for an unfinished run (reconcile.ts runningReason). */
export function runningVerdict(all: readonly ResolvedPipelineTask[], pass: Pass): Verdict {
  const fin = all.filter((t) => t.isFinally);
  const c = countTasks(all);
  const message = runningMessage(c);
  const { stops } = pass;
  const reason = (() => {
    if (stops.graceful === 'cancel') return PipelineRunReason.CancelledRunningFinally;
    if (stops.graceful === 'stop') return PipelineRunReason.StoppedRunningFinally;
    if (stops.tasksTimedOut && fin.length) return PipelineRunReason.TimeoutRunningFinally;
    // With finally tasks, a DAG failure alone keeps Running until they are done.
    if (c.cancelled > 0 || (c.failed - c.ignored > 0 && fin.every((t) => t.done))) return PipelineRunReason.Stopping;
    return PipelineRunReason.Running;
  })();
  return { status: 'Unknown', reason, message };
}

/**
 * regradeGracefulSkips: Tekton recomputes skip reasons on its last reconcile, and "stopping"
 * (a DAG task failed or was cancelled) is checked before graceful cancel/stop.
 */
export function regradeGracefulSkips(all: readonly ResolvedPipelineTask[]): void {
  const dag = all.filter((t) => !t.isFinally);
  if (!dag.some(isFailed)) return;
  for (const t of dag) {
    if (t.skip?.reason === SkippingReason.GracefullyCancelled || t.skip?.reason === SkippingReason.GracefullyStopped) t.skip = { reason: SkippingReason.Stopping };
  }
}

/** cancelledVerdict is the condition of a cancelled PipelineRun. */
export function cancelledVerdict(name: string): Verdict {
  return { status: 'False', reason: PipelineRunReason.Cancelled, message: `PipelineRun ${JSON.stringify(name)} was cancelled` };
}

/** finalVerdict is the end of runPipelineRun (reconcile.ts), in its order. */
export function finalVerdict(name: string, spec: PipelineSpec, all: readonly ResolvedPipelineTask[], pass: Pass, timeouts: Timeouts, vars: Replacements): Verdict {
  const counts = countTasks(all);
  const { stops } = pass;
  if (pass.celError !== undefined) return { status: 'False', reason: PipelineRunReason.CELEvaluationFailed, message: celFailedMessage(name, pass.celError) };
  if (pass.createRunFailed !== undefined) return { status: 'False', reason: PipelineRunReason.CreateRunFailed, message: pass.createRunFailed };
  if (stops.ended === 'cancel') return cancelledVerdict(name);
  if (stops.ended === 'pipeline-timeout')
    return {
      status: 'False',
      reason: PipelineRunReason.TimedOut,
      message: `PipelineRun ${JSON.stringify(name)} failed to finish within ${JSON.stringify(formatTimeout(timeouts.pipeline))}`,
    };
  if (stops.tasksTimedOut)
    return {
      status: 'False',
      reason: PipelineRunReason.TimedOut,
      message: `PipelineRun ${JSON.stringify(name)} failed due to tasks failed to finish within ${JSON.stringify(formatTimeout(timeouts.tasks))}`,
    };
  if (pass.validationFailures.length) {
    const message = `${finalMessage(counts)}, Failed Validation: ${pass.validationFailures.length} (${pass.validationFailures.join(', ')})`;
    return { status: 'False', reason: PipelineRunReason.ValidationFailed, message };
  }
  const byName = new Map(all.map((t) => [t.task.name, t]));
  const results = pipelineResults(spec.results ?? [], byName, vars);
  if ('error' in results) return { status: 'False', reason: PipelineRunReason.CouldntGetPipelineResult, message: results.error };
  const v = finalReason(counts, stops.graceful !== undefined, name);
  return { ...v, ...(results.results.length ? { results: results.results } : {}) };
}
