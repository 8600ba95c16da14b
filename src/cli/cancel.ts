// cancel.ts: `tektite cancel NAME`: writes spec.status to a stored PipelineRun or TaskRun, as
// `kubectl patch` / `tkn pipelinerun cancel` do (pkg/apis/pipeline/v1/pipelinerun_types.go
// PipelineRunSpecStatus*, taskrun_types.go TaskRunSpecStatusCancelled); whatever runs it notices
// and cancels, gracefully or not. The write is a compare-and-swap on the object store, again on
// Conflict (the reconciler writes the same object).
import { openFileStore, type KObject, type ObjectStore, type StoredObject } from '../store/index.ts';
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

type Run = StoredObject & { spec?: { status?: string }; status?: { conditions?: { type: string; status: string; reason?: string }[] } };

/** Outcome is what one store made of the request. */
type Outcome = 'absent' | { kind: string; status: string } | { error: string; code: number; finished?: boolean };

const pipelineRunStatus = { cancel: 'Cancelled', finally: 'CancelledRunFinally', stop: 'StoppedRunFinally' } as const;

/** cancelCommand returns 0 when the request was written, 1 when there is nothing to cancel, 2 on bad usage, 74 when the store cannot be used. */
export async function cancelCommand(opts: CancelOptions, io: CommandIO): Promise<number> {
  // TEMPORARY: `tektite run` still keeps its runs in the JSON-file store (src/store/store.ts) and
  // watches them there; both are asked until it moves onto the object store.
  return withStore(opts.stateDir, io, async (store) => report([await cancelInStore(store, opts), cancelInFileStore(opts)], opts, io));
}

function report(outcomes: Outcome[], opts: CancelOptions, io: CommandIO): number {
  if (outcomes.every((o) => o === 'absent')) {
    io.stderr.write(`Error: no PipelineRun or TaskRun named ${JSON.stringify(opts.name)} in namespace ${JSON.stringify(opts.namespace)} (state dir ${opts.stateDir})\n`);
    return 1;
  }
  const patched = outcomes.find((o): o is { kind: string; status: string } => typeof o === 'object' && 'status' in o);
  const errors = outcomes.filter((o): o is { error: string; code: number; finished?: boolean } => typeof o === 'object' && 'error' in o);
  if (!patched) {
    io.stderr.write(`Error: ${errors[0]!.error}\n`);
    return errors[0]!.code;
  }
  io.stdout.write(`${patched.kind.toLowerCase()}.tekton.dev/${opts.name} patched (spec.status: ${patched.status})\n`);
  // A copy that had finished in the other store is no failure; one that could not be written is.
  const failed = errors.filter((e) => !e.finished);
  for (const e of failed) io.stderr.write(`Error: ${e.error}\n`);
  return failed.length ? Math.max(...failed.map((e) => e.code)) : 0;
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

/** cancelInFileStore is the JSON-file store's read-modify-write. TEMPORARY: see cancelCommand. */
function cancelInFileStore(opts: CancelOptions): Outcome {
  const store = openFileStore(opts.stateDir);
  const run = store.get<Run>('PipelineRun', opts.namespace, opts.name) ?? store.get<Run>('TaskRun', opts.namespace, opts.name);
  if (!run) return 'absent';
  const r = request(run, opts);
  if ('error' in r) return r;
  // Read-modify-write of the freshest copy: the running reconciler may have just saved it.
  const fresh = store.get<Run>(run.kind, opts.namespace, opts.name) ?? run;
  fresh.spec = { ...fresh.spec, status: r.status };
  const w = store.put(fresh);
  return w.ok ? { kind: run.kind, status: r.status } : { error: w.message, code: 1 };
}
