// reconcile.ts: the TaskRun state machine: resolve, validate, substitute, build the Pod, run it
// on an executor, and turn container states into status; timeouts, cancel and retries.
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { LimitRange, TaskRun, TaskRunStatus, TaskSpec } from '../../api/index.ts';
import { TaskRunReason, TektonLabel } from '../../api/index.ts';
import { setTaskRunDefaults, setTaskSpecDefaults } from '../../api/defaults/index.ts';
import type { Config } from '../../config/index.ts';
import { parseGoDuration } from '../../duration/index.ts';
import type { Executor } from '../../executors/index.ts';
import { applyLimitRanges, buildPod, lookupStepEntrypoints, type EntrypointCache, type PodBuildOptions } from '../../pod/index.ts';
import type { Store, StoredObject } from '../../store/index.ts';
import { applyTaskSubstitutions } from '../../substitution/index.ts';
import { validateTaskRunParams, validateTaskRunWorkspaces } from '../../validation/index.ts';
import { resolveWorkspaces } from '../../workspaces/index.ts';
import type { RunEventSink } from '../events.ts';
import { storeVolumeSources } from '../volume-sources.ts';
import { LogFiles } from './logs.ts';
import { imagePullFailure } from './image-pull.ts';
import { condition, k8sTime, makeTaskRunStatusFromPod, markTaskRunCancelled, markTaskRunTimedOut, prepareRetry, setCondition } from './status-index.ts';
import { podCreationFailure, podFailure } from './pod-failure.ts';
import { resolveTask } from './resolve.ts';
import { resolveStepActions } from './stepactions.ts';
import { RESULTS_CONTAINER, SidecarLogResults, sizeExceededMessage } from './sidecar-logs.ts';

/** TaskRunEngine is what the TaskRun reconciler needs from the outside; tests and the CLI build one. */
export interface TaskRunEngine {
  store: Store;
  executor: Executor;
  config: Config;
  podOptions: Omit<PodBuildOptions, 'randomSuffix'>;
  now(): Date;
  randomSuffix(): string;
  newUID(): string;
  emit: RunEventSink;
  /** entrypoints looks up the images of steps without a command; without it they get none (the entrypoint says so). */
  entrypoints?: EntrypointCache;
  /** pipelineTask labels the logs of a PipelineRun's child. */
  pipelineTask?: string;
}

