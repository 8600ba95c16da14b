// store: what Tektite keeps in its state dir — the versioned, watchable object store (objects/:
// SQLite, in-memory; the contract the Kubernetes store will also meet), container logs as
// append-only files (logs.ts), and, until the reconcilers move onto the object store, the
// JSON-file run store they use today (store.ts).
export * from './store.ts';
export { defaultStateDir } from './state-dir.ts';
export * from './objects/index.ts';
export { LogStore, type LogKey, type LogWriter, type ReadOptions } from './logs.ts';
