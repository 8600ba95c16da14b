// cancel.ts: `tektite cancel NAME`: writes spec.status to a stored PipelineRun or TaskRun, as
// `kubectl patch` / `tkn pipelinerun cancel` do; the `tektite run` process running it notices
// (src/reconciler/watch.ts) and cancels, gracefully or not (TEKTON-FACTS §8.6).
import { openFileStore, type StoredObject } from '../store/index.ts';
import type { CommandIO } from './run.ts';

/** CancelOptions are the parsed flags of `tektite cancel`. */
export interface CancelOptions {
  name: string;
  namespace: string;
  stateDir: string;
  /** mode: `cancel` (Cancelled), `finally` (CancelledRunFinally), `stop` (StoppedRunFinally). */
  mode: 'cancel' | 'finally' | 'stop';
}

type Run = StoredObject & { spec?: { status?: string }; status?: { conditions?: { type: string; status: string; reason?: string }[] } };

const pipelineRunStatus = { cancel: 'Cancelled', finally: 'CancelledRunFinally', stop: 'StoppedRunFinally' } as const;

/** cancelCommand returns 0 when the request was written, 1 when there is nothing to cancel, 2 on bad usage. */
export function cancelCommand(opts: CancelOptions, io: CommandIO): number {
  const store = openFileStore(opts.stateDir);
  // A PipelineRun wins over a TaskRun of the same name (its children carry derived names).
  const pr = store.get<Run>('PipelineRun', opts.namespace, opts.name);
  const run = pr ?? store.get<Run>('TaskRun', opts.namespace, opts.name);
  if (!run) {
    io.stderr.write(`Error: no PipelineRun or TaskRun named ${JSON.stringify(opts.name)} in namespace ${JSON.stringify(opts.namespace)} (state dir ${opts.stateDir})\n`);
    return 1;
  }
  const kind = run.kind;
  if (kind === 'TaskRun' && opts.mode !== 'cancel') {
    io.stderr.write(`Error: --${opts.mode} applies to PipelineRuns only; ${JSON.stringify(opts.name)} is a TaskRun\n`);
    return 2;
  }
  const succeeded = run.status?.conditions?.find((c) => c.type === 'Succeeded');
  if (succeeded && succeeded.status !== 'Unknown') {
    io.stderr.write(`Error: failed to cancel ${kind} ${JSON.stringify(opts.name)}: ${kind} has already finished execution (${succeeded.reason ?? succeeded.status})\n`);
    return 1;
  }
  const status = kind === 'TaskRun' ? 'TaskRunCancelled' : pipelineRunStatus[opts.mode];
  // Read-modify-write of the freshest copy: the running reconciler may have just saved it.
  const fresh = store.get<Run>(kind, opts.namespace, opts.name) ?? run;
  fresh.spec = { ...fresh.spec, status };
  const w = store.put(fresh);
  if (!w.ok) {
    io.stderr.write(`Error: ${w.message}\n`);
    return 1;
  }
  io.stdout.write(`${kind.toLowerCase()}.tekton.dev/${opts.name} patched (spec.status: ${status})\n`);
  return 0;
}
