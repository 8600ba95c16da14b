// status-steps.ts: status.steps and status.sidecars from the pod's container statuses
// (pkg/pod/status.go setTaskRunStatusBasedOnStepStatus / ...SidecarStatus).
import type { V1Container, V1ContainerState, V1ContainerStatus, V1PodStatus } from '@kubernetes/client-node';
import type { Artifacts, ContainerState, SidecarState, StepResult, StepState, TaskResult, TaskRunResult } from '../../api/index.ts';
import { StepTerminationReason } from '../../api/index.ts';
import { isContainerStep, restrictLength } from '../../pod/index.ts';
import { InternalResultKey, marshalRunResults, parseTerminationMessage, RunResultType, type RunResult } from '../../termination/index.ts';
import { k8sTime } from './status-condition.ts';
import { filterResults, stepResultsFetchedByTask, taskResultsFromStepResults } from './status-results.ts';
import { stepResultsFromSidecarLogs } from './sidecar-logs.ts';
import { firstOfType, stepArtifactsFromSidecar } from './status-artifacts.ts';

/** sortContainerStatuses orders statuses like the pod spec's containers (sortPodContainerStatuses). */
export function sortContainerStatuses(statuses: V1ContainerStatus[], spec: V1Container[]): V1ContainerStatus[] {
  if (spec.length === 0) return statuses;
  const byName = new Map(statuses.map((s) => [s.name, s]));
  const ordered = spec.map((c) => byName.get(c.name)).filter((s): s is V1ContainerStatus => s !== undefined);
  const listed = new Set(spec.map((c) => c.name));
  return [...ordered, ...statuses.filter((s) => !listed.has(s.name))];
}

/** toContainerState copies a Kubernetes container state into status form (times as metav1.Time text). */
export function toContainerState(state: V1ContainerState | undefined): ContainerState {
  const out: ContainerState = {};
  if (state?.waiting) out.waiting = omitEmpty({ reason: state.waiting.reason, message: state.waiting.message });
  if (state?.running) out.running = omitEmpty({ startedAt: k8sTime(state.running.startedAt) });
  const t = state?.terminated;
  if (t) {
    out.terminated = omitEmpty({
      exitCode: t.exitCode,
      signal: t.signal || undefined,
      reason: t.reason,
      message: t.message,
      startedAt: k8sTime(t.startedAt),
      finishedAt: k8sTime(t.finishedAt),
      containerID: t.containerID,
    });
  }
  return out;
}

function omitEmpty<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
}

/** StepContext is what reading step states needs from the TaskRun and its spec. */
export interface StepContext {
  /** Declared Task results (tr.spec.taskSpec's and the resolved spec's, as Tekton concatenates them). */
  specResults: TaskResult[];
  /** Declared step results per step container name. */
  stepResults: Map<string, StepResult[]>;
  /** Results are reported only once the TaskRun is done. */
  done: boolean;
  /** sidecarLogResults: the results sidecar's lines (results-from=sidecar-logs); step results are `<container>.<name>`. */
  sidecarLogResults?: RunResult[];
}

/**
 * stepStates builds status.steps from step container statuses, and the Task results they report;
 * `artifacts` are what to merge, in order, into a done TaskRun's status.artifacts.
 */
export function stepStates(statuses: V1ContainerStatus[], ctx: StepContext): { steps: StepState[]; results: TaskRunResult[]; artifacts: Artifacts[] } {
  const steps: StepState[] = [];
  const results: TaskRunResult[] = [];
  const artifacts: Artifacts[] = [];
  for (const s of statuses) {
    const state = toContainerState(s.state);
    const step: StepState = { ...state, name: s.name.replace(/^step-/, ''), container: s.name };
    if (s.imageID) step.imageID = s.imageID;
    // Step results from the sidecar come first, then the termination message's (setTaskRunStatusBasedOnStepStatus).
    const stepResults: TaskRunResult[] = [];
    if (ctx.done && ctx.sidecarLogResults?.length) {
      const fromSidecar = filterResults(stepResultsFromSidecarLogs(ctx.sidecarLogResults, s.name), ctx.specResults, ctx.stepResults.get(s.name) ?? []);
      stepResults.push(...fromSidecar.stepResults);
      results.push(...taskResultsFromStepResults(fromSidecar.stepResults, stepResultsFetchedByTask(s.name, ctx.specResults)));
    }
    if (stepResults.length > 0) step.results = stepResults;
    let stepArtifacts = stepArtifactsFromSidecar(ctx.sidecarLogResults ?? [], s.name);
    if (state.terminated) {
      const read = readTerminated(s.name, state, ctx, stepArtifacts);
      stepArtifacts = read.stepArtifacts;
      if (read.taskRunArtifacts) artifacts.push(read.taskRunArtifacts, stepArtifacts);
      results.push(...read.taskResults);
      if (read.stepResults.length > 0) step.results = [...stepResults, ...read.stepResults];
      step.terminated = read.terminated;
      if (read.terminationReason) step.terminationReason = read.terminationReason;
    }
    if (stepArtifacts.inputs) step.inputs = stepArtifacts.inputs;
    if (stepArtifacts.outputs) step.outputs = stepArtifacts.outputs;
    steps.push(step);
  }
  return { steps, results, artifacts };
}

