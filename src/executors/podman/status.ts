// status.ts: the V1PodStatus of a Pod run by podman, kept as the kubelet reports it: container states
// waiting → running → terminated, the phase derived from them (restartPolicy Never).
import type { V1ContainerState, V1ContainerStatus, V1Pod, V1PodStatus } from '@kubernetes/client-node';

/** StatusBook tracks every container's state and renders the Pod status. */
export interface StatusBook {
  set(name: string, state: V1ContainerState): void;
  setReady(name: string, ready: boolean): void;
  /** replacedByNop records a container killed because its image became Tekton's nop image: the kill is lastState, the nop run exited 0. */
  replacedByNop(name: string, killed: V1ContainerState, at: Date): void;
  state(name: string): V1ContainerState | undefined;
  /** fail marks the whole pod Failed with a pod-level reason and message (e.g. the pod could not be created). */
  fail(reason: string, message: string): void;
  snapshot(): V1PodStatus;
}

/** statusBook starts a book where init containers wait on `PodInitializing`... as the kubelet shows a fresh Pod. */
export function statusBook(pod: V1Pod): StatusBook {
  const image = new Map<string, string>();
  const states = new Map<string, V1ContainerState>();
  const ready = new Map<string, boolean>();
  const last = new Map<string, V1ContainerState>();
  const init = (pod.spec?.initContainers ?? []).map((c) => c.name);
  const main = (pod.spec?.containers ?? []).map((c) => c.name);
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    image.set(c.name, c.image ?? '');
    states.set(c.name, { waiting: { reason: init.length > 0 ? 'PodInitializing' : 'ContainerCreating' } });
  }
  let podFailure: { reason: string; message: string } | undefined;
  const startTime = new Date();
  const status = (name: string): V1ContainerStatus => {
    const state = states.get(name)!;
    const lastState = last.get(name);
    return {
      name,
      image: image.get(name)!,
      imageID: '',
      ready: ready.get(name) ?? false,
      restartCount: lastState ? 1 : 0,
      started: !!state.running,
      state,
      ...(lastState ? { lastState } : {}),
    };
  };
  return {
    set: (name, state) => void states.set(name, state),
    setReady: (name, r) => void ready.set(name, r),
    replacedByNop(name, killed, at) {
      last.set(name, killed);
      states.set(name, terminated(0, at, at));
    },
    state: (name) => states.get(name),
    fail(reason, message) {
      podFailure = { reason, message };
    },
    snapshot() {
      const s: V1PodStatus = {
        phase: phaseOf(
          init.map((n) => states.get(n)!),
          main.map((n) => states.get(n)!),
          podFailure !== undefined,
        ),
        startTime,
        initContainerStatuses: init.map(status),
        containerStatuses: main.map(status),
      };
      if (podFailure) Object.assign(s, podFailure);
      return structuredClone(s);
    },
  };
}

// kubelet getPhase with restartPolicy Never: a failed init container fails the pod; all containers
// terminated → Succeeded if every one exited 0, else Failed; any running → Running.
function phaseOf(init: V1ContainerState[], main: V1ContainerState[], failed: boolean): string {
  if (failed || init.some((s) => s.terminated && s.terminated.exitCode !== 0)) return 'Failed';
  if (!init.every((s) => s.terminated)) return 'Pending';
  if (main.every((s) => s.terminated)) return main.every((s) => s.terminated!.exitCode === 0) ? 'Succeeded' : 'Failed';
  return main.some((s) => s.running || s.terminated) ? 'Running' : 'Pending';
}

/** terminated builds a terminated state with the kubelet's reason for the exit code. */
export function terminated(exitCode: number, startedAt: Date | undefined, finishedAt: Date, message?: string, reason?: string): V1ContainerState {
  return {
    terminated: {
      exitCode,
      reason: reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
      ...(message ? { message } : {}),
      ...(startedAt ? { startedAt } : {}),
      finishedAt,
    },
  };
}
