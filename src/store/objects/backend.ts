// backend.ts: what an embedded store keeps (objects, an owner index, an event log and a revision
// counter) and nothing of the API server's rules, which live once in api-store.ts. Calls are
// synchronous; transaction() makes a group of them atomic and, for SQLite, exclusive across processes.
// Objects the store hands around are deep-frozen and shared (json.ts frozenCopy): what put and
// appendEvent are given may be kept as is, and handed to every watcher of this process.
import type { KObject, ObjectKey } from './types.ts';

/** StoredEvent is one entry of the event log; rv is the store revision the change made; object is frozen. */
export interface StoredEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KObject;
}

/** EventBatch is a page of the event log; a reader resumes after through. */
export interface EventBatch {
  events: StoredEvent[];
  through: number;
}

/** Backend keeps objects and their history. */
export interface Backend {
  transaction<T>(fn: () => T): T;
  /** get is the stored object for the store's own checks and writes: possibly shared, never to be changed. */
  get(key: ObjectKey): KObject | undefined;
  /** read is a private copy of the stored object, for a caller. */
  read(key: ObjectKey): KObject | undefined;
  has(key: ObjectKey): boolean;
  /** uidOf is the stored object's metadata.uid (an owner check needs no more). */
  uidOf(key: ObjectKey): string | undefined;
  /** list gives private copies, sorted by namespace and name. */
  list(kind: string, namespace?: string): KObject[];
  /** dependents lists the keys of objects that have an ownerReference to uid. */
  dependents(ownerUid: string): ObjectKey[];
  /** nextRevision bumps and returns the store's revision (inside a transaction). */
  nextRevision(): number;
  revision(): number;
  /** put stores obj (frozen: a backend may keep it). */
  put(obj: KObject): void;
  remove(key: ObjectKey): void;
  /** appendEvent logs event (its object frozen, often the one just put). */
  appendEvent(event: StoredEvent): void;
  /**
   * eventsSince returns the events after rv (their objects frozen and shared), oldest first, at most limit of them, and through: the
   * revision up to which the log was scanned. With kind, a backend may leave out events of other
   * kinds (a watch of one kind then skips them without copying them); through still advances past them.
   */
  eventsSince(rv: number, limit: number, kind?: string): EventBatch;
  /** oldestRevision is the revision before the oldest event kept (a watch from an older one is Expired). */
  oldestRevision(): number;
  /** compact drops the events at or below rv. */
  compact(rv: number): void;
  /** onChange calls back after changes, from this process or (SQLite) another; returns an unsubscribe. */
  onChange(listener: () => void): () => void;
  close(): void;
}
