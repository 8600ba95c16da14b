// sqlite.ts: the embedded store: one SQLite file (better-sqlite3, WAL) in the state dir, shared
// safely by several tektite processes. Writes are IMMEDIATE transactions (one writer at a time,
// readers never blocked); the revision counter and the event log live in the same transaction as
// the object, so a crash leaves either the whole change or none of it. Watches in other processes
// learn of a commit from the file system (the -wal file changes) and read the event log.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, watch as watchDir, type FSWatcher } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ApiStore, StorageFailure, type StoreOptions } from './api-store.ts';
import type { Backend, EventBatch, StoredEvent } from './backend.ts';
import { ParsedEvents } from './parsed-events.ts';
import type { KObject, ObjectKey, ObjectStore } from './types.ts';

/** SCHEMA_VERSION is the store layout this code writes; a file with a higher one is refused. */
export const SCHEMA_VERSION = 1;
// 'TEKT': marks the file as Tektite's (PRAGMA application_id), so a foreign SQLite file is refused.
const APPLICATION_ID = 0x54454b54;
/** STORE_FILE is the store's file name inside the state dir. */
export const STORE_FILE = 'store.db';

const schema = `
CREATE TABLE objects(kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL, json TEXT NOT NULL,
  PRIMARY KEY(kind, namespace, name)) WITHOUT ROWID;
CREATE TABLE owners(owner_uid TEXT NOT NULL, kind TEXT NOT NULL, namespace TEXT NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY(owner_uid, kind, namespace, name)) WITHOUT ROWID;
CREATE TABLE events(rv INTEGER PRIMARY KEY, type TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE counters(name TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO counters VALUES ('rv', 0), ('oldest', 0);
`;

/** OpenResult is a store, or why the state dir cannot hold one (in words, for the user). */
export type OpenResult = { ok: true; store: ObjectStore } | { ok: false; message: string };

/** openSqliteStore opens (creating) the store in stateDir. */
export function openSqliteStore(stateDir: string, options: StoreOptions = {}): OpenResult {
  const file = join(stateDir, STORE_FILE);
  let db: Database.Database | undefined;
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    db = new Database(file, { timeout: 10_000, nativeBinding: nativeBinding() });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const problem = checkOrCreateSchema(db, file);
    if (problem) {
      db.close();
      return { ok: false, message: problem };
    }
    return { ok: true, store: new ApiStore(new SqliteBackend(db, stateDir), options) };
  } catch (e) {
    db?.close();
    return { ok: false, message: `cannot open the state store ${file}: ${describeSqliteError(e)}` };
  }
}

let addonPath: string | false | undefined;

/**
 * nativeBinding is the path of better-sqlite3's compiled addon, or undefined (the library then
 * searches for it itself). Why: its search (the `bindings` package: a stack trace, then a require
 * attempt at each of a dozen candidate paths) costs ~8 ms of every start-up, and from the bundled
 * CLI (scripts/bundle-cli.mjs bundles the library's JavaScript) it would search next to the bundle
 * instead of in better-sqlite3's directory. So: where npm builds it, else that same search rooted
 * at better-sqlite3's directory (a Debug or prebuilt layout).
 */
function nativeBinding(): string | undefined {
  if (addonPath !== undefined) return addonPath || undefined;
  try {
    const pkg = createRequire(import.meta.url).resolve('better-sqlite3/package.json');
    const addon = join(dirname(pkg), 'build', 'Release', 'better_sqlite3.node');
    if (existsSync(addon)) addonPath = addon;
    else {
      const bindings = createRequire(pkg)('bindings') as (o: object) => string;
      addonPath = bindings({ bindings: 'better_sqlite3.node', module_root: dirname(pkg), path: true });
    }
  } catch {
    addonPath = false;
  }
  return addonPath || undefined;
}