/** runTaskRun drives one TaskRun to completion and returns it with its final status. */
export async function runTaskRun(input: TaskRun, engine: TaskRunEngine, signal: AbortSignal): Promise<TaskRun> {
  const tr = setTaskRunDefaults(structuredClone(input), engine.config) as TaskRun;
  const now = () => engine.now();
  tr.metadata.namespace ??= 'default';
  tr.metadata.uid ??= engine.newUID();
  tr.metadata.creationTimestamp ??= now().toISOString();
  tr.status = setCondition<TaskRunStatus>({ startTime: k8sTime(now()) }, { status: 'Unknown', reason: TaskRunReason.Started, message: '' }, now());
  // Only a final status is fsynced; intermediate ones are superseded (still written atomically).
  const save = (sync = false) => {
    const r = engine.store.put(tr as never, { sync });
    engine.emit({ type: 'taskrun', taskRun: tr });
    return r;
  };
  const saved = save();
  if (!saved.ok) return finish(tr, 'Failed', TaskRunReason.Failed, saved.message, now());

  if (tr.spec.status === 'TaskRunPending') {
    tr.status = setCondition(tr.status, { status: 'Unknown', reason: TaskRunReason.TaskRunPending, message: `TaskRun ${JSON.stringify(tr.metadata.name)} is pending` }, now());
    save(true);
    return tr;
  }
  if (tr.spec.status === 'TaskRunCancelled') {
    tr.status = markTaskRunCancelled(tr.status, tr.metadata.name!, tr.spec.statusMessage, undefined, now());
    save(true);
    return tr;
  }

  // Pod directories are removed in the background while statuses are computed and saved; the
  // run is returned only once they are gone.
  const cleanups: Promise<void>[] = [];
  const resolved = resolveTask(tr, engine.store);
  if (!resolved.ok) return done(finish(tr, 'False', resolved.reason, resolved.message, now()));
  if (resolved.task) tr.metadata.labels = { ...tr.metadata.labels, [TektonLabel.Task]: resolved.taskName };
  // GetStepActionsData runs on the defaulted spec; the resolved steps are defaulted again after.
  const actions = resolveStepActions(setTaskSpecDefaults(resolved.spec), tr, engine.store);
  if (!actions.ok) return done(finish(tr, 'False', actions.reason, actions.message, now()));
  const spec = setTaskSpecDefaults(actions.spec) as TaskSpec;
  tr.status!.taskSpec = spec;

  const paramErr = validateTaskRunParams(spec, tr.spec.params ?? []);
  if (paramErr) {
    return done(finish(tr, 'False', TaskRunReason.ValidationFailed, `[User error] invalid input params for task ${resolved.taskName}: ${paramErr.toString()}`, now()));
  }
  const wsErr = validateTaskRunWorkspaces(spec, tr.spec.workspaces ?? [], tr.spec.taskSpec !== undefined);
  if (wsErr) {
    return done(finish(tr, 'False', TaskRunReason.ValidationFailed, `[User error] invalid input workspaces for task ${resolved.taskName}: ${wsErr.toString()}`, now()));
  }

  for (;;) {
    if (signal.aborted) {
      if (typeof signal.reason === 'string') tr.spec.statusMessage ??= signal.reason;
      tr.status = markTaskRunCancelled(tr.status, tr.metadata.name!, tr.spec.statusMessage, undefined, now());
      break;
    }
    const attempt = tr.status!.retriesStatus?.length ?? 0;
    await runAttempt(tr, spec, resolved.taskName, attempt, engine, signal, cleanups);
    const c = condition(tr.status);
    const retryable = c?.status === 'False' && c.reason !== TaskRunReason.Cancelled && !signal.aborted;
    if (retryable && attempt < (tr.spec.retries ?? 0)) {
      tr.status = prepareRetry(tr.status, now());
      save();
      continue;
    }
    break;
  }
  return done(tr);

  async function done(t: TaskRun): Promise<TaskRun> {
    t.status!.completionTime ??= k8sTime(now());
    save(true);
    await Promise.all(cleanups);
    return t;
  }
}

