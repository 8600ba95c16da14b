// store.ts: reading what the CLI left in a state dir's object store (store.db, SQLite), synchronously
// and read-only, as `tektite get` would show it: tests look at stored runs, their children and Pods.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** StoredObject is the part of any stored object tests read. */
export interface StoredObject {
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}

/** storedObjects lists the stored objects of one kind (in any case), optionally of one namespace, by name. */
export function storedObjects<T = StoredObject>(stateDir: string, kind: string, namespace?: string): T[] {
  const file = join(stateDir, 'store.db');
  if (!existsSync(file)) return [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // A store being created by another process may not have its table yet.
    if (!db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'objects'").get()) return [];
    const rows = (
      namespace === undefined
        ? db.prepare('SELECT json FROM objects WHERE lower(kind) = lower(?) ORDER BY namespace, name').pluck().all(kind)
        : db.prepare('SELECT json FROM objects WHERE lower(kind) = lower(?) AND namespace = ? ORDER BY name').pluck().all(kind, namespace)
    ) as string[];
    return rows.map((j) => JSON.parse(j) as T);
  } finally {
    db.close();
  }
}

/** storedObject reads one stored object (kind in any case: 'PipelineRun' or 'pipelinerun'; any namespace unless given), or undefined. */
export function storedObject<T = StoredObject>(stateDir: string, kind: string, name: string, namespace?: string): T | undefined {
  return storedObjects<T>(stateDir, kind, namespace).find((o) => (o as StoredObject).metadata.name === name);
}