function checkOrCreateSchema(db: Database.Database, file: string): string | undefined {
  const appId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = (db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'`).get() as { n: number }).n;
  if (appId === 0 && version === 0 && tables === 0) {
    db.transaction(() => {
      db.exec(schema);
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${SCHEMA_VERSION}`);
    }).immediate();
    return undefined;
  }
  if (appId !== APPLICATION_ID) return `${file} is an SQLite database but not a Tektite state store: use another --state-dir`;
  if (version > SCHEMA_VERSION) {
    return `${file} was written by a newer Tektite (store schema ${version}; this version reads up to ${SCHEMA_VERSION}): upgrade tektite or use another --state-dir`;
  }
  return undefined;
}

/** describeSqliteError turns SQLite's codes into the cause in words. */
function describeSqliteError(e: unknown): string {
  const err = e as { code?: string; message?: string };
  switch (err.code) {
    case 'SQLITE_NOTADB':
      return "the file is not an SQLite database (corrupt, or not Tektite's): move it away or use another --state-dir";
    case 'SQLITE_CORRUPT':
      return 'the database is corrupt: move it away or use another --state-dir';
    case 'SQLITE_FULL':
      return 'the disk is full';
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
      return `it cannot be written (read-only file system or no permission): ${err.message}`;
    case 'SQLITE_BUSY':
      return 'another tektite process has held it locked for more than 10 s';
    default:
      return err.message ?? String(e);
  }
}

class SqliteBackend implements Backend {
  private readonly listeners = new Set<() => void>();
  // Each event is parsed once for all watchers of this process (each reads every event, soon after
  // the others: a page of the log, 500 events, is what must stay between them; older ones go).
  private readonly parsed = new ParsedEvents(512);
  private lastPut: { obj: KObject; text: string } | undefined;
  private watcher: FSWatcher | undefined;
  private fallback: NodeJS.Timeout | undefined;
  private lastSeen = -1;
  private wrote = false;
  private readonly q;

  constructor(
    private readonly db: Database.Database,
    private readonly dir: string,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.q = {
      get: p('SELECT json FROM objects WHERE kind = ? AND namespace = ? AND name = ?').pluck(),
      has: p('SELECT 1 FROM objects WHERE kind = ? AND namespace = ? AND name = ?').pluck(),
      uid: p(`SELECT json_extract(json, '$.metadata.uid') FROM objects WHERE kind = ? AND namespace = ? AND name = ?`).pluck(),
      listNs: p('SELECT json FROM objects WHERE kind = ? AND namespace = ? ORDER BY name').pluck(),
      list: p('SELECT json FROM objects WHERE kind = ? ORDER BY namespace, name').pluck(),
      put: p('INSERT OR REPLACE INTO objects(kind, namespace, name, json) VALUES (?, ?, ?, ?)'),
      del: p('DELETE FROM objects WHERE kind = ? AND namespace = ? AND name = ?'),
      ownersDel: p('DELETE FROM owners WHERE kind = ? AND namespace = ? AND name = ?'),
      ownersAdd: p('INSERT OR IGNORE INTO owners(owner_uid, kind, namespace, name) VALUES (?, ?, ?, ?)'),
      dependents: p('SELECT kind, namespace, name FROM owners WHERE owner_uid = ?'),
      bump: p(`UPDATE counters SET value = value + 1 WHERE name = 'rv' RETURNING value`).pluck(),
      counter: p('SELECT value FROM counters WHERE name = ?').pluck(),
      setOldest: p(`UPDATE counters SET value = max(value, ?) WHERE name = 'oldest'`),
      event: p('INSERT INTO events(rv, type, json) VALUES (?, ?, ?)'),
      since: p('SELECT rv, type, json FROM events WHERE rv > ? ORDER BY rv LIMIT ?'),
      compact: p('DELETE FROM events WHERE rv <= ?'),
    };
  }

  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    let result: T;
    try {
      result = this.db.transaction(fn).immediate();
    } catch (e) {
      this.parsed.ended(false);
      this.lastPut = undefined;
      if ((e as { code?: string }).code?.startsWith('SQLITE_')) throw new StorageFailure(`the state store: ${describeSqliteError(e)}`);
      throw e;
    }
    this.lastPut = undefined;
    this.parsed.ended(true);
    if (this.wrote) {
      this.wrote = false;
      // Our own commit also touches the -wal file: the file watch must not announce it a second time.
      this.lastSeen = this.revision();
      this.notify();
    }
    return result;
  }
  get(key: ObjectKey): KObject | undefined {
    const s = this.q.get.get(key.kind, key.namespace, key.name) as string | undefined;
    return s === undefined ? undefined : (JSON.parse(s) as KObject);
  }
  read(key: ObjectKey): KObject | undefined {
    return this.get(key);
  }
  has(key: ObjectKey): boolean {
    return this.q.has.get(key.kind, key.namespace, key.name) !== undefined;
  }
  uidOf(key: ObjectKey): string | undefined {
    return (this.q.uid.get(key.kind, key.namespace, key.name) as string | null | undefined) ?? undefined;
  }
  list(kind: string, namespace?: string): KObject[] {
    const rows = (namespace === undefined ? this.q.list.all(kind) : this.q.listNs.all(kind, namespace)) as string[];
    return rows.map((s) => JSON.parse(s) as KObject);
  }
  dependents(ownerUid: string): ObjectKey[] {
    return this.q.dependents.all(ownerUid) as ObjectKey[];
  }
  nextRevision(): number {
    return this.q.bump.get() as number;
  }
  revision(): number {
    return this.q.counter.get('rv') as number;
  }
  put(obj: KObject): void {
    const text = JSON.stringify(obj);
    this.lastPut = { obj, text };
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    this.q.put.run(obj.kind, ns, name, text);
    this.q.ownersDel.run(obj.kind, ns, name);
    for (const r of obj.metadata.ownerReferences ?? []) this.q.ownersAdd.run(r.uid, obj.kind, ns, name);
  }
  remove(key: ObjectKey): void {
    this.q.del.run(key.kind, key.namespace, key.name);
    this.q.ownersDel.run(key.kind, key.namespace, key.name);
  }
  appendEvent(event: StoredEvent): void {
    // The object just put is written once as text, for both the table and the log.
    const text = this.lastPut?.obj === event.object ? this.lastPut.text : JSON.stringify(event.object);
    this.q.event.run(event.rv, event.type, text);
    this.parsed.written(event);
    this.wrote = true;
  }
  eventsSince(rv: number, limit: number, kind?: string): EventBatch {
    // The events table (schema v1) has no kind column. Every watcher reads every event, so an event
    // whose text cannot be of the kind is not parsed: JSON.stringify wrote its kind as `"kind":<kind>`
    // (the test only rules out; the caller still checks the kind of what is parsed). As in the
    // memory backend, a page shorter than limit means the log was read to its end.
    const mark = kind === undefined ? undefined : `"kind":${JSON.stringify(kind)}`;
    const events: StoredEvent[] = [];
    let through = rv;
    for (;;) {
      const rows = this.q.since.all(through, limit) as { rv: number; type: StoredEvent['type']; json: string }[];
      for (const r of rows) {
        through = r.rv;
        if (mark !== undefined && !r.json.includes(mark)) continue;
        events.push({ rv: r.rv, type: r.type, object: this.parsed.object(r.rv, r.json) });
        if (events.length === limit) return { events, through };
      }
      if (rows.length < limit) return { events, through };
    }
  }
  oldestRevision(): number {
    return this.q.counter.get('oldest') as number;
  }
  compact(rv: number): void {
    this.q.compact.run(rv);
    this.q.setOldest.run(rv);
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.startWatching();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopWatching();
    };
  }
  close(): void {
    this.stopWatching();
    this.listeners.clear();
    if (this.db.open) this.db.close();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }
  /** startWatching hears commits of other processes: every commit writes the -wal file. */
  private startWatching(): void {
    try {
      this.watcher = watchDir(this.dir, (_event, name) => {
        if (!name || String(name).startsWith(STORE_FILE)) this.checkRevision();
      });
      this.watcher.on('error', () => this.stopFsWatch());
    } catch {
      this.watcher = undefined;
    }
    // A safety net for file systems without inotify (network mounts) and WAL checkpoints.
    this.fallback = setInterval(() => this.checkRevision(), this.watcher ? 2000 : 100);
    this.fallback.unref();
  }
  private checkRevision(): void {
    if (!this.db.open) return;
    const rv = this.revision();
    if (rv !== this.lastSeen) {
      this.lastSeen = rv;
      this.notify();
    }
  }
  private stopFsWatch(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
  private stopWatching(): void {
    this.stopFsWatch();
    if (this.fallback) clearInterval(this.fallback);
    this.fallback = undefined;
  }
}
