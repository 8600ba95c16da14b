// memory.ts: the in-memory Backend, for unit tests and benchmarks (no process shares it).
import type { Backend, StoredEvent } from './backend.ts';
import { ApiStore, type StoreOptions } from './api-store.ts';
import type { KObject, ObjectKey, ObjectStore } from './types.ts';

const id = (k: ObjectKey) => `${k.kind}\0${k.namespace}\0${k.name}`;

class MemoryBackend implements Backend {
  private readonly objects = new Map<string, string>();
  private readonly owners = new Map<string, Set<string>>();
  // Events are kept as JSON text with their revision: written once, parsed by each reader (a copy).
  private events: { rv: number; text: string }[] = [];
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
    const s = this.objects.get(id(key));
    return s === undefined ? undefined : (JSON.parse(s) as KObject);
  }
  list(kind: string, namespace?: string): KObject[] {
    const prefix = namespace === undefined ? `${kind}\0` : `${kind}\0${namespace}\0`;
    const out: KObject[] = [];
    for (const [k, v] of this.objects) if (k.startsWith(prefix)) out.push(JSON.parse(v) as KObject);
    return out.sort((a, b) => (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
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
    const k = id({ kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' });
    this.unindex(k);
    this.objects.set(k, JSON.stringify(obj));
    for (const r of obj.metadata.ownerReferences ?? []) {
      if (!this.owners.has(r.uid)) this.owners.set(r.uid, new Set());
      this.owners.get(r.uid)?.add(k);
    }
  }
  remove(key: ObjectKey): void {
    this.unindex(id(key));
    this.objects.delete(id(key));
  }
  appendEvent(event: StoredEvent): void {
    this.events.push({ rv: event.rv, text: JSON.stringify(event) });
    this.dirty = true;
  }
  eventsSince(rv: number, limit: number): StoredEvent[] {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.events[mid].rv <= rv) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo, lo + limit).map((e) => JSON.parse(e.text) as StoredEvent);
  }
  oldestRevision(): number {
    return this.oldest;
  }
  compact(rv: number): void {
    this.events = this.events.filter((e) => e.rv > rv);
    this.oldest = Math.max(this.oldest, rv);
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  close(): void {
    this.listeners.clear();
  }
  private unindex(k: string): void {
    const prev = this.objects.get(k);
    if (prev === undefined) return;
    for (const r of (JSON.parse(prev) as KObject).metadata.ownerReferences ?? []) this.owners.get(r.uid)?.delete(k);
  }
}

/** openMemoryStore returns an empty in-memory ObjectStore. */
export function openMemoryStore(options: StoreOptions = {}): ObjectStore {
  return new ApiStore(new MemoryBackend(), options);
}
