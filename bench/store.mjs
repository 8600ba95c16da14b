// bench/store.mjs: the object store's write and watch cost, as ratios to a baseline measured in the
// same run: each state written to its own JSON file (temp file + rename; the store Tektite had
// before the object store).
// `npm run build && node bench/store.mjs` (BENCH_RUNS=N TaskRuns, default 2000).
//
// Per TaskRun: one create and four status updates (what a TaskRun's life writes), then a watch
// from the start of the run must have seen every event.
import { closeSync, fsyncSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openMemoryStore } from '../dist/store/objects/memory.js';
import { openSqliteStore } from '../dist/store/objects/sqlite.js';

const N = Number(process.env.BENCH_RUNS ?? 2000);
const tr = (i) => ({ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: `tr-${i}`, labels: { 'tekton.dev/pipelineRun': 'p' } }, spec: { taskRef: { name: 't' } } });
const states = ['Pending', 'Running', 'Finishing', 'Succeeded']; // four different statuses: an update that changes nothing is no event

async function objectStore(store) {
  const from = (await store.list('TaskRun')).resourceVersion;
  let seen = 0;
  const all = new Promise((resolve) => {
    const w = store.watch({ kind: 'TaskRun', resourceVersion: from }, () => {
      if (++seen === N * 5) {
        w.stop();
        resolve();
      }
    });
  });
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    let cur = (await store.create(tr(i))).object;
    for (const s of states) cur = (await store.updateStatus({ ...cur, status: { conditions: [{ type: 'Succeeded', status: 'Unknown', reason: s }] } })).object;
  }
  const writes = Number(process.hrtime.bigint() - t0) / 1e6;
  await all;
  const watched = Number(process.hrtime.bigint() - t0) / 1e6;
  return { writes, watched };
}

/** fileStore is the baseline: one file per object, replaced atomically, the final state fsynced. */
function fileStore(dir) {
  const store = {
    put(o, { sync }) {
      const d = join(dir, 'objects', 'default', 'taskrun');
      mkdirSync(d, { recursive: true });
      const file = join(d, `${o.metadata.name}.json`);
      writeFileSync(`${file}.tmp`, JSON.stringify(o));
      if (sync) {
        const fd = openSync(`${file}.tmp`, 'r');
        fsyncSync(fd);
        closeSync(fd);
      }
      renameSync(`${file}.tmp`, file);
    },
  };
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    const o = tr(i);
    store.put(o, { sync: false });
    for (const s of states) store.put({ ...o, status: { conditions: [{ type: 'Succeeded', status: 'Unknown', reason: s }] } }, { sync: s === 'Succeeded' });
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const dirs = [mkdtempSync(join(tmpdir(), 'bench-store-')), mkdtempSync(join(tmpdir(), 'bench-store-'))];
try {
  const file = fileStore(dirs[0]);
  const mem = await objectStore(openMemoryStore());
  const opened = openSqliteStore(dirs[1]);
  if (!opened.ok) throw new Error(opened.message);
  const sql = await objectStore(opened.store);
  await opened.store.close();
  const row = (name, ms, base) => `| ${name} | ${ms.toFixed(0)} ms | ${((N * 5) / (ms / 1000)).toFixed(0)} writes/s | ${(ms / base).toFixed(2)}× |`;
  console.log(`${N} TaskRuns × (1 create + 4 status updates) = ${N * 5} writes\n`);
  console.log('| store | time | throughput | / JSON files |\n|---|---|---|---|');
  console.log(row('JSON files (temp + rename; fsync on the final status)', file, file));
  console.log(row('object store, memory', mem.writes, file));
  console.log(row('object store, SQLite (WAL, one transaction per write)', sql.writes, file));
  console.log(`\nwatch: every event delivered ${(sql.watched - sql.writes).toFixed(0)} ms after the last SQLite write (memory: ${(mem.watched - mem.writes).toFixed(0)} ms)`);
} finally {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
