// wait.ts: waiting for runs to end — `kubectl wait --for=condition=Succeeded` in small. The
// waiter is fed the changes the controllers' informers already hear (local-engine.ts onRunChange),
// so waiting costs no second watch of the store. A run has ended when its Succeeded condition is
// True or False, or when it is held Pending (it will not move until someone releases it).
import type { KObject, ObjectKey } from '../store/index.ts';

/** ended tells whether a run will not change by itself any more. */
export function ended(obj: KObject | undefined): boolean {
  const c = (obj?.status as { conditions?: { type: string; status: string; reason?: string }[] } | undefined)?.conditions?.find((x) => x.type === 'Succeeded');
  if (!c) return false;
  return c.status !== 'Unknown' || c.reason === 'TaskRunPending' || c.reason === 'PipelineRunPending';
}

const id = (k: ObjectKey) => `${k.kind}/${k.namespace}/${k.name}`;

/**
 * RunWaiter resolves `done` with each run's last state once all have ended (or been deleted:
 * undefined). Only the run created with the uid given to `expect` counts: an earlier run of the
 * same name (replaced, so deleted) must not end the wait.
 */
export class RunWaiter {
  private readonly latest = new Map<string, KObject | undefined>();
  private readonly uids = new Map<string, string>();
  /** early holds the last change of each run seen before its uid was known (an informer can be quicker than create's reply). */
  private readonly early = new Map<string, { type: 'ADDED' | 'MODIFIED' | 'DELETED'; obj: KObject }>();
  private readonly pending: Set<string>;
  private finish: () => void = () => {};
  private readonly ready = new Promise<void>((r) => (this.finish = r));

  constructor(private readonly keys: ObjectKey[]) {
    this.pending = new Set(keys.map(id));
    if (!this.pending.size) this.finish();
  }

  /** expect names the uid of the run this waiter waits for (from its create). */
  expect(key: ObjectKey, uid: string): void {
    const k = id(key);
    this.uids.set(k, uid);
    const seen = this.early.get(`${k}/${uid}`);
    for (const e of [...this.early.keys()]) if (e.startsWith(`${k}/`)) this.early.delete(e);
    if (seen) this.see(seen.type, seen.obj);
  }

  /** see takes one change of a run (from an informer: ADDED, MODIFIED or DELETED). */
  see(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KObject): void {
    const k = id({ kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' });
    if (!this.pending.has(k)) return;
    const uid = this.uids.get(k);
    if (uid === undefined) {
      this.early.set(`${k}/${obj.metadata.uid}`, { type, obj });
      return;
    }
    if (obj.metadata.uid !== uid) return;
    const deleted = type === 'DELETED';
    this.latest.set(k, deleted ? undefined : obj);
    if (deleted || ended(obj)) this.pending.delete(k);
    if (!this.pending.size) this.finish();
  }

  /** done resolves once every run has ended, or early, with what was seen so far, when `stop` aborts. */
  async done(stop?: AbortSignal): Promise<(KObject | undefined)[]> {
    if (stop && !stop.aborted) {
      const onStop = () => this.finish();
      stop.addEventListener('abort', onStop, { once: true });
      await this.ready;
      stop.removeEventListener('abort', onStop);
    } else if (!stop) {
      await this.ready;
    }
    return this.keys.map((k) => this.latest.get(id(k)));
  }
}
