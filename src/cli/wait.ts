// wait.ts: waiting, through the store's watch, for runs to end — the way `tkn ... logs -f` or
// `kubectl wait --for=condition=Succeeded` do. A run has ended when its Succeeded condition is
// True or False, or when it is held Pending (it will not move until someone releases it).
import type { KObject, ObjectKey, ObjectStore } from '../store/index.ts';

/** ended tells whether a run will not change by itself any more. */
export function ended(obj: KObject | undefined): boolean {
  const c = (obj?.status as { conditions?: { type: string; status: string; reason?: string }[] } | undefined)?.conditions?.find((x) => x.type === 'Succeeded');
  if (!c) return false;
  return c.status !== 'Unknown' || c.reason === 'TaskRunPending' || c.reason === 'PipelineRunPending';
}

/**
 * waitForRuns resolves with each run's last state once all have ended (or been deleted: undefined),
 * or early, with what was seen so far, when `stop` aborts.
 */
export async function waitForRuns(store: ObjectStore, keys: ObjectKey[], stop?: AbortSignal): Promise<(KObject | undefined)[]> {
  const id = (k: ObjectKey) => `${k.kind}/${k.namespace}/${k.name}`;
  const latest = new Map<string, KObject | undefined>();
  const pending = new Set(keys.map(id));
  let wake: () => void = () => {};
  const changed = new Promise<void>((r) => (wake = r));
  stop?.addEventListener('abort', () => wake(), { once: true });
  const see = (obj: KObject | undefined, k: string, deleted = false) => {
    if (!pending.has(k)) return;
    latest.set(k, deleted ? undefined : obj);
    if (deleted || ended(obj)) pending.delete(k);
    if (!pending.size) wake();
  };
  const kinds = [...new Set(keys.map((k) => k.kind))];
  // Watch first, then read: a change between the two is seen either way.
  const watches = kinds.map((kind) =>
    store.watch({ kind }, (e) => {
      if (e.type === 'ERROR') return; // the re-read below takes over
      const o = e.object;
      see(o, id({ kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '' }), e.type === 'DELETED');
    }),
  );
  const check = async () => {
    for (const k of keys) if (pending.has(id(k))) see(await store.get(k), id(k));
  };
  // A watch that ended (Expired) or an event missed for any reason is caught by a slow re-read.
  const recheck = setInterval(() => void check().catch(() => {}), 2000);
  try {
    await check();
    if (pending.size && !stop?.aborted) await changed;
  } finally {
    clearInterval(recheck);
    for (const w of watches) w.stop();
  }
  return keys.map((k) => latest.get(id(k)));
}
