// local-engine.ts: one process's control plane on a state dir — the TaskRun and PipelineRun
// controllers and a kubelet on the chosen backend, wired as on a cluster (knative's sharedmain plus
// a kubelet): they meet only through the object store. `tektite run` and `tektite controller`
// both start one; the CLI's live output hears the store's changes and the kubelet's log stream.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomSuffix, TektonLabel, type PipelineRun, type TaskRun } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import { realClock, SharedInformers, type Clock } from '../controller/index.ts';
import type { Executor } from '../executors/index.ts';
import { ImageLookup } from '../images/index.ts';
import { RESULTS_SIDECAR } from '../pod/index.ts';
import { startKubelet, type Kubelet } from '../kubelet/index.ts';
import { pipelineRunReconciler, startControllers, taskRunReconciler, type Controllers, type RunEventSink } from '../reconciler/index.ts';
import { localResolver } from '../resolution/index.ts';
import { LogStore, type KObject, type ObjectStore } from '../store/index.ts';

/** LocalEngineOptions say where runs are kept and run. */
export interface LocalEngineOptions {
  store: ObjectStore;
  stateDir: string;
  executor: Executor;
  config: Config;
  imageMap: Record<string, string>;
  /** parallel bounds the TaskRuns one PipelineRun runs at once. */
  parallel?: number;
  emit: RunEventSink;
  /** onRunChange hears every TaskRun and PipelineRun change the controllers' informers hear (a RunWaiter). */
  onRunChange?(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KObject): void;
  clock?: Clock;
  /**
   * onStorageFailure hears that the store refused a write for a reason retrying will not fix soon
   * (a full disk, a read-only or damaged file): runs cannot be recorded any more.
   */
  onStorageFailure?(message: string): void;
}

/** LocalEngine is a running control plane; stop ends the controllers, then the kubelet (which kills what it still runs). */
export interface LocalEngine {
  controllers: Controllers;
  kubelet: Kubelet;
  /**
   * settle waits, at most timeoutMs, until no Pod runs and no reconcile is pending: what follows a
   * run's end (its sidecars stopped and their states recorded) is done before the process stops.
   */
  settle(timeoutMs: number, signal?: AbortSignal): Promise<void>;
  stop(): Promise<void>;
}

/** startLocalEngine starts controllers and a kubelet over one store. */
export function startLocalEngine(o: LocalEngineOptions): LocalEngine {
  const clock = o.clock ?? realClock;
  const ff = o.config.featureFlags;
  const logs = new LogStore(o.stateDir);
  const resolver = localResolver(o.store);
  // The store words every refusal of the disk or file as "the state store: ..." (store/objects/sqlite.ts).
  const storage = (message: string) => {
    if (message.includes('the state store: ')) o.onStorageFailure?.(message);
  };
  const onWarning = (message: string) => {
    storage(message);
    o.emit({ type: 'warning', message });
  };
  // Images of command-less steps are looked up in podman's storage, the state dir's cache, their
  // registry and, on the host only, the table of common images (src/images), through the image map.
  const images = new ImageLookup({ cacheDir: join(o.stateDir, 'cache', 'image-configs'), imageMap: o.imageMap, hostTable: o.executor.name === 'host' });
  // The reconcilers read through the informers' caches (Tekton's listers) and write to the store.
  const informers = new SharedInformers(o.store, clock);
  const reconcileTaskRun = taskRunReconciler({
    store: informers.writes,
    taskRuns: informers.lister('TaskRun'),
    pods: informers.lister('Pod'),
    resolver,
    clock,
    config: o.config,
    logs,
    entrypoints: images,
    randomSuffix,
    onWarning,
    podOptions: {
      entrypointImage: 'ghcr.io/tektoncd/pipeline/cmd/entrypoint:latest',
      shellImage: 'cgr.dev/chainguard/busybox:latest',
      awaitSidecarReadiness: ff.awaitSidecarReadiness,
      runningInEnvironmentWithInjectedSidecars: ff.runningInEnvironmentWithInjectedSidecars,
      resultsFromSidecarLogs: ff.resultsFrom === 'sidecar-logs',
      compressTerminationMessage: ff.enableTerminationMessageCompression,
      sidecarLogPollingIntervalMs: o.config.defaults.defaultSidecarLogPollingIntervalMs,
      disableCredsInit: ff.disableCredsInit,
      managedByLabelValue: o.config.defaults.defaultManagedByLabelValue,
      defaultForbiddenEnv: o.config.defaults.defaultForbiddenEnv,
    },
  });
  const reconcilePipelineRun = pipelineRunReconciler({
    store: informers.writes,
    pipelineRuns: informers.lister('PipelineRun'),
    taskRuns: informers.lister('TaskRun'),
    resolver,
    clock,
    config: o.config,
    parallel: o.parallel,
    onWarning,
  });
  const controllers = startControllers({
    store: o.store,
    clock,
    informers,
    reconcileTaskRun,
    reconcilePipelineRun,
    onChange: (type, obj: KObject) => {
      o.onRunChange?.(type, obj);
      if (obj.kind === 'TaskRun') o.emit({ type: 'taskrun', taskRun: obj as unknown as TaskRun });
      else if (obj.kind === 'PipelineRun') o.emit({ type: 'pipelinerun', pipelineRun: obj as unknown as PipelineRun });
    },
    onProblem: (key, message) => {
      storage(message);
      // Conflicts are normal (another writer was first); a reconcile that threw is a bug worth showing.
      if (message.startsWith('reconcile threw')) onWarning(`${key}: ${message}`);
    },
  });
  const kubelet = startKubelet({
    store: o.store,
    logs,
    backend: o.executor,
    stateDir: o.stateDir,
    clock,
    images,
    onLog: (pod, chunk) => {
      // The results sidecar's output is the controller's to read, not the user's (it stays in its log file).
      if (chunk.container === RESULTS_SIDECAR) return;
      const labels = pod.metadata?.labels ?? {};
      const taskRun = labels[TektonLabel.TaskRun] ?? pod.metadata?.name ?? '';
      o.emit({ type: 'log', taskRun, pipelineTask: labels[TektonLabel.PipelineTask], task: labels[TektonLabel.Task] ?? taskRun, ...chunk });
    },
    onWarning: (_pod, message) => onWarning(message),
    onProblem: storage,
  });
  return {
    controllers,
    kubelet,
    async settle(timeoutMs, signal) {
      const deadline = Date.now() + timeoutMs;
      const settled = async () => {
        // Polled, as Kubelet.idle is: the last Pod's end and its owner's reconcile follow within milliseconds.
        while (Date.now() < deadline && !signal?.aborted) {
          await kubelet.idle();
          if (controllers.quiet()) return;
          await sleep(5);
        }
      };
      await Promise.race([settled(), sleep(timeoutMs, undefined, { ref: false })]);
    },
    async stop() {
      await controllers.stop();
      await kubelet.stop();
    },
  };
}
