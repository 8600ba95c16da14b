// state.ts: the state of every PipelineTask of a run (pipelinerunstate.go) and the status
// messages and final reason Tekton derives from it.
import type { PipelineRun, PipelineTask, TaskRun, SkippedTask, WhenExpression } from '../../api/index.ts';
import { PipelineRunReason, TaskRunReason } from '../../api/index.ts';
import { TIMEOUT_MSG } from './control.ts';

/** SkippingReason is Tekton's v1.SkippingReason text. */
export const SkippingReason = {
  Stopping: 'PipelineRun was stopping',
  GracefullyCancelled: 'PipelineRun was gracefully cancelled',
  GracefullyStopped: 'PipelineRun was gracefully stopped',
  When: 'When Expressions evaluated to false',
  ParentSkipped: 'Parent Tasks were skipped',
  MissingResults: 'Results were missing',
  PipelineTimeout: 'PipelineRun timeout has been reached',
  TasksTimeout: 'PipelineRun Tasks timeout has been reached',
  FinallyTimeout: 'PipelineRun Finally timeout has been reached',
  EmptyMatrix: 'Matrix Parameters have an empty array',
} as const;

/** ResolvedPipelineTask is one PipelineTask with what happened to it. */
export interface ResolvedPipelineTask {
  task: PipelineTask;
  isFinally: boolean;
  taskRuns: TaskRun[];
  /** pipelineRuns are the child PipelineRuns of a pipelineRef/pipelineSpec task (TEP-0056). */
  pipelineRuns?: PipelineRun[];
  running: boolean;
  done: boolean;
  skip?: { reason: string; whenExpressions?: WhenExpression[] };
  /** validationFailed: a result it needs was never produced (Tekton's ValidationFailedTask). */
  validationFailed?: boolean;
}

const cond = (run: TaskRun | PipelineRun) => run.status?.conditions?.find((c) => c.type === 'Succeeded');

/** runsOf is what a PipelineTask ran: its child PipelineRuns, else its TaskRuns. */
export function runsOf(rpt: ResolvedPipelineTask): readonly (TaskRun | PipelineRun)[] {
  return rpt.pipelineRuns ?? rpt.taskRuns;
}

/**
 * isIgnored: a failure under onError continue. A child TaskRun says so itself (FailureIgnored);
 * a child PipelineRun stays Failed and only the parent counts it as ignored (pipelinerunstate.go).
 */
function isIgnored(rpt: ResolvedPipelineTask, run: TaskRun | PipelineRun): boolean {
  const c = cond(run);
  if (run.kind === 'PipelineRun') return c?.status === 'False' && rpt.task.onError === 'continue';
  return c?.reason === TaskRunReason.FailureIgnored;
}

/** taskStatus is `$(tasks.<t>.status)`: Succeeded, Failed, or None (not run, skipped, running). */
export function taskStatus(rpt: ResolvedPipelineTask): 'Succeeded' | 'Failed' | 'None' {
  if (!rpt.done || rpt.skip || !runsOf(rpt).length) return 'None';
  return runsOf(rpt).every((tr) => cond(tr)?.status === 'True') ? 'Succeeded' : 'Failed';
}

/** isFailed: a done task with a failed (not ignored) TaskRun or child PipelineRun. */
export function isFailed(rpt: ResolvedPipelineTask): boolean {
  return rpt.done && !rpt.skip && runsOf(rpt).some((tr) => cond(tr)?.status === 'False' && !isIgnored(rpt, tr));
}

/** isIgnoredFailure: a failure of a PipelineTask with onError continue. */
export function isIgnoredFailure(rpt: ResolvedPipelineTask): boolean {
  return rpt.done && runsOf(rpt).some((tr) => isIgnored(rpt, tr));
}

/** isCancelled: a done task with a cancelled TaskRun (or child PipelineRun, cancelled with its parent). */
export function isCancelled(rpt: ResolvedPipelineTask): boolean {
  return rpt.done && runsOf(rpt).some((tr) => cond(tr)?.reason === (tr.kind === 'PipelineRun' ? PipelineRunReason.Cancelled : TaskRunReason.Cancelled));
}

/** isCancelledForTimeout: cancelled by a PipelineRun timeout, which Tekton counts as Failed (isCancelledForTimeOut). */
export function isCancelledForTimeout(rpt: ResolvedPipelineTask): boolean {
  return rpt.done && rpt.taskRuns.some((tr) => cond(tr)?.reason === TaskRunReason.Cancelled && tr.spec.statusMessage === TIMEOUT_MSG);
}

