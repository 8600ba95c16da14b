// bench/pipelinerun.mjs: the control plane's own share of a large PipelineRun, with no process
// started: the 200-Task PipelineRun of bench/pipeline-scale.mjs part (b) (4 layers of 50, inline
// taskSpec) admitted as `tektite run` admits it, reconciled by the real PipelineRun and TaskRun
// controllers over shared informers, with a fake kubelet that ends every Pod at once. On the
// in-memory store and on SQLite in a temp dir.
// Baseline in the same run: bare store writes of the same objects (each child TaskRun created and
// given its final status 3 times, its Pod created and given its final status once, and the
// PipelineRun's final status written once per Task).
// Also: how long from a TaskRun's final status until the TaskRun it makes room for is created.
// `npm run build && node bench/pipelinerun.mjs` (BENCH_TASKS=N, default 200; BENCH_PARALLEL, default
// the CLI's --parallel: cores × 2; BENCH_STORE=memory|sqlite|both). Target: ≤ 3 ms per Task all-in.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadYaml } from '../dist/api/index.js';
import { defaultConfig } from '../dist/config/index.js';
import { realClock, SharedInformers } from '../dist/controller/index.js';
import { pipelineRunReconciler, startControllers, taskRunReconciler } from '../dist/reconciler/index.js';
import { localResolver } from '../dist/resolution/index.js';
import { LogStore, openMemoryStore, openStateStore } from '../dist/store/index.js';
import { admit } from '../dist/validation/index.js';
import { runPipelineYaml } from './pipeline-scale.mjs';
import { fakeKubelet } from './fake-kubelet.mjs';

const N = Number(process.env.BENCH_TASKS ?? 200);
const LAYERS = 4;
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? availableParallelism() * 2);
const which = process.env.BENCH_STORE ?? 'both';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const cpu = (start) => {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
};

/** pipelineRun is the bench fixture, loaded and admitted (defaults set) as the CLI does. */
async function pipelineRun(store) {
  const loaded = loadYaml(runPipelineYaml(N, LAYERS), 'pipeline.yaml');
  if (loaded.problems.length) throw new Error(JSON.stringify(loaded.problems[0]));
  const obj = loaded.objects[0].object;
  obj.metadata = { name: `bench-pipeline-${N}`, namespace: 'default' };
  const r = await admit(obj, defaultConfig(), localResolver(store));
  if (!r.ok) throw new Error(r.error.toString());
  return r.object;
}

const isDone = (o) => o.status?.conditions?.some((c) => c.type === 'Succeeded' && c.status !== 'Unknown');

/** controlPlane runs the PipelineRun to its end; returns wall and CPU ms, reconcile counts and scheduling latencies. */
async function controlPlane(store, dir) {
  const config = defaultConfig();
  const informers = new SharedInformers(store, realClock);
  const resolver = localResolver(store);
  const counts = { pr: 0, tr: 0, prMs: 0, trMs: 0, retries: 0, prWrites: 0, prUnchanged: 0 };
  const reconcileTaskRun = taskRunReconciler({
    store: informers.writes,
    taskRuns: informers.lister('TaskRun'),
    pods: informers.lister('Pod'),
    resolver,
    clock: realClock,
    config,
    logs: new LogStore(dir),
    randomSuffix: () => 'bcdfg',
    podOptions: { entrypointImage: 'entrypoint', shellImage: 'busybox', awaitSidecarReadiness: true, disableCredsInit: true, managedByLabelValue: 'tekton-pipelines' },
  });
  // The PipelineRun reconciler's status writes, counted (and those that changed nothing).
  const writes = informers.writes;
  const prStore = {
    ...writes,
    updateStatus: async (obj) => {
      const r = await writes.updateStatus(obj);
      counts.prWrites++;
      if (r.ok && r.object.metadata.resourceVersion === obj.metadata.resourceVersion) counts.prUnchanged++;
      return r;
    },
  };
  const prReconcile = pipelineRunReconciler({
    store: prStore,
    pipelineRuns: informers.lister('PipelineRun'),
    taskRuns: informers.lister('TaskRun'),
    resolver,
    clock: realClock,
    config,
    parallel: PARALLEL,
  });
  const timed = (fn, k) => async (key) => {
    const t = performance.now();
    try {
      return await fn(key);
    } finally {
      counts[k]++;
      counts[`${k}Ms`] += performance.now() - t;
    }
  };
  const kubelet = fakeKubelet(store);
  // Scheduling latency: the k-th TaskRun to end frees the slot (or the parent) of the k-th TaskRun
  // created after the first batch (min(parallel, layer width) start at once): ADDED minus done.
  const doneTimes = [];
  const seenDone = new Set();
  let added = 0;
  const gaps = [];
  const batch = Math.min(PARALLEL, Math.ceil(N / LAYERS));
  const prDone = new Promise((resolve) => {
    const w = store.watch({}, (e) => {
      if (e.type === 'ERROR') return;
      const o = e.object;
      const now = performance.now();
      if (o.kind === 'TaskRun') {
        if (e.type === 'ADDED' && ++added > batch && doneTimes[added - batch - 1] !== undefined) gaps.push(now - doneTimes[added - batch - 1]);
        if (isDone(o) && !seenDone.has(o.metadata.name)) {
          seenDone.add(o.metadata.name);
          doneTimes.push(now);
        }
      } else if (o.kind === 'PipelineRun' && isDone(o)) {
        w.stop();
        resolve(o);
      }
    });
  });
  const controllers = startControllers({
    store,
    clock: realClock,
    informers,
    reconcileTaskRun: timed(reconcileTaskRun, 'tr'),
    reconcilePipelineRun: timed(prReconcile, 'pr'),
    onProblem: () => counts.retries++,
  });
  await controllers.synced;
  const pr = await pipelineRun(store);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const created = await store.create(pr);
  if (!created.ok) throw new Error(created.message);
  const final = await prDone;
  const ms = performance.now() - t0;
  const cpuMs = cpu(c0);
  const cond = final.status.conditions[0];
  if (cond.status !== 'True') throw new Error(`PipelineRun ended ${cond.reason}: ${cond.message}`);
  await controllers.stop();
  kubelet.stop();
  return { ms, cpuMs, counts, gaps };
}

