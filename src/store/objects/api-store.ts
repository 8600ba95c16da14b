// api-store.ts: the API server's rules over an embedded Backend, written once for the in-memory and
// SQLite stores: create/AlreadyExists, compare-and-swap on resourceVersion (Conflict), status as a
// subresource, generation, finalizers and deletionTimestamp, ownerReferences garbage collection
// (k8s.io/apiserver/pkg/registry/generic/registry/store.go, pkg/controller/garbagecollector) and
// watch from a resourceVersion with Expired when the event log no longer reaches back that far.
import { generateName } from '../../api/load/names.ts';
import type { Backend } from './backend.ts';
import { deepFreeze, frozenCopy, jsonCopy, jsonEqual } from './json.ts';
import { describe, fillCreate, invalidName, keyOf, namespaceOf, specChanged, timestamp } from './meta.ts';
import { parseLabelSelector } from './selector.ts';
import type { DeleteOptions, KObject, ListOptions, ListResult, ObjectKey, ObjectStore, StoreResult, Watch, WatchEvent, WatchOptions } from './types.ts';

/** StoreOptions tune an embedded store. */
export interface StoreOptions {
  /** now is the one clock (creationTimestamp, deletionTimestamp). */
  now?: () => Date;
  /** retainEvents is how many events the log keeps for watches that resume (default 10,000). */
  retainEvents?: number;
}

type Failure = Extract<StoreResult, { ok: false }>;
const fail = (reason: Failure['reason'], message: string): Failure => ({ ok: false, reason, message });
const isFailure = (x: KObject | Failure): x is Failure => (x as Failure).ok === false;

/** ApiStore implements ObjectStore over a Backend. */
export class ApiStore implements ObjectStore {
  private readonly now: () => Date;
  private readonly retain: number;

  constructor(
    private readonly backend: Backend,
    options: StoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.retain = options.retainEvents ?? 10_000;
  }

  async get<T extends KObject = KObject>(key: ObjectKey): Promise<T | undefined> {
    return this.backend.read(key) as T | undefined;
  }

  async list<T extends KObject = KObject>(kind: string, options: ListOptions = {}): Promise<ListResult<T>> {
    const selector = parseLabelSelector(options.labelSelector);
    if (!selector.ok) throw new Error(selector.message); // a bug in the caller: selectors come from code or are parsed at the CLI
    const candidates = (): KObject[] => {
      if (options.ownerUid === undefined) return this.backend.list(kind, options.namespace);
      const keys = this.backend
        .dependents(options.ownerUid)
        .filter((k) => k.kind === kind && (options.namespace === undefined || k.namespace === options.namespace))
        .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
      return keys.map((k) => this.backend.read(k)).filter((o): o is KObject => o !== undefined);
    };
    return this.backend.transaction(() => ({
      items: candidates().filter((o) => selector.matches(o.metadata.labels)) as T[],
      resourceVersion: String(this.backend.revision()),
    }));
  }

  async create<T extends KObject>(input: T): Promise<StoreResult<T>> {
    if (!input.apiVersion || !input.kind) return fail('Invalid', 'apiVersion and kind are required');
    if (input.metadata?.resourceVersion) return fail('Invalid', 'metadata.resourceVersion: Invalid value: resourceVersion should not be set on objects to be created');
    for (let attempt = 0; ; attempt++) {
      // A shallow copy: only metadata is filled in, and commit copies the object, so the caller's
      // object is neither changed nor retained.
      const obj = { ...input, metadata: { ...input.metadata } };
      delete obj.status; // status is a subresource: create ignores it, as for Tekton's CRDs and Pods
      if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = generateName(obj.metadata.generateName);
      const bad = invalidName(obj.metadata.name ?? '');
      if (bad) return fail('Invalid', bad);
      const r = await this.write(() => {
        const key = keyOf(obj);
        if (this.backend.has(key)) return fail('AlreadyExists', `${describe(key)} already exists`);
        const orphan = goneOwner(this.backend, obj);
        if (orphan) return fail('NotFound', orphan);
        fillCreate(obj, this.now(), this.backend.nextRevision());
        return this.commit('ADDED', obj);
      });
      // A generated name that is taken is retried, as the API server's clients do.
      if (r.ok || r.reason !== 'AlreadyExists' || input.metadata.name || attempt >= 8) return r as StoreResult<T>;
    }
  }

