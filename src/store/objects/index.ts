// objects: the versioned, watchable object store (Kubernetes API semantics) — its contract, the
// rules written once over embedded backends, and the in-memory and SQLite implementations.
export type * from './types.ts';
export { ApiStore, StorageFailure, type StoreOptions } from './api-store.ts';
export { openMemoryStore } from './memory.ts';
export type { OpenResult } from './sqlite.ts';
import type { StoreOptions } from './api-store.ts';
import type { OpenResult } from './sqlite.ts';

/** openStateStore opens the SQLite store of a state dir; the native module is loaded only when a store is opened. */
export async function openStateStore(stateDir: string, options: StoreOptions = {}): Promise<OpenResult> {
  const { openSqliteStore } = await import('./sqlite.ts');
  return openSqliteStore(stateDir, options);
}
export { parseLabelSelector, type LabelSelector } from './selector.ts';
export { byNamespaceName, keyOf, namespaceOf, timestamp } from './meta.ts';
export { deepFreeze, frozenCopy, jsonCopy, jsonEqual } from './json.ts';
