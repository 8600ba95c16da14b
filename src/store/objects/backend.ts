// backend.ts: what an embedded store keeps (objects, an owner index, an event log and a revision
// counter) and nothing of the API server's rules, which live once in api-store.ts. Calls are
// synchronous; transaction() makes a group of them atomic and, for SQLite, exclusive across processes.
import type { KObject, ObjectKey } from './types.ts';

/** StoredEvent is one entry of the event log; rv is the store revision the change made. */
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
  get(key: ObjectKey): KObject | undefined;
  list(kind: string, namespace?: string): KObject[];
  /** dependents lists the keys of objects that have an ownerReference to uid. */
  dependents(ownerUid: string): ObjectKey[];
  /** nextRevision bumps and returns the store's revision (inside a transaction). */
  nextRevision(): number;
  revision(): number;
  /** put stores obj; text, when given, is JSON.stringify(obj) already made by the caller. */
  put(obj: KObject, text?: string): void;
  remove(key: ObjectKey): void;
  /** appendEvent logs event; objectText, when given, is JSON.stringify(event.object). */
  appendEvent(event: StoredEvent, objectText?: string): void;
  /**
   * eventsSince returns the events after rv, oldest first, at most limit of them, and through: the
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