  async update<T extends KObject>(input: T): Promise<StoreResult<T>> {
    const key = keyOf(input);
    return this.write(() => {
      const cur = this.current(key, input.metadata.resourceVersion);
      if (isFailure(cur)) return cur;
      // A shallow copy: only metadata and status are replaced, and commit copies the object, so the
      // caller's object is neither changed nor retained.
      const next = { ...input, metadata: { ...input.metadata } } as KObject;
      if (cur.status === undefined) delete (next as KObject).status;
      else (next as KObject).status = cur.status;
      const m = next.metadata;
      m.namespace = cur.metadata.namespace;
      m.uid = cur.metadata.uid;
      m.creationTimestamp = cur.metadata.creationTimestamp;
      m.generation = (cur.metadata.generation ?? 1) + (specChanged(cur, next) ? 1 : 0);
      if (cur.metadata.deletionTimestamp) m.deletionTimestamp = cur.metadata.deletionTimestamp;
      else delete m.deletionTimestamp;
      if (m.deletionTimestamp && !m.finalizers?.length) return this.remove(next, 'Background');
      return this.modify(cur, next);
    }) as Promise<StoreResult<T>>;
  }

  async updateStatus<T extends KObject>(input: T): Promise<StoreResult<T>> {
    const key = keyOf(input);
    return this.write(() => {
      const cur = this.current(key, input.metadata.resourceVersion);
      if (isFailure(cur)) return cur;
      // An unchanged status is no change: comparing the statuses alone spares comparing the whole
      // object (modify's check) on the controllers' most frequent write.
      if (jsonEqual(input.status, cur.status)) return { ok: true, object: deepFreeze(cur) };
      // cur is the stored object (never changed); input.status is only read (commit copies it).
      const next: KObject = { ...cur, metadata: { ...cur.metadata } };
      if (input.status === undefined) delete next.status;
      else next.status = input.status;
      next.metadata.resourceVersion = String(this.backend.nextRevision());
      return this.commit('MODIFIED', next);
    }) as Promise<StoreResult<T>>;
  }

  async delete(key: ObjectKey, options: DeleteOptions = {}): Promise<StoreResult> {
    return this.write(() => {
      const cur = this.current(key, options.preconditions?.resourceVersion);
      if (isFailure(cur)) return cur;
      return this.deleteObject(cur, options.propagationPolicy ?? 'Background');
    });
  }

  watch(options: WatchOptions, onEvent: (event: WatchEvent) => void): Watch {
    const selector = parseLabelSelector(options.labelSelector);
    if (!selector.ok) throw new Error(selector.message);
    const wanted = (o: KObject) =>
      (!options.kind || o.kind === options.kind) && (!options.namespace || o.metadata.namespace === options.namespace) && selector.matches(o.metadata.labels);
    let stopped = false;
    let last = 0;
    let scheduled = false;
    const initial: WatchEvent[] = [];
    last = this.backend.transaction(() => {
      if (options.resourceVersion !== undefined && options.resourceVersion !== '') return Number(options.resourceVersion);
      const objects = options.kind ? this.backend.list(options.kind, options.namespace) : [];
      for (const o of objects) if (wanted(o)) initial.push({ type: 'ADDED', object: deepFreeze(o) });
      return this.backend.revision();
    });
    const deliver = (e: WatchEvent) => {
      if (!stopped) onEvent(e);
    };
    const pump = () => {
      scheduled = false;
      if (stopped) return;
      try {
        for (;;) {
          if (last < this.backend.oldestRevision()) {
            deliver({ type: 'ERROR', reason: 'Expired', message: `too old resource version: ${last} (${this.backend.oldestRevision() + 1})` });
            stop();
            return;
          }
          const batch = this.backend.eventsSince(last, 500, options.kind || undefined);
          for (const e of batch.events) {
            last = e.rv;
            if (wanted(e.object)) deliver({ type: e.type, object: e.object });
            if (stopped) return;
          }
          // Events the backend left out (other kinds) were scanned too: resume after them.
          last = Math.max(last, batch.through);
          if (batch.events.length < 500) return;
        }
      } catch (e) {
        deliver({ type: 'ERROR', reason: 'StorageError', message: storageMessage(e) });
        stop();
      }
    };
    const schedule = () => {
      if (!scheduled && !stopped) {
        scheduled = true;
        setImmediate(pump);
      }
    };
    const unsubscribe = this.backend.onChange(schedule);
    const stop = () => {
      stopped = true;
      unsubscribe();
    };
    setImmediate(() => {
      for (const e of initial) deliver(e);
      pump();
    });
    return { stop };
  }

  async close(): Promise<void> {
    this.backend.close();
  }

  /** current reads the object a write acts on (never changed: it may be the stored one): NotFound, or Conflict when rv is stale. */
  private current(key: ObjectKey, rv: string | undefined): KObject | Failure {
    const cur = this.backend.get(key);
    if (!cur) return fail('NotFound', `${describe(key)} not found`);
    if (rv && rv !== cur.metadata.resourceVersion) {
      return fail('Conflict', `Operation cannot be fulfilled on ${describe(key)}: the object has been modified; please apply your changes to the latest version and try again`);
    }
    return cur;
  }

