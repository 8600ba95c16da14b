// control.ts: how a running PipelineRun is stopped (cancel.go, timeout.go): hard cancel, graceful
// cancel/stop (spec.status), and the pipeline/tasks/finally timeouts. DAG and finally children
// are cancelled through separate controllers, since a tasks timeout or a graceful cancel must
// not touch finally TaskRuns.
import { formatGoDuration, parseGoDuration } from '../../duration/index.ts';

/** Tekton's TaskRunCancelledByPipelineMsg. */
export const CANCEL_MSG = 'TaskRun cancelled as the PipelineRun it belongs to has been cancelled.';
/** Tekton's TaskRunCancelledByPipelineTimeoutMsg; a TaskRun cancelled with it counts as Failed. */
export const TIMEOUT_MSG = 'TaskRun cancelled as the PipelineRun it belongs to has timed out.';

/** PipelineRunSpecStatus is what `spec.status` may ask of a PipelineRun. */
export const PipelineRunSpecStatus = {
  Cancelled: 'Cancelled',
  CancelledRunFinally: 'CancelledRunFinally',
  StoppedRunFinally: 'StoppedRunFinally',
  Pending: 'PipelineRunPending',
} as const;

/** Timeouts are the effective durations in ms (undefined or 0: none) as pipelinerun_types.go computes them. */
export interface Timeouts {
  pipeline?: number;
  tasks?: number;
  finally?: number;
}

/**
 * effectiveTimeouts: TasksTimeout() is `tasks`, else `pipeline - finally` when both are set;
 * FinallyTimeout() is `finally`, else `pipeline - tasks`; a 0 among them means none.
 */
export function effectiveTimeouts(t: { pipeline?: string; tasks?: string; finally?: string }): Timeouts {
  const ms = (s?: string) => {
    if (s === undefined) return undefined;
    const d = parseGoDuration(s);
    return d.ok ? d.ms : undefined;
  };
  const [pipeline, tasks, fin] = [ms(t.pipeline), ms(t.tasks), ms(t.finally)];
  const derive = (other?: number) => (pipeline && other ? pipeline - other : undefined);
  return { pipeline, tasks: tasks ?? derive(fin), finally: fin ?? derive(tasks) };
}

/** formatTimeout is Go's Duration.String() of a timeout, as Tekton's messages print it. */
export function formatTimeout(ms: number | undefined): string {
  return formatGoDuration(ms ?? 0);
}

/** RunControl records why a PipelineRun is stopping and cancels its children accordingly. */
export class RunControl {
  /** ended is a hard end: every child cancelled, nothing new, finally not run (cancel) or skipped (timeout). */
  ended?: 'cancel' | 'pipeline-timeout';
  /** graceful is a requested graceful cancel or stop (spec.status *RunFinally). */
  graceful?: 'cancel' | 'stop';
  tasksTimedOut = false;
  finallyTimedOut = false;
  readonly dag = new AbortController();
  readonly finally = new AbortController();
  private timers: NodeJS.Timeout[] = [];
  private readonly listeners = new Set<() => void>();

  /** subscribe calls fn after every change of why the run is stopping (child PipelineRuns follow it). */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => {
      this.listeners.delete(fn);
    };
  }

  private notify(): void {
    for (const fn of [...this.listeners]) fn();
  }

  /** applySpecStatus acts on a (new) spec.status value; unknown or empty values change nothing. */
  applySpecStatus(status: string | undefined): void {
    if (status === PipelineRunSpecStatus.Cancelled) this.cancel();
    else if (status === PipelineRunSpecStatus.CancelledRunFinally) this.gracefulCancel();
    else if (status === PipelineRunSpecStatus.StoppedRunFinally) this.graceful ??= 'stop';
    this.notify();
  }

  /** cancel is `spec.status: Cancelled` (or an interrupt): every child cancelled, no finally. */
  cancel(): void {
    this.ended ??= 'cancel';
    abort(this.dag, CANCEL_MSG);
    abort(this.finally, CANCEL_MSG);
    this.notify();
  }

  /** gracefulCancel cancels running DAG TaskRuns; unstarted ones are skipped, finally still runs. */
  gracefulCancel(): void {
    this.graceful = 'cancel';
    abort(this.dag, CANCEL_MSG);
    this.notify();
  }

  /** startTimers arms the pipeline and tasks timeouts, measured from now (status.startTime). */
  startTimers(t: Timeouts, dagDone: () => boolean): void {
    this.arm(t.pipeline, () => {
      this.ended ??= 'pipeline-timeout';
      abort(this.dag, TIMEOUT_MSG);
      abort(this.finally, TIMEOUT_MSG);
      this.notify();
    });
    this.arm(t.tasks, () => {
      if (dagDone()) return;
      this.tasksTimedOut = true;
      abort(this.dag, TIMEOUT_MSG);
      this.notify();
    });
  }

  /** startFinallyTimer arms the finally timeout, measured from status.finallyStartTime. */
  startFinallyTimer(t: Timeouts, finallyDone: () => boolean): void {
    this.arm(t.finally, () => {
      if (finallyDone()) return;
      this.finallyTimedOut = true;
      abort(this.finally, TIMEOUT_MSG);
      this.notify();
    });
  }

  /** stopTimers disarms every timer (the run is over). */
  stopTimers(): void {
    this.timers.forEach(clearTimeout);
    this.timers = [];
  }

  private arm(ms: number | undefined, fn: () => void): void {
    if (!ms || ms <= 0) return;
    this.timers.push(setTimeout(fn, Math.min(ms, 2 ** 31 - 1)));
  }
}

function abort(c: AbortController, reason: string): void {
  if (!c.signal.aborted) c.abort(reason);
}
