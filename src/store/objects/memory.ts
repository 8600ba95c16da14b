// memory.ts: the in-memory Backend, for unit tests and benchmarks (no process shares it).
import type { Backend, EventBatch, StoredEvent } from './backend.ts';
import { ApiStore, type StoreOptions } from './api-store.ts';
import { jsonCopy } from './json.ts';
import { byNamespaceName } from './meta.ts';
import type { KObject, ObjectKey, ObjectStore } from './types.ts';

const nsName = (namespace: string, name: string) => `${namespace}\0${name}`;

class MemoryBackend implements Backend {
  // Objects are kept as the store made them (frozen: json.ts frozenCopy), grouped by kind so that
  // listing a kind does not scan every other kind's keys; a caller's read gets a copy.
  private readonly objects = new Map<string, Map<string, KObject>>();
  private readonly owners = new Map<string, Set<string>>();
  // The owner uids each object was indexed under, so a put or remove need not look at the old object.
  private readonly ownedBy = new Map<string, string[]>();
  // Events hold the same frozen objects, handed to every watcher as they are (no copy per watcher);
  // each also in its kind's log, so a watch of one kind reads only that kind's events.
  private events: StoredEvent[] = [];
  private byKind = new Map<string, StoredEvent[]>();
  private rv = 0;
  private oldest = 0;
  private readonly listeners = new Set<() => void>();
  private depth = 0;
  private dirty = false;

  transaction<T>(fn: () => T): T {
    // Single-threaded: a transaction needs no lock, only one notification at its end.
    this.depth++;
    try {
      return fn();
    } finally {
      if (--this.depth === 0 && this.dirty) {
        this.dirty = false;
        for (const l of this.listeners) l();
      }
    }
  }
  get(key: ObjectKey): KObject | undefined {
    return this.objects.get(key.kind)?.get(nsName(key.namespace, key.name));
  }
  read(key: ObjectKey): KObject | undefined {
    const o = this.get(key);
    return o && jsonCopy(o);
  }
  has(key: ObjectKey): boolean {
    return this.get(key) !== undefined;
  }
  uidOf(key: ObjectKey): string | undefined {
    return this.get(key)?.metadata.uid;
  }
  list(kind: string, namespace?: string): KObject[] {
    const prefix = namespace === undefined ? '' : `${namespace}\0`;
    const out: KObject[] = [];
    for (const [k, v] of this.objects.get(kind) ?? []) if (k.startsWith(prefix)) out.push(jsonCopy(v));
    return out.sort(byNamespaceName);
  }
  dependents(ownerUid: string): ObjectKey[] {
    return [...(this.owners.get(ownerUid) ?? [])].map((k) => {
      const [kind, namespace, name] = k.split('\0');
      return { kind, namespace, name };
    });
  }
  nextRevision(): number {
    return ++this.rv;
  }
  revision(): number {
    return this.rv;
  }
  put(obj: KObject): void {
    const kind = obj.kind;
    const k = nsName(obj.metadata.namespace ?? '', obj.metadata.name ?? '');
    let objects = this.objects.get(kind);
    if (!objects) {
      objects = new Map();
      this.objects.set(kind, objects);
    }
    const full = `${kind}\0${k}`;
    this.unindex(full);
    objects.set(k, obj);
    const uids = (obj.metadata.ownerReferences ?? []).map((r) => r.uid);
    if (uids.length) this.ownedBy.set(full, uids);
    for (const uid of uids) {
      if (!this.owners.has(uid)) this.owners.set(uid, new Set());
      this.owners.get(uid)?.add(full);
    }
  }
  remove(key: ObjectKey): void {
    const objects = this.objects.get(key.kind);
    const k = nsName(key.namespace, key.name);
    this.unindex(`${key.kind}\0${k}`);
    objects?.delete(k);
  }
  appendEvent(event: StoredEvent): void {
    const logged = { rv: event.rv, type: event.type, object: event.object };
    this.events.push(logged);
    let log = this.byKind.get(event.object.kind);
    if (!log) {
      log = [];
      this.byKind.set(event.object.kind, log);
    }
    log.push(logged);
    this.dirty = true;
  }
  eventsSince(rv: number, limit: number, kind?: string): EventBatch {
    const log = kind === undefined ? this.events : (this.byKind.get(kind) ?? []);
    let lo = 0;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (log[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    const page = log.slice(lo, lo + limit);
    // A short page read the log to its end: every revision up to now was scanned (events are appended
    // with their revision inside one synchronous transaction, so none can still arrive below it).
    const through = page.length < limit ? Math.max(rv, this.rv) : page[page.length - 1].rv;
    return { events: page, through };
  }
  oldestRevision(): number {
    return this.oldest;
  }
  compact(rv: number): void {
    this.events = this.events.filter((e) => e.rv > rv);
    for (const [kind, log] of this.byKind) {
      const kept = log.filter((e) => e.rv > rv);
      if (kept.length) this.byKind.set(kind, kept);
      else this.byKind.delete(kind);
    }
    this.oldest = Math.max(this.oldest, rv);
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  close(): void {
    this.listeners.clear();
  }
  private unindex(full: string): void {
    for (const uid of this.ownedBy.get(full) ?? []) {
      const dependents = this.owners.get(uid);
      dependents?.delete(full);
      if (dependents?.size === 0) this.owners.delete(uid);
    }
    this.ownedBy.delete(full);
  }
}

/** openMemoryStore returns an empty in-memory ObjectStore. */
export function openMemoryStore(options: StoreOptions = {}): ObjectStore {
  return new ApiStore(new MemoryBackend(), options);
}
