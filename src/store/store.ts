// store.ts: the embedded run store: one JSON file per object under the state dir, written
// atomically (temp file + rename) so a crash or a full disk never leaves a half-written run.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** StoredObject is anything with apiVersion/kind/metadata.name(+namespace). */
export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** WriteResult is ok, or the reason the write failed (ENOSPC, EACCES...) as a user-facing message. */
export type WriteResult = { ok: true } | { ok: false; message: string };

/** PutOptions tune one write. */
export interface PutOptions {
  /**
   * sync (default true) fsyncs the file before it replaces the old one, so the write survives a
   * machine crash. Writes that a later write supersedes (a run's intermediate statuses) pass
   * false: they stay atomic (temp file + rename: never half-written), only not durable.
   */
  sync?: boolean;
}

/** Store reads and writes objects by kind, namespace and name. */
export interface Store {
  readonly root: string;
  get<T extends StoredObject>(kind: string, namespace: string, name: string): T | undefined;
  list<T extends StoredObject>(kind: string, namespace?: string): T[];
  put(obj: StoredObject, options?: PutOptions): WriteResult;
  delete(kind: string, namespace: string, name: string): void;
  /** dir returns (and creates) a directory for data that belongs to the store (logs, PVCs, pods). */
  dir(...parts: string[]): string;
}

/** openFileStore opens (creating) a state directory as a Store. */
export function openFileStore(root: string): Store {
  const objDir = (kind: string, ns: string) => join(root, 'objects', ns, kind.toLowerCase());
  return {
    root,
    get<T extends StoredObject>(kind: string, namespace: string, name: string) {
      try {
        return JSON.parse(readFileSync(join(objDir(kind, namespace), `${name}.json`), 'utf8')) as T;
      } catch {
        return undefined;
      }
    },
    list<T extends StoredObject>(kind: string, namespace?: string) {
      const namespaces = namespace ? [namespace] : safeReaddir(join(root, 'objects'));
      const out: T[] = [];
      for (const ns of namespaces) {
        for (const f of safeReaddir(objDir(kind, ns))) {
          if (!f.endsWith('.json')) continue;
          const o = this.get<T>(kind, ns, f.slice(0, -5));
          if (o) out.push(o);
        }
      }
      return out;
    },
    put(obj: StoredObject, options: PutOptions = {}) {
      const ns = obj.metadata.namespace ?? 'default';
      const dir = objDir(obj.kind, ns);
      const file = join(dir, `${obj.metadata.name}.json`);
      const tmp = `${file}.${process.pid}.tmp`;
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(tmp, JSON.stringify(obj));
        if (options.sync !== false) syncFile(tmp);
        renameSync(tmp, file);
        return { ok: true };
      } catch (e) {
        rmSync(tmp, { force: true });
        const err = e as NodeJS.ErrnoException;
        return { ok: false, message: `cannot write ${obj.kind} ${JSON.stringify(obj.metadata.name)} to the state dir ${root}: ${err.message}` };
      }
    },
    delete(kind, namespace, name) {
      rmSync(join(objDir(kind, namespace), `${name}.json`), { force: true });
    },
    dir(...parts: string[]) {
      const d = join(root, ...parts);
      mkdirSync(d, { recursive: true });
      return d;
    },
  };
}

/** syncFile flushes a file's data to disk. */
function syncFile(file: string): void {
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/**
 * reportingWrites wraps a Store so every failed write (ENOSPC, EACCES, ...) is reported once
 * through onError; callers that ignore put()'s result can then not lose a run's state silently.
 */
export function reportingWrites(store: Store, onError: (message: string) => void): Store {
  return {
    ...store,
    get: store.get.bind(store),
    list: store.list.bind(store),
    put(obj, options) {
      const r = store.put(obj, options);
      if (!r.ok) onError(r.message);
      return r;
    },
  };
}
