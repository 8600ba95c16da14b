// informer.ts: client-go's reflector in small: list a kind, hand every object to the handler, then
// watch from the list's resourceVersion; a watch that falls behind (Expired) or fails lists again,
// so no change is ever missed (handlers must be idempotent: they only enqueue keys).
import type { Clock } from './clock.ts';
import type { KObject, ObjectStore, Watch } from '../store/index.ts';
import type { ObjectCache } from './cache.ts';

/** InformerEvent is what a handler hears. */
export type InformerEvent = 'ADDED' | 'MODIFIED' | 'DELETED';

/** Informer is a running list+watch; synced resolves after the first list was handed over. */
export interface Informer {
  synced: Promise<void>;
  stop(): void;
}

/** inform keeps handler told of every object of one kind (optionally one namespace / selector), and cache up to date. */
export function inform(
  store: ObjectStore,
  clock: Clock,
  options: { kind: string; namespace?: string; labelSelector?: string },
  handler: (type: InformerEvent, obj: KObject) => void,
  cache?: ObjectCache,
): Informer {
  let stopped = false;
  let watch: Watch | undefined;
  let cancelRetry: (() => void) | undefined;
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((r) => (markSynced = r));
  const restart = () => {
    watch?.stop();
    watch = undefined;
    if (!stopped) cancelRetry = clock.setTimer(100, () => void listAndWatch());
  };
  const listAndWatch = async () => {
    if (stopped) return;
    const list = await store.list(options.kind, options);
    if (stopped) return;
    // The cache is brought up to date before handlers hear of a change, so that the reconcile a
    // handler queues reads at least that version (client-go's sharedIndexInformer HandleDeltas).
    cache?.replace(list.items);
    for (const o of list.items) handler('ADDED', o);
    markSynced();
    watch = store.watch({ ...options, resourceVersion: list.resourceVersion }, (e) => {
      if (e.type === 'ERROR') restart();
      else {
        if (e.type === 'DELETED') cache?.remove(e.object);
        else cache?.upsert(e.object);
        handler(e.type, e.object);
      }
    });
  };
  void listAndWatch().catch(restart);
  return {
    synced,
    stop() {
      stopped = true;
      cancelRetry?.();
      watch?.stop();
    },
  };
}

/** objectKey is the work-queue key of an object: `namespace/name`. */
export function objectKey(obj: KObject): string {
  return `${obj.metadata.namespace ?? ''}/${obj.metadata.name ?? ''}`;
}

/** splitKey reverses objectKey. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** controllerOf is the key of the owner of kind `kind` that controls obj (a Pod's TaskRun, a TaskRun's PipelineRun). */
export function controllerOf(obj: KObject, kind: string): string | undefined {
  const ref = obj.metadata.ownerReferences?.find((r) => r.kind === kind && r.controller);
  return ref ? `${obj.metadata.namespace ?? ''}/${ref.name}` : undefined;
}