/** bareWrites writes the objects the control plane wrote (read back from its store) into a fresh store. */
async function bareWrites(from, to) {
  const list = async (kind) => (await from.list(kind, { namespace: 'default' })).items;
  const taskRuns = await list('TaskRun');
  const pods = await list('Pod');
  const [pr] = await list('PipelineRun');
  const fresh = (o) => ({
    ...o,
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, labels: o.metadata.labels, annotations: o.metadata.annotations },
    status: undefined,
  });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let cur = (await to.create(fresh(pr))).object;
  for (let i = 0; i < taskRuns.length; i++) {
    let tr = (await to.create(fresh(taskRuns[i]))).object;
    for (let k = 0; k < 3; k++) tr = (await to.updateStatus({ ...tr, status: { ...taskRuns[i].status, podName: `p${k}` } })).object;
    const pod = (await to.create(fresh(pods[i]))).object;
    await to.updateStatus({ ...pod, status: pods[i].status });
    cur = (await to.updateStatus({ ...cur, status: { ...pr.status, conditions: [{ ...pr.status.conditions[0], message: `${i}` }] } })).object;
  }
  return { ms: performance.now() - t0, cpuMs: cpu(c0) };
}

async function bench(kind) {
  const dirs = [];
  const open = async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-pipelinerun-'));
    dirs.push(dir);
    if (kind === 'memory') return { store: openMemoryStore(), dir };
    const r = await openStateStore(dir);
    if (!r.ok) throw new Error(r.message);
    return { store: r.store, dir };
  };
  try {
    const a = await open();
    const cp = await controlPlane(a.store, a.dir);
    const b = await open();
    const base = await bareWrites(a.store, b.store);
    await a.store.close();
    await b.store.close();
    return { cp, base };
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

console.log(`Node ${process.version}; PipelineRun of ${N} Tasks (${LAYERS} layers), parallel ${PARALLEL}, fake kubelet\n`);
console.log('| store | what | wall | ms per Task | CPU | / baseline (wall) |\n|---|---|---|---|---|---|');
const details = [];
for (const kind of which === 'both' ? ['memory', 'sqlite'] : [which]) {
  const { cp, base } = await bench(kind);
  const row = (what, r) => `| ${kind} | ${what} | ${r.ms.toFixed(0)} ms | ${(r.ms / N).toFixed(2)} | ${r.cpuMs.toFixed(0)} ms | ${(r.ms / base.ms).toFixed(2)}× |`;
  console.log(row('baseline: bare store writes of the same objects', base));
  console.log(row('PipelineRun + TaskRun controllers', cp));
  const c = cp.counts;
  details.push(
    `${kind}: ${c.pr} PipelineRun reconciles (${c.prMs.toFixed(0)} ms, ${(c.prMs / Math.max(1, c.pr)).toFixed(2)} ms each; ${c.prWrites} status writes, ${c.prUnchanged} of them unchanged), ${c.tr} TaskRun reconciles (${c.trMs.toFixed(0)} ms), ${c.retries} retried; ` +
      `TaskRun done → dependant created: median ${median(cp.gaps).toFixed(2)} ms, max ${Math.max(0, ...cp.gaps).toFixed(2)} ms (${cp.gaps.length})`,
  );
}
console.log(`\n${details.join('\n')}`);