  /** modify stores next over cur; a change of nothing is not a change (no new resourceVersion, no event). */
  private modify(cur: KObject, next: KObject): StoreResult {
    next.metadata = { ...next.metadata, resourceVersion: cur.metadata.resourceVersion };
    if (jsonEqual(cur, next)) return { ok: true, object: deepFreeze(cur) };
    next.metadata.resourceVersion = String(this.backend.nextRevision());
    return this.commit('MODIFIED', next);
  }

  /** deleteObject deletes now, or marks the object (deletionTimestamp) while finalizers remain. */
  private deleteObject(cur: KObject, policy: 'Background' | 'Orphan'): StoreResult {
    if (cur.metadata.finalizers?.length) {
      if (cur.metadata.deletionTimestamp) return { ok: true, object: deepFreeze(cur) };
      const next = { ...cur, metadata: { ...cur.metadata, deletionTimestamp: timestamp(this.now()) } };
      return this.modify(cur, next);
    }
    return this.remove(cur, policy);
  }

  /** remove deletes an object and collects its dependents as the garbage collector would. */
  private remove(obj: KObject, policy: 'Background' | 'Orphan'): StoreResult {
    const key = keyOf(obj);
    const rv = this.backend.nextRevision();
    const gone = frozenCopy({ ...obj, metadata: { ...obj.metadata, resourceVersion: String(rv) } });
    this.backend.remove(key);
    this.backend.appendEvent({ rv, type: 'DELETED', object: gone });
    const uid = obj.metadata.uid ?? '';
    for (const depKey of this.backend.dependents(uid)) {
      const dep = this.backend.get(depKey);
      if (!dep) continue;
      const refs = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      // A dependent with another owner that still exists stays (garbagecollector: all owners gone).
      const otherOwnerAlive = refs.some((r) => this.backend.uidOf({ kind: r.kind, namespace: depKey.namespace, name: r.name }) === r.uid);
      if (policy === 'Orphan' || otherOwnerAlive) {
        const next = jsonCopy(dep);
        if (refs.length) next.metadata.ownerReferences = refs;
        else delete next.metadata.ownerReferences;
        this.modify(dep, next);
      } else {
        this.deleteObject(dep, 'Background');
      }
    }
    this.maybeCompact();
    return { ok: true, object: gone };
  }

  private commit(type: 'ADDED' | 'MODIFIED', obj: KObject): StoreResult {
    // Copied once, frozen: stored, logged for every watcher and returned to the writer, all shared
    // (as client-go's informers share cached objects), so nobody can change what the store holds.
    const stored = frozenCopy(obj);
    this.backend.put(stored);
    this.backend.appendEvent({ rv: Number(stored.metadata.resourceVersion), type, object: stored });
    this.maybeCompact();
    return { ok: true, object: stored };
  }

  private maybeCompact(): void {
    // Compact in steps of a tenth of what is kept, not on every write.
    const rv = this.backend.revision();
    if (rv - this.backend.oldestRevision() > this.retain + Math.ceil(this.retain / 10)) this.backend.compact(rv - this.retain);
  }

  /** write runs fn in one transaction; storage failures (disk full, read-only, locked) become StorageError. */
  private async write(fn: () => StoreResult): Promise<StoreResult> {
    try {
      return this.backend.transaction(fn);
    } catch (e) {
      if (e instanceof StorageFailure) return fail('StorageError', e.message);
      throw e;
    }
  }
}

/** StorageFailure is thrown by a Backend for failures of the medium (full disk, read-only, locked, corrupt). */
export class StorageFailure extends Error {}

function storageMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * goneOwner: a dependent created for an owner that was deleted meanwhile (a controller read the
 * owner, then it went) would outlive it, since the cascade already ran. On a cluster the garbage
 * collector deletes such a dependent later; an embedded store refuses it at once, in the same
 * transaction as the owner's deletion is seen. Only references with blockOwnerDeletion count.
 */
function goneOwner(backend: Backend, obj: KObject): string | undefined {
  for (const r of obj.metadata.ownerReferences ?? []) {
    if (!r.blockOwnerDeletion) continue;
    const uid = backend.uidOf({ kind: r.kind, namespace: namespaceOf(r.kind, obj.metadata.namespace), name: r.name });
    if (uid === undefined || uid !== r.uid) return `the owner ${r.kind} ${JSON.stringify(r.name)} (uid ${r.uid}) is gone`;
  }
  return undefined;
}
