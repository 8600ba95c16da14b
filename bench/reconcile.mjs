// bench/reconcile.mjs: the control plane's own cost, with no process started: N TaskRuns created in
// the in-memory object store, reconciled by the real TaskRun controller (resolve, validate,
// substitute, build the Pod, follow it), with a fake kubelet that ends every Pod at once.
// Baseline in the same run: the same number of bare store writes (create + 4 status updates); the
// store copies each write once (frozen, shared by its 4 watches here: 2 informers, the fake kubelet
// and the done-watch), so the baseline moves with the store's own cost and the ratio shows the rest.
// `npm run build && node bench/reconcile.mjs` (BENCH_RUNS=N, default 2000). Target: >= 2,000 TaskRuns/s.
// CPU time (`/usr/bin/time -f '%U %S'`) is steadier than TaskRuns/s on a loaded machine.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultConfig } from '../dist/config/index.js';
import { realClock, SharedInformers } from '../dist/controller/index.js';
import { startControllers, taskRunReconciler } from '../dist/reconciler/index.js';
import { localResolver } from '../dist/resolution/index.js';
import { LogStore, openMemoryStore } from '../dist/store/index.js';
import { fakeKubelet } from './fake-kubelet.mjs';

let retries = 0;
const problems = {};
const N = Number(process.env.BENCH_RUNS ?? 2000);
const taskRun = (i) => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'TaskRun',
  metadata: { name: `tr-${i}`, namespace: 'default' },
  spec: {
    params: [{ name: 'who', value: `w${i}` }],
    taskSpec: { params: [{ name: 'who' }], results: [{ name: 'r' }], steps: [{ name: 's', image: 'busybox', command: ['echo'], args: ['$(params.who)'] }] },
  },
});

async function controlPlane() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-reconcile-'));
  const store = openMemoryStore();
  const config = defaultConfig();
  const informers = new SharedInformers(store, realClock);
  const reconcileTaskRun = taskRunReconciler({
    store: informers.writes,
    taskRuns: informers.lister('TaskRun'),
    pods: informers.lister('Pod'),
    resolver: localResolver(store),
    clock: realClock,
    config,
    logs: new LogStore(dir),
    randomSuffix: () => 'bcdfg',
    podOptions: { entrypointImage: 'entrypoint', shellImage: 'busybox', awaitSidecarReadiness: true, disableCredsInit: true, managedByLabelValue: 'tekton-pipelines' },
  });
  const kubelet = fakeKubelet(store, JSON.stringify([{ key: 'r', value: 'x', type: 1 }]));
  const done = new Promise((resolve) => {
    let ended = 0;
    const w = store.watch({ kind: 'TaskRun' }, (e) => {
      if (e.type === 'ERROR' || e.object.status?.conditions?.[0]?.status === 'Unknown' || !e.object.status?.completionTime) return;
      if (++ended === N) {
        w.stop();
        resolve();
      }
    });
  });
  const controllers = startControllers({
    store,
    clock: realClock,
    informers,
    reconcileTaskRun,
    reconcilePipelineRun: async () => undefined,
    workers: 4,
    onProblem: (_key, m) => {
      retries++;
      problems[m.split(/\n/)[0]] = (problems[m.split(/\n/)[0]] ?? 0) + 1;
    },
  });
  await controllers.synced;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) await store.create(taskRun(i));
  await done;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  await controllers.stop();
  kubelet.stop();
  rmSync(dir, { recursive: true, force: true });
  return ms;
}

async function bareWrites() {
  const store = openMemoryStore();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) {
    let cur = (await store.create(taskRun(i))).object;
    for (const reason of ['Started', 'Pending', 'Running', 'Succeeded'])
      cur = (await store.updateStatus({ ...cur, status: { conditions: [{ type: 'Succeeded', status: 'Unknown', reason }] } })).object;
  }
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

const base = await bareWrites();
const cp = await controlPlane();
console.log(`${N} TaskRuns, in-memory store, fake kubelet\n`);
console.log('| what | time | TaskRuns/s | / baseline |\n|---|---|---|---|');
console.log(`| baseline: bare store writes (1 create + 4 status updates each) | ${base.toFixed(0)} ms | ${(N / (base / 1000)).toFixed(0)} | 1.00× |`);
console.log(`| TaskRun controller + fake kubelet, 4 workers | ${cp.toFixed(0)} ms | ${(N / (cp / 1000)).toFixed(0)} | ${(cp / base).toFixed(2)}× |`);
console.log(`\nretried reconciles (conflicts): ${retries}${retries ? ` ${JSON.stringify(problems)}` : ''}`);
