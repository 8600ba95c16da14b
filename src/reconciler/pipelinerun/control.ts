// control.ts: how a PipelineRun is stopped (cancel.go, timeout.go): the spec.status values that ask for
// a hard cancel or a graceful cancel/stop, the messages children are cancelled with, and the
// pipeline/tasks/finally timeouts as pipelinerun_types.go derives them.
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
