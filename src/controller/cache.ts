// cache.ts: client-go's Indexer in small (k8s.io/client-go/tools/cache/thread_safe_store.go): the
// objects an informer has seen, by `namespace/name` and by owner uid, so that reconcilers read what
// the watch already parsed instead of asking the store to parse a fresh copy on every read.
// Cached objects are shared by every reader: they must never be mutated (with freeze they are
// deep-frozen, so a reconciler that mutates one throws; the tests freeze them).
import { byNamespaceName, deepFreeze, parseLabelSelector, type KObject, type ListOptions } from '../store/index.ts';

const keyOf = (namespace: string | undefined, name: string | undefined) => `${namespace ?? ''}/${name ?? ''}`;

/** rv is the resourceVersion as a number: embedded stores count revisions (an opaque one is NaN, and never compares). */
const rv = (o: KObject) => Number(o.metadata.resourceVersion);

/** ObjectCache holds the latest version of each object of one kind, indexed by key and owner uid. */
export class ObjectCache {
  private readonly byKey = new Map<string, KObject>();
  private readonly byOwner = new Map<string, Set<string>>();
  /** synced is set once a first list was stored: before it, the cache knows nothing. */
  synced = false;

  constructor(readonly freeze = false) {}

  get(namespace: string, name: string): KObject | undefined {
    return this.byKey.get(keyOf(namespace, name));
  }

  /** list filters by namespace, owner uid and label selector; sorted by namespace and name, as the store lists. */
  list(options: ListOptions = {}): KObject[] {
    const selector = parseLabelSelector(options.labelSelector);
    if (!selector.ok) throw new Error(selector.message); // a bug in the caller, as for the store
    const keys = options.ownerUid === undefined ? this.byKey.keys() : (this.byOwner.get(options.ownerUid) ?? []);
    const out: KObject[] = [];
    for (const k of keys) {
      const o = this.byKey.get(k);
      if (!o || (options.namespace !== undefined && (o.metadata.namespace ?? '') !== options.namespace)) continue;
      if (selector.matches(o.metadata.labels)) out.push(o);
    }
    return out.sort(byNamespaceName);
  }

  /**
   * upsert stores obj (a watch's own parsed copy, or what a write returned; now shared) unless the
   * cache holds a newer version already: a controller's own write is cached at once, before its
   * watch event (client-go's MutationCache), so its next reconcile does not read what it replaced.
   */
  upsert(obj: KObject): void {
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    const cur = this.byKey.get(key);
    // The same version again (a write's watch event after the write was cached) keeps the first copy.
    if (cur && rv(obj) <= rv(cur)) return;
    this.unindex(key);
    this.byKey.set(key, this.freeze ? deepFreeze(obj) : obj);
    for (const r of obj.metadata.ownerReferences ?? []) {
      const set = this.byOwner.get(r.uid);
      if (set) set.add(key);
      else this.byOwner.set(r.uid, new Set([key]));
    }
  }

  remove(obj: KObject): void {
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    const cur = this.byKey.get(key);
    if (cur && rv(cur) > rv(obj)) return; // a new object of the same name, cached from its create
    this.unindex(key);
    this.byKey.delete(key);
  }

  /** replace swaps in a fresh list (the informer listed again). */
  replace(objs: KObject[]): void {
    this.byKey.clear();
    this.byOwner.clear();
    for (const o of objs) this.upsert(o);
    this.synced = true;
  }

  private unindex(key: string): void {
    for (const r of this.byKey.get(key)?.metadata.ownerReferences ?? []) {
      const set = this.byOwner.get(r.uid);
      set?.delete(key);
      if (set?.size === 0) this.byOwner.delete(r.uid);
    }
  }
}
