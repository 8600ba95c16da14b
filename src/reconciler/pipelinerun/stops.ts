// stops.ts: why a PipelineRun is stopping, derived afresh on every reconcile from what is stored
// (pipelinerun.go: IsCancelled, IsGracefullyCancelled/Stopped, HasTimedOut, HaveTasksTimedOut,
// HasFinallyTimedOut): spec.status, status.startTime/finallyStartTime against the clock, and the
// marks earlier reconciles left (children cancelled with TIMEOUT_MSG, timeout skips). It replaces
// control.ts's RunControl, whose timers and flags lived in memory.
import type { PipelineRun, SkippedTask, TaskRun } from '../../api/index.ts';
import { PipelineRunSpecStatus, TIMEOUT_MSG, type Timeouts } from './control.ts';
import { SkippingReason, type ResolvedPipelineTask } from './state.ts';

/** Stops is RunControl's state, recomputed: a hard end, a graceful request, the tasks/finally timeouts. */
export interface Stops {
  ended?: 'cancel' | 'pipeline-timeout';
  graceful?: 'cancel' | 'stop';
  tasksTimedOut: boolean;
  finallyTimedOut: boolean;
}

/** StopsInput is what deriveStops reads (the state is the one before this reconcile decides anything). */
export interface StopsInput {
  pr: PipelineRun;
  now: number;
  timeouts: Timeouts;
  dag: readonly ResolvedPipelineTask[];
  fin: readonly ResolvedPipelineTask[];
}

const time = (t: string | undefined) => (t ? Date.parse(t) : undefined);
const timedOutChild = (rpt: ResolvedPipelineTask) => rpt.taskRuns.some((tr: TaskRun) => tr.spec.statusMessage === TIMEOUT_MSG);
const skippedFor = (skipped: readonly SkippedTask[] | undefined, reason: string) => (skipped ?? []).some((s) => s.reason === reason);

/** deadlines are the due times (ms since epoch) of the pipeline, tasks and finally timeouts. */
export function deadlines(pr: PipelineRun, t: Timeouts): { pipeline?: number; tasks?: number; finally?: number } {
  const start = time(pr.status?.startTime);
  const fin = time(pr.status?.finallyStartTime);
  const due = (from: number | undefined, ms: number | undefined) => (from !== undefined && ms && ms > 0 ? from + ms : undefined);
  return { pipeline: due(start, t.pipeline), tasks: due(start, t.tasks), finally: due(fin, t.finally) };
}

/** deriveStops: the first of cancel and pipeline timeout is the hard end (RunControl: `ended ??=`). */
export function deriveStops(i: StopsInput): Stops {
  const { pr, now } = i;
  const due = deadlines(pr, i.timeouts);
  const skipped = pr.status?.skippedTasks;
  const pipelineDue = due.pipeline !== undefined && now >= due.pipeline;
  const cancelRequested = pr.spec.status === PipelineRunSpecStatus.Cancelled;
  // A cancel that came after the timeout leaves the timeout's marks on the children.
  const timedOutFirst = pipelineDue && (!cancelRequested || [...i.dag, ...i.fin].some(timedOutChild) || skippedFor(skipped, SkippingReason.PipelineTimeout));
  const ended = timedOutFirst ? 'pipeline-timeout' : cancelRequested ? 'cancel' : undefined;
  const graceful = pr.spec.status === PipelineRunSpecStatus.CancelledRunFinally ? 'cancel' : pr.spec.status === PipelineRunSpecStatus.StoppedRunFinally ? 'stop' : undefined;
  const byTimeout = ended !== 'pipeline-timeout';
  // The tasks timer of RunControl did nothing when the DAG was already done: a DAG that finished
  // before the deadline (finally started before it) has not timed out.
  const finallyStart = time(pr.status?.finallyStartTime);
  const dagDoneBefore = (d: number) => i.dag.every((t) => t.done) && (finallyStart === undefined || finallyStart < d);
  const tasksTimedOut =
    (due.tasks !== undefined && now >= due.tasks && !dagDoneBefore(due.tasks)) || (byTimeout && i.dag.some(timedOutChild)) || skippedFor(skipped, SkippingReason.TasksTimeout);
  const finallyTimedOut =
    (due.finally !== undefined && now >= due.finally && !i.fin.every((t) => t.done)) ||
    (byTimeout && i.fin.some(timedOutChild)) ||
    skippedFor(skipped, SkippingReason.FinallyTimeout);
  return { ended, graceful, tasksTimedOut, finallyTimedOut };
}

/** nextTimeout is how long until the next timeout that can still change something falls due. */
export function nextTimeout(pr: PipelineRun, t: Timeouts, stops: Stops, now: number): number | undefined {
  const due = deadlines(pr, t);
  const pending = [stops.ended ? undefined : due.pipeline, stops.tasksTimedOut ? undefined : due.tasks, stops.finallyTimedOut ? undefined : due.finally].filter(
    (d): d is number => d !== undefined && d > now,
  );
  return pending.length ? Math.min(...pending) - now : undefined;
}
