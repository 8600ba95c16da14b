// reconciler-test-support.ts: a PipelineRun controller under test with no kubelet and no TaskRun
// reconciler: the test plays the TaskRun controller by writing child statuses into the store.
import type { Pipeline, PipelineRun, TaskRun } from '../../api/index.ts';
import { defaultConfig, type Config } from '../../config/index.ts';
import { FakeClock, storeLister, type ReconcileResult } from '../../controller/index.ts';
import { localResolver } from '../../resolution/index.ts';
import { openMemoryStore, type KObject, type ObjectStore } from '../../store/index.ts';
import { pipelineRunReconciler } from './reconciler.ts';

export const NS = 'default';

/** Harness is a store, a fake clock and the reconciler over them. */
export interface Harness {
  store: ObjectStore;
  clock: FakeClock;
  reconcile(name?: string): Promise<ReconcileResult | undefined>;
  warnings: string[];
}

export function harness(options: { parallel?: number; config?: Config } = {}): Harness {
  const store = openMemoryStore();
  const clock = new FakeClock();
  const warnings: string[] = [];
  const config = options.config ?? defaultConfig();
  // Frozen, as the informers' cached objects are shared: a reconciler that mutates what it read throws.
  const pipelineRuns = storeLister(store, 'PipelineRun', { freeze: true });
  const taskRuns = storeLister(store, 'TaskRun', { freeze: true });
  const r = pipelineRunReconciler({ store, pipelineRuns, taskRuns, clock, config, resolver: localResolver(store), parallel: options.parallel, onWarning: (m) => warnings.push(m) });
  return { store, clock, warnings, reconcile: (name = 'run') => r(`${NS}/${name}`) };
}

/** alpha is the config with alpha API fields (pipelines in pipelines) and CEL in when expressions. */
export function alpha(): Config {
  const c = defaultConfig();
  return { ...c, featureFlags: { ...c.featureFlags, enableApiFields: 'alpha', enableCelInWhenExpression: true } };
}

/** addPipeline stores a Pipeline. */
export async function addPipeline(store: ObjectStore, name: string, spec: Pipeline['spec']): Promise<void> {
  const r = await store.create({ apiVersion: 'tekton.dev/v1', kind: 'Pipeline', metadata: { name, namespace: NS }, spec } as KObject);
  if (!r.ok) throw new Error(r.message);
}

/** addRun stores a PipelineRun named `run` (unless given) with the spec. */
export async function addRun(store: ObjectStore, spec: PipelineRun['spec'], name = 'run'): Promise<void> {
  const r = await store.create({ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', metadata: { name, namespace: NS }, spec } as KObject);
  if (!r.ok) throw new Error(r.message);
}

export async function getRun(store: ObjectStore, name = 'run'): Promise<PipelineRun> {
  return (await store.get({ kind: 'PipelineRun', namespace: NS, name })) as unknown as PipelineRun;
}

/** patchRunSpec changes a PipelineRun's spec as `kubectl patch` would. */
export async function patchRunSpec(store: ObjectStore, patch: Partial<PipelineRun['spec']>, name = 'run'): Promise<void> {
  const pr = await getRun(store, name);
  const r = await store.update({ ...(pr as unknown as KObject), spec: { ...pr.spec, ...patch } });
  if (!r.ok) throw new Error(r.message);
}

/** cond is the Succeeded condition of a run. */
export function cond(run: { status?: { conditions?: { type: string; status: string; reason?: string; message?: string }[] } }) {
  const c = run.status?.conditions?.find((x) => x.type === 'Succeeded');
  return c ? { status: c.status, reason: c.reason, message: c.message } : undefined;
}

/** taskRuns lists the TaskRuns in the namespace, by name. */
export async function taskRuns(store: ObjectStore): Promise<TaskRun[]> {
  const l = await store.list('TaskRun', { namespace: NS });
  return (l.items as unknown as TaskRun[]).sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
}

export async function taskRunNames(store: ObjectStore): Promise<string[]> {
  return (await taskRuns(store)).map((t) => t.metadata.name!);
}

/** finishChild writes a final status into a child TaskRun or PipelineRun, as its own controller would. */
export async function finishChild(
  store: ObjectStore,
  name: string,
  outcome: { ok: boolean; reason?: string; results?: { name: string; value: string | string[] }[] },
  kind: 'TaskRun' | 'PipelineRun' = 'TaskRun',
): Promise<void> {
  const run = await store.get({ kind, namespace: NS, name });
  if (!run) throw new Error(`no ${kind} ${name}`);
  const reason = outcome.reason ?? (outcome.ok ? 'Succeeded' : 'Failed');
  const status = {
    conditions: [{ type: 'Succeeded', status: outcome.ok ? 'True' : 'False', reason, message: '' }],
    completionTime: '2026-12-02T00:00:00Z',
    ...(outcome.results ? { results: outcome.results.map((r) => ({ ...r, type: Array.isArray(r.value) ? 'array' : 'string' })) } : {}),
  };
  const r = await store.updateStatus({ ...run, status });
  if (!r.ok) throw new Error(r.message);
}

/** finishCancelled ends every child TaskRun whose spec asks to be cancelled (the TaskRun controller's part). */
export async function finishCancelled(store: ObjectStore): Promise<string[]> {
  const out: string[] = [];
  for (const tr of await taskRuns(store)) {
    if (tr.spec.status !== 'TaskRunCancelled' || cond(tr)) continue;
    await finishChild(store, tr.metadata.name!, { ok: false, reason: 'TaskRunCancelled' });
    out.push(tr.metadata.name!);
  }
  return out;
}

/** echo is an inline Task spec with optional results. */
export function echo(results: string[] = [], params: string[] = []) {
  return {
    params: params.map((name) => ({ name, type: 'string' as const })),
    results: results.map((name) => ({ name })),
    steps: [{ name: 's', image: 'busybox', script: 'true' }],
  };
}
