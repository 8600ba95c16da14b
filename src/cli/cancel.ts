// cancel.ts: `tektite cancel NAME`: writes spec.status to a stored PipelineRun or TaskRun, as
// `kubectl patch` / `tkn pipelinerun cancel` do (pkg/apis/pipeline/v1/pipelinerun_types.go
// PipelineRunSpecStatus*, taskrun_types.go TaskRunSpecStatusCancelled); whatever runs it notices
// and cancels, gracefully or not. The write is a compare-and-swap on the object store, again on
// Conflict (the reconciler writes the same object).
import type { KObject, ObjectStore } from '../store/index.ts';
import type { CommandIO } from './run.ts';
import { EXIT_STATE_STORE, withStore } from './state.ts';

/** CancelOptions are the parsed flags of `tektite cancel`. */
export interface CancelOptions {
  name: string;
  namespace: string;
  stateDir: string;
  /** mode: `cancel` (Cancelled), `finally` (CancelledRunFinally), `stop` (StoppedRunFinally). */
  mode: 'cancel' | 'finally' | 'stop';
}

type Run = KObject & { spec?: { status?: string }; status?: { conditions?: { type: string; status: string; reason?: string }[] } };

/** Outcome is what one store made of the request. */
type Outcome = 'absent' | { kind: string; status: string } | { error: string; code: number; finished?: boolean };

const pipelineRunStatus = { cancel: 'Cancelled', finally: 'CancelledRunFinally', stop: 'StoppedRunFinally' } as const;

/** cancelCommand returns 0 when the request was written, 1 when there is nothing to cancel, 2 on bad usage, 74 when the store cannot be used. */
export async function cancelCommand(opts: CancelOptions, io: CommandIO): Promise<number> {
  return withStore(opts.stateDir, io, async (store) => report(await cancelInStore(store, opts), opts, io));
}

function report(outcome: Outcome, opts: CancelOptions, io: CommandIO): number {
  if (outcome === 'absent') {
    io.stderr.write(`Error: no PipelineRun or TaskRun named ${JSON.stringify(opts.name)} in namespace ${JSON.stringify(opts.namespace)} (state dir ${opts.stateDir})\n`);
    return 1;
  }
  if ('error' in outcome) {
    io.stderr.write(`Error: ${outcome.error}\n`);
    return outcome.code;
  }
  io.stdout.write(`${outcome.kind.toLowerCase()}.tekton.dev/${opts.name} patched (spec.status: ${outcome.status})\n`);
  return 0;
}

/** request is the spec.status to write, or why the run cannot be cancelled so. */
function request(run: Run, opts: CancelOptions): { status: string } | { error: string; code: number; finished?: boolean } {
  const kind = run.kind;
  if (kind === 'TaskRun' && opts.mode !== 'cancel') return { error: `--${opts.mode} applies to PipelineRuns only; ${JSON.stringify(opts.name)} is a TaskRun`, code: 2 };
  const succeeded = run.status?.conditions?.find((c) => c.type === 'Succeeded');
  if (succeeded && succeeded.status !== 'Unknown') {
    return {
      error: `failed to cancel ${kind} ${JSON.stringify(opts.name)}: ${kind} has already finished execution (${succeeded.reason ?? succeeded.status})`,
      code: 1,
      finished: true,
    };
  }
  return { status: kind === 'TaskRun' ? 'TaskRunCancelled' : pipelineRunStatus[opts.mode] };
}

/** cancelInStore updates the run in the object store with a compare-and-swap, reading it again after a Conflict. */
export async function cancelInStore(store: ObjectStore, opts: CancelOptions): Promise<Outcome> {
  for (let attempt = 0; attempt < 10; attempt++) {
    // A PipelineRun wins over a TaskRun of the same name (its children carry derived names).
    const key = { namespace: opts.namespace, name: opts.name };
    const run = (await store.get<KObject & Run>({ kind: 'PipelineRun', ...key })) ?? (await store.get<KObject & Run>({ kind: 'TaskRun', ...key }));
    if (!run) return 'absent';
    const r = request(run, opts);
    if ('error' in r) return r;
    const w = await store.update({ ...run, spec: { ...run.spec, status: r.status } });
    if (w.ok) return { kind: run.kind, status: r.status };
    if (w.reason !== 'Conflict') return { error: w.message, code: w.reason === 'StorageError' ? EXIT_STATE_STORE : 1 };
  }
  return { error: `${opts.name} kept changing while it was cancelled: try again`, code: 1 };
}
