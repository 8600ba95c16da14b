// store: what Tektite keeps in its state dir — the versioned, watchable object store (objects/:
// SQLite, in-memory; the contract the Kubernetes store will also meet), container logs as
// append-only files (logs.ts).
export { defaultStateDir } from './state-dir.ts';
export * from './objects/index.ts';
export { LogStore, type LogKey, type LogWriter, type ReadOptions } from './logs.ts';
