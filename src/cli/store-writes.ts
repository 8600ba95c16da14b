// store-writes.ts: how `tektite run` puts a run into the store: it replaces an earlier run of the same name
// once that one has ended (its children and Pods go with it: ownerReferences), and is refused while
// the earlier one is still running in a live process.
import type { KObject, ObjectStore, StoreResult } from '../store/index.ts';
import { ended } from './wait.ts';

/** SESSION_ANNOTATION names the `tektite run` process (its kubelet's node) that started a run. */
export const SESSION_ANNOTATION = 'tektite.dev/session';

/**
 * replaceRun creates a run; an earlier run of the same name is deleted first when it has ended or
 * when the process that ran it is gone (`alive` says no), and refused otherwise.
 */
export async function replaceRun(store: ObjectStore, run: KObject, alive: (session: string) => boolean): Promise<StoreResult> {
  const key = { kind: run.kind, namespace: run.metadata.namespace ?? 'default', name: run.metadata.name ?? '' };
  for (let attempt = 0; attempt < 5; attempt++) {
    const created = await store.create(run);
    if (created.ok || created.reason !== 'AlreadyExists') return created;
    const cur = await store.get(key);
    if (!cur) continue;
    const session = cur.metadata.annotations?.[SESSION_ANNOTATION];
    if (!ended(cur) && (session === undefined || alive(session))) {
      return {
        ok: false,
        reason: 'AlreadyExists',
        message: `${run.kind.toLowerCase()}s.tekton.dev ${JSON.stringify(key.name)} already exists and is still running${session ? ` (in ${session})` : ''}: wait for it, or cancel it with \`tektite cancel ${key.name}\``,
      };
    }
    await store.delete(key, { preconditions: { resourceVersion: cur.metadata.resourceVersion } });
  }
  return { ok: false, reason: 'Conflict', message: `${run.kind} ${JSON.stringify(key.name)} kept changing while it was being replaced` };
}
