// shared.ts: knative's informer factory in small (client-go's SharedInformerFactory): one list+watch
// and one cache per kind, shared by every reconciler (through listers, handed out before start) and
// every event handler (added before start).
import type { KObject, ObjectStore, StoreResult } from '../store/index.ts';
import { ObjectCache } from './cache.ts';
import type { Clock } from './clock.ts';
import { inform, type Informer, type InformerEvent } from './informer.ts';
import { cacheLister, type Lister } from './lister.ts';

type Handler = (type: InformerEvent, obj: KObject) => void;

/** SharedInformers watch kinds into caches once start is called. */
export class SharedInformers {
  private readonly kinds = new Map<string, { cache: ObjectCache; handlers: Handler[] }>();
  private running: Informer[] = [];
  private writeStore?: ObjectStore;

  /** freeze deep-freezes cached objects, so that a reconciler mutating one throws (tests). */
  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
    private readonly options: { freeze?: boolean } = {},
  ) {}

  /**
   * writes is the store for reconcilers to write through: what a create or update returns is
   * cached at once (client-go's MutationCache), so that a reconcile woken by another kind's event
   * before this kind's watch caught up reads its own last write, not a version it replaced (which
   * would only end in a Conflict and a retry).
   */
  get writes(): ObjectStore {
    this.writeStore ??= this.writeThrough(this.store);
    return this.writeStore;
  }

  private writeThrough(store: ObjectStore): ObjectStore {
    const cached = <T extends KObject>(r: StoreResult<T>): StoreResult<T> => {
      if (r.ok) this.kinds.get(r.object.kind)?.cache.upsert(r.object);
      return r;
    };
    return {
      get: (key) => store.get(key),
      list: (kind, options) => store.list(kind, options),
      create: async (obj) => cached(await store.create(obj)),
      update: async (obj) => cached(await store.update(obj)),
      updateStatus: async (obj) => cached(await store.updateStatus(obj)),
      delete: (key, options) => store.delete(key, options),
      watch: (options, onEvent) => store.watch(options, onEvent),
      close: () => store.close(),
    };
  }

  /** lister reads kind from its cache (the kind is watched once started). */
  lister<T extends KObject = KObject>(kind: string): Lister<T> {
    return cacheLister<T>(this.of(kind).cache, this.store, kind);
  }

  /** on adds a handler of kind's changes; handlers hear a change after the cache holds it. */
  on(kind: string, handler: Handler): void {
    this.of(kind).handlers.push(handler);
  }

  /** start lists and watches every kind asked for; the promise resolves once each was listed. */
  start(): Promise<void> {
    this.running = [...this.kinds].map(([kind, k]) =>
      inform(
        this.store,
        this.clock,
        { kind },
        (type, obj) => {
          for (const h of k.handlers) h(type, obj);
        },
        k.cache,
      ),
    );
    return Promise.all(this.running.map((i) => i.synced)).then(() => {});
  }

  stop(): void {
    for (const i of this.running) i.stop();
  }

  private of(kind: string) {
    const k = this.kinds.get(kind) ?? { cache: new ObjectCache(this.options.freeze), handlers: [] };
    this.kinds.set(kind, k);
    return k;
  }
}
