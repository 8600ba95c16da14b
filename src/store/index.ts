// store: the embedded run store (objects as JSON files, logs and PVC directories under one state dir).
export * from './store.ts';
export { defaultStateDir } from './state-dir.ts';