interface ReadTerminated {
  terminated: NonNullable<ContainerState['terminated']>;
  terminationReason?: string;
  taskResults: TaskRunResult[];
  stepResults: TaskRunResult[];
  /** The step's artifacts: the sidecar's, overlaid by the termination message's. */
  stepArtifacts: Artifacts;
  /** The TaskRun artifacts the message reports, once done (undefined: nothing to merge). */
  taskRunArtifacts?: Artifacts;
}

/** readTerminated applies a terminated step's termination message: StartedAt, ExitCode, Reason, results. */
function readTerminated(container: string, state: ContainerState, ctx: StepContext, stepArtifacts: Artifacts): ReadTerminated {
  const terminated = { ...state.terminated! };
  const none: ReadTerminated = { terminated, terminationReason: terminated.reason, taskResults: [], stepResults: [], stepArtifacts };
  if (!terminated.message) return none;
  const parsed = parseTerminationMessage(terminated.message);
  // An unreadable message is left as it is (Tekton logs the error and carries on).
  if ('error' in parsed) return none;
  const entries = parsed.entries;
  const filtered = filterResults(entries, ctx.specResults, ctx.stepResults.get(container) ?? []);
  const out: ReadTerminated = {
    terminated,
    taskResults: [],
    stepResults: [],
    stepArtifacts: firstOfType(entries, RunResultType.StepArtifactsResult, stepArtifacts),
  };
  if (ctx.done) {
    out.taskRunArtifacts = firstOfType(filtered.visible, RunResultType.TaskRunArtifactsResult, {});
    out.stepResults = filtered.stepResults;
    const fetched = taskResultsFromStepResults(filtered.stepResults, stepResultsFetchedByTask(container, ctx.specResults));
    out.taskResults = [...filtered.taskResults, ...fetched];
  }
  if (filtered.visible.length > 0) terminated.message = marshalRunResults(filtered.visible);
  else delete terminated.message;
  const startedAt = startedAtFrom(entries);
  if (startedAt) terminated.startedAt = startedAt;
  const exitCode = exitCodeFrom(entries);
  if (exitCode !== undefined) terminated.exitCode = exitCode;
  out.terminationReason = internal(entries, InternalResultKey.Reason)?.value || (exitCode !== undefined ? StepTerminationReason.Continued : terminated.reason);
  return out;
}

function internal(entries: RunResult[], key: string): RunResult | undefined {
  return entries.find((e) => e.key === key && (e.type === RunResultType.InternalTektonResult || e.type === undefined));
}

// The entrypoint writes StartedAt as "2006-01-02T15:04:05.000Z07:00"; anything else is ignored, as Tekton does on a parse error.
const STARTED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}(Z|[+-]\d{2}:\d{2})$/;

function startedAtFrom(entries: RunResult[]): string | undefined {
  const v = entries.find((e) => e.key === InternalResultKey.StartedAt)?.value;
  return v && STARTED_AT.test(v) && !Number.isNaN(Date.parse(v)) ? k8sTime(v) : undefined;
}

/** exitCodeFrom reads the ExitCode entry as strconv.ParseUint(v, 10, 32) does; invalid values are ignored. */
function exitCodeFrom(entries: RunResult[]): number | undefined {
  const v = entries.find((e) => e.key === InternalResultKey.ExitCode)?.value;
  if (v === undefined || !/^\d+$/.test(v)) return undefined;
  const n = Number(v);
  return n <= 0xffffffff ? n | 0 : undefined;
}

/** sidecarStates builds status.sidecars from `sidecar-*` container statuses. */
export function sidecarStates(statuses: V1ContainerStatus[]): SidecarState[] {
  return statuses.map((s) => {
    const state: SidecarState = { ...toContainerState(s.state), name: s.name.replace(/^sidecar-/, ''), container: s.name };
    if (s.imageID) state.imageID = s.imageID;
    return state;
  });
}

/**
 * stoppedSidecarStates is updateStoppedSidecarStatus (pkg/reconciler/taskrun/taskrun.go): every
 * container that is not a step, as the Pod reports it; one the nop image replaced reads Completed
 * with the exit code of the sidecar it stopped.
 */
export function stoppedSidecarStates(pod: V1PodStatus | undefined): SidecarState[] {
  return (pod?.containerStatuses ?? [])
    .filter((s) => !isContainerStep(s.name))
    .map((s) => {
      const last = s.lastState?.terminated;
      const state: V1ContainerState = last
        ? {
            terminated: {
              exitCode: last.exitCode,
              reason: 'Completed',
              message: 'Sidecar container successfully stopped by nop image',
              startedAt: last.startedAt,
              finishedAt: last.finishedAt,
              containerID: last.containerID,
            },
          }
        : (s.state ?? {});
      const out: SidecarState = { ...toContainerState(state), name: s.name.replace(/^sidecar-/, ''), container: s.name };
      if (s.imageID) out.imageID = s.imageID;
      return out;
    });
}

/** stepResultDecls maps each step's container name to its declared results (GetContainerName(step.name)). */
export function stepResultDecls(steps: { name?: string; results?: StepResult[] }[]): Map<string, StepResult[]> {
  const decls = new Map<string, StepResult[]>();
  for (const step of steps) {
    const name = restrictLength(`step-${step.name ?? ''}`);
    decls.set(name, [...(decls.get(name) ?? []), ...(step.results ?? [])]);
  }
  return decls;
}
