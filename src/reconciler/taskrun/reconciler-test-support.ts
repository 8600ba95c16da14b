// reconciler-test-support: a TaskRun reconciler over the memory store, a FakeClock and the fake
// kubelet, and a driver that reconciles until nothing changes any more.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TaskRun, TaskRunStatus, TaskSpec } from '../../api/index.ts';
import { defaultConfig, type Config } from '../../config/index.ts';
import { FakeClock, storeLister, type ReconcileResult } from '../../controller/index.ts';
import { localResolver } from '../../resolution/index.ts';
import { LogStore, openMemoryStore, type KObject, type ObjectStore } from '../../store/index.ts';
import { FakeKubelet } from './fake-kubelet-test-support.ts';
import type { StoredPod } from './pod-create.ts';
import { taskRunReconciler, type TaskRunReconcilerDeps } from './reconciler.ts';

export const KEY = 'default/tr';

/** Harness is one reconciler with its store, clock, kubelet and what it warned about. */
export interface Harness {
  store: ObjectStore;
  clock: FakeClock;
  kubelet: FakeKubelet;
  deps: TaskRunReconcilerDeps;
  warnings: string[];
  reconcile(key?: string): Promise<ReconcileResult | undefined>;
  /** settle reconciles (and lets the kubelet handle deletions) until the store stops changing; returns the last result. */
  settle(key?: string): Promise<ReconcileResult | undefined>;
  taskRun(name?: string): Promise<TaskRun & KObject>;
  pods(): Promise<StoredPod[]>;
  close(): Promise<void>;
}

/** harness builds a Harness; tweak adjusts the config (feature flags) first. */
export function harness(tweak: (c: Config) => void = () => {}, store: ObjectStore = openMemoryStore()): Harness {
  const clock = new FakeClock('2026-12-02T00:00:00Z');
  const dir = mkdtempSync(join(tmpdir(), 'tektite-taskrun-reconciler-'));
  const logs = new LogStore(dir);
  const config = defaultConfig();
  tweak(config);
  const warnings: string[] = [];
  const deps: TaskRunReconcilerDeps = {
    store,
    // Frozen, as the informers' cached objects are shared: a reconciler that mutates what it read throws.
    taskRuns: storeLister(store, 'TaskRun', { freeze: true }),
    pods: storeLister(store, 'Pod', { freeze: true }),
    resolver: localResolver(store),
    clock,
    config,
    podOptions: {
      entrypointImage: 'ghcr.io/tektoncd/pipeline/cmd/entrypoint:latest',
      shellImage: 'cgr.dev/chainguard/busybox:latest',
      awaitSidecarReadiness: config.featureFlags.awaitSidecarReadiness,
      runningInEnvironmentWithInjectedSidecars: false,
      resultsFromSidecarLogs: config.featureFlags.resultsFrom === 'sidecar-logs',
      disableCredsInit: true,
      managedByLabelValue: 'tekton-pipelines',
    },
    randomSuffix: () => 'bcdfg',
    logs,
    onWarning: (m) => warnings.push(m),
  };
  const reconcile = taskRunReconciler(deps);
  const kubelet = new FakeKubelet(store, clock, logs);
  const revision = async () => (await store.list('TaskRun')).resourceVersion;
  return {
    store,
    clock,
    kubelet,
    deps,
    warnings,
    reconcile: (key = KEY) => reconcile(key),
    async settle(key = KEY) {
      for (let i = 0; i < 20; i++) {
        const before = await revision();
        const r = await reconcile(key);
        await kubelet.processDeletions();
        if ((await revision()) === before) return r;
      }
      throw new Error('the reconciler never settled');
    },
    async taskRun(name = 'tr') {
      const tr = await store.get<TaskRun & KObject>({ kind: 'TaskRun', namespace: 'default', name });
      if (!tr) throw new Error(`no TaskRun ${name}`);
      return tr;
    },
    pods: () => kubelet.pods(),
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** taskRun is a TaskRun named `tr` in `default`. */
export function taskRun(spec: TaskRun['spec'], metadata: { annotations?: Record<string, string>; labels?: Record<string, string> } = {}): TaskRun & KObject {
  return { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'tr', namespace: 'default', ...metadata }, spec };
}

/** task is a Task named `t` in `default`. */
export function task(spec: TaskSpec, name = 't'): KObject {
  return { apiVersion: 'tekton.dev/v1', kind: 'Task', metadata: { name, namespace: 'default' }, spec };
}

/** oneStep is a TaskSpec with one script step `a`. */
export function oneStep(extra: Partial<TaskSpec> = {}): TaskSpec {
  return { steps: [{ name: 'a', image: 'busybox', script: 'echo hi' }], ...extra };
}

/** succeeded is the Succeeded condition of a status. */
export function succeeded(status: TaskRunStatus | undefined) {
  return status?.conditions?.find((c) => c.type === 'Succeeded');
}

/** create puts objects in the store, failing the test on a refusal. */
export async function create(store: ObjectStore, ...objs: KObject[]): Promise<void> {
  for (const o of objs) {
    const r = await store.create(o);
    if (!r.ok) throw new Error(r.message);
  }
}