/** Counts are the numbers in Tekton's `Tasks Completed: ...` messages. */
export interface Counts {
  completed: number;
  failed: number;
  ignored: number;
  cancelled: number;
  skipped: number;
  incomplete: number;
  skippedDueToTimeout: number;
}

/** countTasks counts as getPipelineTasksCount does (validation-failed tasks apart). */
export function countTasks(state: readonly ResolvedPipelineTask[]): Counts {
  const c: Counts = { completed: 0, failed: 0, ignored: 0, cancelled: 0, skipped: 0, incomplete: 0, skippedDueToTimeout: 0 };
  for (const t of state) {
    if (t.validationFailed) continue;
    if (t.skip) {
      c.skipped++;
      if ([SkippingReason.PipelineTimeout, SkippingReason.TasksTimeout, SkippingReason.FinallyTimeout].includes(t.skip.reason as never)) c.skippedDueToTimeout++;
    } else if (t.done) {
      c.completed++;
      if (isCancelledForTimeout(t)) c.failed++;
      else if (isCancelled(t)) c.cancelled++;
      else if (isIgnoredFailure(t)) {
        c.failed++;
        c.ignored++;
      } else if (isFailed(t)) c.failed++;
    } else c.incomplete++;
  }
  return c;
}

/** runningMessage: `Tasks Completed: %d (Failed: %d, Cancelled %d), Incomplete: %d, Skipped: %d`. */
export function runningMessage(c: Counts): string {
  return `Tasks Completed: ${c.completed} (Failed: ${failedText(c)}, Cancelled ${c.cancelled}), Incomplete: ${c.incomplete}, Skipped: ${c.skipped}`;
}

/** finalMessage: `Tasks Completed: %d (Failed: %d, Cancelled %d), Skipped: %d`. */
export function finalMessage(c: Counts): string {
  return `Tasks Completed: ${c.completed} (Failed: ${failedText(c)}, Cancelled ${c.cancelled}), Skipped: ${c.skipped}`;
}

function failedText(c: Counts): string {
  return c.ignored ? `${c.failed} (Ignored: ${c.ignored})` : `${c.failed}`;
}

/**
 * finalReason applies Tekton's priority: Failed > graceful cancel/stop (message `PipelineRun %q
 * was cancelled`) > Cancelled > Completed > Succeeded; messages are `Tasks Completed: ...` otherwise.
 */
export function finalReason(c: Counts, graceful: boolean, prName: string): { status: 'True' | 'False'; reason: string; message: string } {
  const message = finalMessage(c);
  if (c.failed - c.ignored > 0 || c.skippedDueToTimeout > 0) return { status: 'False', reason: PipelineRunReason.Failed, message };
  if (graceful) return { status: 'False', reason: PipelineRunReason.Cancelled, message: `PipelineRun ${JSON.stringify(prName)} was cancelled` };
  if (c.cancelled > 0) return { status: 'False', reason: PipelineRunReason.Cancelled, message };
  if (c.skipped > 0) return { status: 'True', reason: PipelineRunReason.Completed, message };
  return { status: 'True', reason: PipelineRunReason.Succeeded, message };
}

/** skippedTasks lists skipped tasks for status (when expressions kept for when-caused skips). */
export function skippedTasks(state: readonly ResolvedPipelineTask[]): SkippedTask[] | undefined {
  const out = state
    .filter((t) => t.skip)
    .map((t) => ({
      name: t.task.name,
      reason: t.skip!.reason,
      ...(t.skip!.whenExpressions?.length ? { whenExpressions: t.skip!.whenExpressions } : {}),
    }));
  return out.length ? out : undefined;
}

/**
 * aggregateStatus is `$(tasks.status)`: Failed if any TaskRun failed, else Completed if any skipped,
 * else Succeeded. GetPipelineTaskStatus uses haveAnyTaskRunsFailed (TaskRun.IsFailure: condition
 * False), so an ignored failure (onError: continue) still makes it Failed.
 */
export function aggregateStatus(dag: readonly ResolvedPipelineTask[]): 'Succeeded' | 'Failed' | 'Completed' | 'None' {
  if (dag.some((t) => !t.done)) return 'None';
  if (dag.some((t) => t.taskRuns.some((tr) => cond(tr)?.status === 'False'))) return 'Failed';
  if (dag.some((t) => t.skip)) return 'Completed';
  return 'Succeeded';
}
