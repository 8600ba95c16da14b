// act.ts: what a reconcile writes to children (pipelinerun.go createTaskRuns/createChildPipelineRuns,
// cancel.go cancelPipelineTaskRuns, timeout.go timeoutPipelineTasks): create the next child runs
// (AlreadyExists means another creator was first: fine), and cancel running children by patching
// their spec.status, as Tekton does. Refusals come back as values.
import { isDone } from '../taskrun/index.ts';
import type { PipelineRun, TaskRun } from '../../api/index.ts';
import type { KObject, ObjectStore } from '../../store/index.ts';
import { CANCEL_MSG, PipelineRunSpecStatus, TIMEOUT_MSG } from './control.ts';
import { runsOf, type ResolvedPipelineTask } from './state.ts';
import type { Stops } from './stops.ts';

/** TASKRUN_CANCELLED is TaskRunSpecStatusCancelled. */
export const TASKRUN_CANCELLED = 'TaskRunCancelled';

/** SpecPatch is a child run and the spec.status (and statusMessage) it must get. */
export interface SpecPatch {
  run: TaskRun | PipelineRun;
  status: string;
  statusMessage?: string;
}

/**
 * cancellations: a cancel or pipeline timeout reaches every running child; the tasks timeout and
 * a graceful cancel only DAG children; the finally timeout only finally children. A child
 * PipelineRun is cancelled for the hard ends and told CancelledRunFinally/StoppedRunFinally for
 * the graceful ones, so it runs its own finally tasks (child-pipeline.ts followParent).
 */
export function cancellations(all: readonly ResolvedPipelineTask[], stops: Stops): SpecPatch[] {
  const out: SpecPatch[] = [];
  for (const rpt of all) {
    const timedOut = rpt.isFinally ? stops.finallyTimedOut : stops.tasksTimedOut;
    for (const run of runsOf(rpt)) {
      if (isDone(run.status) || !run.metadata.uid) continue;
      if (run.kind === 'PipelineRun') {
        const hard = stops.ended !== undefined || timedOut;
        const status = hard
          ? PipelineRunSpecStatus.Cancelled
          : rpt.isFinally || !stops.graceful
            ? undefined
            : stops.graceful === 'cancel'
              ? PipelineRunSpecStatus.CancelledRunFinally
              : PipelineRunSpecStatus.StoppedRunFinally;
        if (status && run.spec.status !== status && run.spec.status !== PipelineRunSpecStatus.Cancelled) out.push({ run, status });
        continue;
      }
      if (run.spec.status === TASKRUN_CANCELLED) continue;
      const message =
        stops.ended === 'cancel'
          ? CANCEL_MSG
          : stops.ended === 'pipeline-timeout' || timedOut
            ? TIMEOUT_MSG
            : !rpt.isFinally && stops.graceful === 'cancel'
              ? CANCEL_MSG
              : undefined;
      if (message) out.push({ run, status: TASKRUN_CANCELLED, statusMessage: message });
    }
  }
  return out;
}

/** ActResult: every write done, or the first refusal (the key is retried). */
export type ActResult = { ok: true } | { ok: false; conflict: boolean; message: string };

/** applyPatches writes spec.status (CAS on the child's resourceVersion). */
export async function applyPatches(store: ObjectStore, patches: readonly SpecPatch[]): Promise<ActResult> {
  for (const p of patches) {
    const spec = { ...p.run.spec, status: p.status, ...(p.statusMessage ? { statusMessage: p.statusMessage } : {}) };
    const r = await store.update({ ...(p.run as unknown as KObject), spec });
    if (!r.ok && r.reason !== 'NotFound') return { ok: false, conflict: r.reason === 'Conflict', message: `${p.run.kind} ${p.run.metadata.name}: ${r.message}` };
  }
  return { ok: true };
}

/** createChildren creates child runs; AlreadyExists is someone else's (or our earlier) create. */
export async function createChildren(store: ObjectStore, runs: readonly (TaskRun | PipelineRun)[]): Promise<ActResult> {
  for (const run of runs) {
    const r = await store.create(run as unknown as KObject);
    if (!r.ok && r.reason !== 'AlreadyExists') return { ok: false, conflict: r.reason === 'Conflict', message: `${run.kind} ${run.metadata.name}: ${r.message}` };
  }
  return { ok: true };
}