/** runAttempt builds and runs one Pod for the TaskRun (a first try or a retry), updating tr.status. */
async function runAttempt(tr: TaskRun, spec: TaskSpec, taskName: string, attempt: number, engine: TaskRunEngine, signal: AbortSignal, cleanups: Promise<void>[]): Promise<void> {
  const now = () => engine.now();
  const ns = tr.metadata.namespace!;
  const ws = resolveWorkspaces(spec.workspaces ?? [], tr.spec.workspaces ?? [], tr);
  const substituted = applyTaskSubstitutions(spec, {
    params: tr.spec.params ?? [],
    taskRun: { name: tr.metadata.name!, namespace: ns, uid: tr.metadata.uid! },
    taskName,
    retryCount: attempt,
    workspaces: ws.workspaces,
  });
  // Tekton looks up command-less steps' images while building the Pod (pod.go Build → resolveEntrypoints);
  // a failed lookup fails the Pod's creation (taskrun.go handlePodCreationError's default case).
  const lookup = engine.entrypoints ? await lookupStepEntrypoints(substituted, engine.entrypoints, signal) : undefined;
  if (lookup && !lookup.ok) {
    // A lookup cut short by a cancel says nothing about the image: the TaskRun was cancelled.
    if (signal.aborted) {
      if (typeof signal.reason === 'string') tr.spec.statusMessage ??= signal.reason;
      tr.status = markTaskRunCancelled(tr.status!, tr.metadata.name!, tr.spec.statusMessage, undefined, now());
      return;
    }
    finish(tr, 'False', TaskRunReason.PodCreationFailed, podCreationFailure(tr, `translating TaskSpec to Pod: ${lookup.error}`), now());
    return;
  }
  const built = buildPod(tr, substituted, ws, { ...engine.podOptions, randomSuffix: engine.randomSuffix, entrypoints: lookup?.resolved });
  if ('error' in built) {
    finish(
      tr,
      'False',
      TaskRunReason.PodCreationFailed,
      `failed to create task run pod ${JSON.stringify(tr.metadata.name)}: ${built.error.toString()}. Maybe invalid TaskSpec`,
      now(),
    );
    return;
  }
  // A cluster applies the namespace's LimitRanges when the Pod is created, and may refuse it.
  const limited = applyLimitRanges(built.pod, engine.store.list<LimitRange & StoredObject>('LimitRange', ns));
  if ('forbidden' in limited) {
    finish(
      tr,
      'False',
      TaskRunReason.PodCreationFailed,
      `failed to create task run pod ${JSON.stringify(tr.metadata.name)}: pods ${JSON.stringify(built.pod.metadata!.name)} is forbidden: [${limited.forbidden.join(', ')}]. Maybe invalid TaskSpec`,
      now(),
    );
    return;
  }
  const pod: V1Pod = limited.pod;
  tr.status!.podName = pod.metadata!.name!;
  tr.status!.startTime ??= k8sTime(now());

  const timeoutMs = timeoutOf(tr);
  const abort = new AbortController();
  let why: 'timeout' | 'cancel' | undefined;
  const onCancel = () => {
    why ??= 'cancel';
    // A PipelineRun cancels its children with a reason that Tekton puts in spec.statusMessage.
    if (typeof signal.reason === 'string') tr.spec.statusMessage ??= signal.reason;
    abort.abort();
  };
  signal.addEventListener('abort', onCancel, { once: true });
  const elapsed = now().getTime() - Date.parse(tr.status!.startTime!);
  const timer =
    timeoutMs > 0
      ? setLongTimeout(
          () => {
            why ??= 'timeout';
            abort.abort();
          },
          Math.max(0, timeoutMs - elapsed),
        )
      : undefined;

  // results-from=sidecar-logs: the results sidecar's output is read as it streams, like the
  // controller reads its container log; it is not shown with the steps' logs (it stays in its log file).
  const sidecarLogs = new SidecarLogResults(engine.config.featureFlags.maxResultSize);
  const observe = (podStatus: V1PodStatus) => {
    // Once cancelled or timed out, the kills are ours: they must not read as step failures.
    if (why) return;
    const { status } = makeTaskRunStatusFromPod({ taskRun: tr, taskSpec: spec, pod, podStatus, now: now(), sidecarLogResults: sidecarLogs.results() });
    tr.status = { ...tr.status, ...status };
    engine.emit({ type: 'taskrun', taskRun: tr });
  };
  let workDir: string | undefined;
  let logs: LogFiles | undefined;
  let final: V1PodStatus | undefined;
  let environmentError: string | undefined;
  try {
    workDir = mkdtempSync(join(engine.store.dir('pods'), `${pod.metadata!.name}-`));
    const logFiles = new LogFiles(engine.store.dir('logs', ns, tr.metadata.name!), (container, message) =>
      engine.emit({ type: 'warning', message: `the log file of ${tr.metadata.name}/${container} is incomplete: ${message}` }),
    );
    logs = logFiles;
    final = await engine.executor.runPod(pod, {
      signal: abort.signal,
      workDir,
      volumes: storeVolumeSources(engine.store),
      onLog: (chunk) => {
        logFiles.write(chunk.container, chunk.data);
        if (chunk.container === RESULTS_CONTAINER) return sidecarLogs.push(chunk.data);
        engine.emit({ type: 'log', taskRun: tr.metadata.name!, pipelineTask: engine.pipelineTask, task: taskName, ...chunk });
      },
      onStatus: observe,
      onWarning: (message) => engine.emit({ type: 'warning', message }),
      images: engine.entrypoints,
    });
  } catch (e) {
    // A full disk or a read-only state dir is the machine's problem, not a bug: fail the run with it.
    const err = e as NodeJS.ErrnoException;
    if (typeof err?.code !== 'string') throw e;
    environmentError = `${err.code}: ${err.message}`;
  } finally {
    timer?.cancel();
    signal.removeEventListener('abort', onCancel);
    await logs?.close();
    if (workDir) cleanups.push(rm(workDir, { recursive: true, force: true }).catch(() => {}));
  }
  if (environmentError !== undefined || !final) {
    finish(
      tr,
      'False',
      TaskRunReason.PodCreationFailed,
      `failed to run the pod ${JSON.stringify(pod.metadata!.name)} of TaskRun ${JSON.stringify(tr.metadata.name)}: ${environmentError}`,
      now(),
    );
    return;
  }
  const pull = imagePullFailure(tr.metadata.name!, final);
  if (why === 'timeout') {
    tr.status = markTaskRunTimedOut(tr.status!, tr.metadata.name!, tr.spec.timeout ?? '', final, now());
  } else if (why === 'cancel') {
    tr.status = markTaskRunCancelled(tr.status!, tr.metadata.name!, tr.spec.statusMessage, final, now());
  } else if (pull) {
    observe(final);
    finish(tr, 'False', TaskRunReason.ImagePullFailed, pull, now());
  } else {
    const read = sidecarLogs.finish();
    observe(final);
    const c = condition(tr.status!);
    if (read.error && !read.error.sizeExceeded) {
      // Tekton's reconcile returns such an error and retries; the status stays as the containers say.
      engine.emit({ type: 'warning', message: `${tr.metadata.name}: cannot read results from the ${RESULTS_CONTAINER} container's log: ${read.error.message}` });
    }
    if (read.error?.sizeExceeded) {
      // taskrun.go ReconcileKind: ErrSizeExceeded fails the TaskRun whatever its steps did.
      finish(tr, 'False', TaskRunReason.ResultLargerThanAllowedLimit, sizeExceededMessage(tr.metadata.name!, read.error.message), now());
    } else if (c?.status === 'Unknown') {
      // The executor gave up on a pod that never ran its steps (a missing ConfigMap key, a
      // volume that cannot be mounted): Tekton fails such TaskRuns instead of waiting forever.
      const stuck = podFailure(final);
      finish(tr, 'False', stuck.reason, stuck.message, now());
    }
  }
}

/** finish sets the Succeeded condition to a final state. */
function finish(tr: TaskRun, status: 'True' | 'False' | 'Failed', reason: string, message: string, now: Date): TaskRun {
  const s: TaskRunStatus = tr.status ?? {};
  tr.status = setCondition(s, { status: status === 'Failed' ? 'False' : status, reason, message }, now);
  tr.status!.completionTime ??= k8sTime(now);
  return tr;
}

function timeoutOf(tr: TaskRun): number {
  const parsed = parseGoDuration(tr.spec.timeout ?? '0');
  return parsed.ok ? parsed.ms : 0;
}

/** setLongTimeout chains timers: setTimeout fires at once above 2^31-1 ms (~24.8 days). */
function setLongTimeout(fn: () => void, ms: number): { cancel(): void } {
  const MAX = 2 ** 31 - 1;
  let t: NodeJS.Timeout;
  const arm = (left: number) => {
    t = setTimeout(() => (left > MAX ? arm(left - MAX) : fn()), Math.min(left, MAX));
  };
  arm(ms);
  return { cancel: () => clearTimeout(t) };
}
