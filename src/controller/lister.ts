// lister.ts: what a reconciler reads objects through, as Tekton's reconcilers read through knative
// listers (pkg/reconciler/taskrun/taskrun.go c.taskRunLister, c.podLister): from an informer's
// cache when the controllers run, from the store itself in unit tests that call reconcile(key)
// directly. Objects a lister returns are shared: never mutate them (copy what you change). Writes
// always go to the store, with a compare-and-swap on resourceVersion: a Conflict means what was
// read was stale, and the key is retried.
import type { KObject, ListOptions, ObjectStore } from '../store/index.ts';
import { deepFreeze } from '../store/index.ts';
import type { ObjectCache } from './cache.ts';

/** Lister reads objects of one kind. */
export interface Lister<T extends KObject = KObject> {
  get(namespace: string, name: string): Promise<T | undefined>;
  list(options?: ListOptions): Promise<T[]>;
}

/** storeLister reads the store on every call; with freeze its objects are frozen as cached ones are (tests). */
export function storeLister<T extends KObject = KObject>(store: ObjectStore, kind: string, options: { freeze?: boolean } = {}): Lister<T> {
  const out = <V>(v: V): V => (options.freeze ? deepFreeze(v) : v);
  return {
    get: async (namespace, name) => out(await store.get<T>({ kind, namespace, name })),
    list: async (o = {}) => out((await store.list<T>(kind, o)).items),
  };
}

/**
 * cacheLister reads an informer's cache. A cache lags the store by the watch's delay: a get that
 * misses asks the store (the object may be new: a Pod just created, whose absence would read as a
 * Pod deleted), and so does a list before the cache's first list arrived. A present but older
 * version is what Tekton's listers give too; the compare-and-swap of the write catches it.
 */
export function cacheLister<T extends KObject = KObject>(cache: ObjectCache, store: ObjectStore, kind: string): Lister<T> {
  const fallback = storeLister<T>(store, kind, { freeze: cache.freeze });
  return {
    get: async (namespace, name) => (cache.get(namespace, name) as T | undefined) ?? fallback.get(namespace, name),
    list: async (o = {}) => (cache.synced ? (cache.list(o) as T[]) : fallback.list(o)),
  };
}
