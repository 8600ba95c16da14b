// engine.ts: wiring the reconciler to a store, an executor and the loaded config.
import { randomUUID } from 'node:crypto';
import { randomSuffix } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import type { Executor } from '../executors/index.ts';
import { ImageLookup } from '../images/index.ts';
import type { RunEventSink, TaskRunEngine } from '../reconciler/index.ts';
import type { Store } from '../store/index.ts';

/** ExecutorName is where Pods run. */
export type ExecutorName = 'host' | 'podman' | 'docker' | 'kubernetes';

/** loadExecutor imports only the executor asked for (start-up time is part of the product). */
export async function loadExecutor(name: ExecutorName, imageMap: Record<string, string>): Promise<Executor | { error: string }> {
  if (name === 'docker') {
    return {
      error:
        'there is no docker executor: Tektite runs Pods in containers with podman (--executor podman), which runs the same images without a Docker engine; set it up once with scripts/setup-podman.sh (apt-get install podman runc + /etc/containers/containers.conf)',
    };
  }
  if (name === 'kubernetes') {
    return { error: 'the kubernetes executor is not available yet: use --executor host (default) or --executor podman' };
  }
  if (name === 'host') {
    const { hostExecutor } = await import('../executors/host/index.ts');
    return hostExecutor();
  }
  const { podmanExecutor, checkPodman } = await import('../executors/podman/index.ts');
  const check = await checkPodman();
  if (!check.ok) return { error: check.message };
  return podmanExecutor({ imageMap });
}

/**
 * makeEngine builds the TaskRunEngine the CLI runs with. Images of command-less steps are looked up
 * in podman's storage, the state dir's cache, their registry and, on the host only, the table of
 * common images (src/images), through the same image map the podman executor applies.
 */
export function makeEngine(store: Store, executor: Executor, config: Config, emit: RunEventSink, imageMap: Record<string, string> = {}): TaskRunEngine {
  const ff = config.featureFlags;
  return {
    store,
    executor,
    config,
    entrypoints: new ImageLookup({ cacheDir: store.dir('cache', 'image-configs'), imageMap, hostTable: executor.name === 'host' }),
    podOptions: {
      entrypointImage: 'ghcr.io/tektoncd/pipeline/cmd/entrypoint:latest',
      shellImage: 'cgr.dev/chainguard/busybox:latest',
      awaitSidecarReadiness: ff.awaitSidecarReadiness,
      runningInEnvironmentWithInjectedSidecars: ff.runningInEnvironmentWithInjectedSidecars,
      resultsFromSidecarLogs: ff.resultsFrom === 'sidecar-logs',
      compressTerminationMessage: ff.enableTerminationMessageCompression,
      sidecarLogPollingIntervalMs: config.defaults.defaultSidecarLogPollingIntervalMs,
      disableCredsInit: ff.disableCredsInit,
      managedByLabelValue: config.defaults.defaultManagedByLabelValue,
      defaultForbiddenEnv: config.defaults.defaultForbiddenEnv,
    },
    now: () => new Date(),
    randomSuffix,
    newUID: randomUUID,
    emit,
  };
}
