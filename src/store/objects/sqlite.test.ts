import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { sharingContract } from './contract-sharing-test-support.ts';
import { collect, objectStoreContract, type StoreFactory, taskRun } from './contract-test-support.ts';
import { openSqliteStore, SCHEMA_VERSION, STORE_FILE } from './sqlite.ts';
import type { KObject, ObjectStore } from './types.ts';

const tempDir = () => mkdtempSync(join(tmpdir(), 'tektite-store-'));

function open(dir: string, options = {}): ObjectStore {
  const r = openSqliteStore(dir, options);
  if (!r.ok) assert.fail(r.message);
  return r.store;
}

const factory: StoreFactory = async (options) => {
  const dir = tempDir();
  const store = open(dir, options);
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
objectStoreContract('sqlite store', factory);
sharingContract('sqlite store', factory);

// A second tektite process: a node child that opens the same state dir and runs a script against it.
function child(dir: string, body: string): Promise<string> {
  const src = `import { openSqliteStore } from ${JSON.stringify(new URL('./sqlite.ts', import.meta.url).pathname)};
const r = openSqliteStore(${JSON.stringify(dir)}); if (!r.ok) { console.error(r.message); process.exit(3); }
const s = r.store; ${body}; await s.close();`;
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', src], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (b) => (out += b));
    p.stderr.on('data', (b) => (err += b));
    p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exit ${code}: ${err}`))));
  });
}

describe('sqlite store across processes', () => {
  it('keeps objects and the resourceVersion across close and reopen', async () => {
    const dir = tempDir();
    try {
      const a = open(dir);
      const created = await a.create(taskRun('kept'));
      assert.ok(created.ok);
      await a.close();
      const b = open(dir);
      const got = await b.get({ kind: 'TaskRun', namespace: 'default', name: 'kept' });
      assert.equal(got?.metadata.uid, created.ok ? created.object.metadata.uid : '');
      const next = await b.create(taskRun('next'));
      assert.ok(next.ok && Number(next.object.metadata.resourceVersion) > Number(got?.metadata.resourceVersion));
      await b.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('delivers changes made by another process to a watch', async () => {
    const dir = tempDir();
    const s = open(dir);
    try {
      const from = (await s.list('TaskRun')).resourceVersion;
      const seen = collect(s, { kind: 'TaskRun', resourceVersion: from }, (e) => e.length === 2);
      await child(dir, `await s.create({apiVersion:'tekton.dev/v1',kind:'TaskRun',metadata:{name:'x'},spec:{}}); await s.delete({kind:'TaskRun',namespace:'default',name:'x'});`);
      const events = await seen;
      assert.deepEqual(
        events.map((e) => e.type),
        ['ADDED', 'DELETED'],
      );
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loses no update when two processes increment one object with compare-and-swap', async () => {
    const dir = tempDir();
    const s = open(dir);
    try {
      assert.ok((await s.create(taskRun('counter'))).ok);
      const loop = `const key={kind:'TaskRun',namespace:'default',name:'counter'}; let conflicts=0;
        for (let i=0;i<40;i++) { for(;;) { const cur=await s.get(key); const r=await s.updateStatus({...cur,status:{n:(cur.status?.n??0)+1}});
          if (r.ok) break; if (r.reason!=='Conflict') throw new Error(r.message); conflicts++; } }`;
      await Promise.all([child(dir, loop), child(dir, loop)]);
      const final = (await s.get({ kind: 'TaskRun', namespace: 'default', name: 'counter' })) as KObject;
      assert.deepEqual(final.status, { n: 80 });
    } finally {
      await s.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sqlite store: unusable state dirs', () => {
  const refused = (dir: string) => {
    const r = openSqliteStore(dir);
    assert.equal(r.ok, false);
    return r.ok ? '' : r.message;
  };

  it('refuses a store written by a newer Tektite', async () => {
    const dir = tempDir();
    try {
      await open(dir).close();
      const db = new Database(join(dir, STORE_FILE));
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
      assert.match(refused(dir), new RegExp(`written by a newer Tektite \\(store schema ${SCHEMA_VERSION + 1}; this version reads up to ${SCHEMA_VERSION}\\)`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a foreign SQLite database and a file that is not one', () => {
    const dir = tempDir();
    try {
      const db = new Database(join(dir, STORE_FILE));
      db.exec('CREATE TABLE mine(x)');
      db.close();
      assert.match(refused(dir), /is an SQLite database but not a Tektite state store/);
      rmSync(join(dir, STORE_FILE));
      writeFileSync(join(dir, STORE_FILE), 'x'.repeat(4096));
      assert.match(refused(dir), /not an SQLite database/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a state dir that is a file', () => {
    const dir = tempDir();
    try {
      writeFileSync(join(dir, 'file'), '');
      assert.match(refused(join(dir, 'file')), /cannot open the state store .*file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
