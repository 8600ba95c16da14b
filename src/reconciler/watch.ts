// watch.ts: noticing `spec.status` written to a stored run by another process (`tektite cancel`),
// the way Tekton's controller notices a patched spec. One shared ticker polls every watched
// object; a poll is one small file read, and only the object this process created (same uid)
// counts, so a stale file of an earlier run with the same name is never mistaken for a request.
import type { TaskRun } from '../api/index.ts';
import type { Store, StoredObject } from '../store/index.ts';
import { TaskRunReason } from '../api/index.ts';
import { runTaskRun, type TaskRunEngine } from './taskrun/index.ts';

/** SpecStatus is the part of a run's spec a cancel request writes. */
export interface SpecStatus {
  status?: string;
  statusMessage?: string;
}

/** POLL_MS bounds how late a cancel request is noticed (the brief: within ~200 ms). */
export const POLL_MS = 100;

interface Watch {
  kind: string;
  namespace: string;
  name: string;
  uid: string;
  last: string | undefined;
  store: Store;
  onChange(spec: SpecStatus): void;
}

const watches = new Set<Watch>();
let ticker: NodeJS.Timeout | undefined;

/** SpecStatusWatch checks on demand (before a save) and on every tick, until stopped. */
export interface SpecStatusWatch {
  check(): void;
  stop(): void;
}

/**
 * watchSpecStatus calls onChange when the stored object's spec.status differs from the last value
 * seen (`initial` at first): the request of another process.
 */
export function watchSpecStatus(
  store: Store,
  obj: { kind: string; metadata: { namespace?: string; name?: string; uid?: string } },
  initial: string | undefined,
  onChange: (spec: SpecStatus) => void,
): SpecStatusWatch {
  const w: Watch = { kind: obj.kind, namespace: obj.metadata.namespace ?? 'default', name: obj.metadata.name!, uid: obj.metadata.uid!, last: initial, store, onChange };
  watches.add(w);
  ticker ??= setInterval(() => watches.forEach(poll), POLL_MS);
  return {
    check: () => poll(w),
    stop: () => {
      watches.delete(w);
      if (!watches.size && ticker) {
        clearInterval(ticker);
        ticker = undefined;
      }
    },
  };
}

function poll(w: Watch): void {
  const stored = w.store.get<StoredObject & { spec?: SpecStatus }>(w.kind, w.namespace, w.name);
  if (!stored || (stored.metadata as { uid?: string }).uid !== w.uid) return;
  const status = stored.spec?.status;
  if (status === w.last) return;
  w.last = status;
  w.onChange({ status, statusMessage: stored.spec?.statusMessage });
}

/**
 * runTaskRunWatched is runTaskRun that also honours `spec.status: TaskRunCancelled` written to the
 * stored TaskRun while it runs; a TaskRun cancelled either way keeps `spec.status` and
 * `spec.statusMessage` in the store, as Tekton's patch leaves them (TEKTON-FACTS §8.6).
 */
export async function runTaskRunWatched(input: TaskRun, engine: TaskRunEngine, signal: AbortSignal): Promise<TaskRun> {
  const tr = { ...input, metadata: { ...input.metadata, uid: input.metadata.uid ?? engine.newUID(), namespace: input.metadata.namespace ?? 'default' } };
  const own = new AbortController();
  const follow = () => {
    if (!own.signal.aborted) own.abort(signal.reason);
  };
  signal.addEventListener('abort', follow, { once: true });
  if (signal.aborted) follow();
  const watch = watchSpecStatus(engine.store, tr, tr.spec.status, (spec) => {
    if (spec.status === 'TaskRunCancelled' && !own.signal.aborted) own.abort(spec.statusMessage);
  });
  let final: TaskRun;
  try {
    final = await runTaskRun(tr, engine, own.signal);
  } finally {
    watch.stop();
    signal.removeEventListener('abort', follow);
  }
  const c = final.status?.conditions?.find((x) => x.type === 'Succeeded');
  if (own.signal.aborted && c?.reason === TaskRunReason.Cancelled && final.spec.status !== 'TaskRunCancelled') {
    final.spec.status = 'TaskRunCancelled';
    if (typeof own.signal.reason === 'string') final.spec.statusMessage ??= own.signal.reason;
    engine.store.put(final as never);
  }
  return final;
}
