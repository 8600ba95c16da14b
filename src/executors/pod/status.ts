// status.ts: the V1PodStatus a kubelet reports for a Pod, whatever runs its containers, updated as
// containers change state (waiting → running → ready → terminated, or replaced); every change is
// handed to onStatus as a fresh copy. The phase follows pkg/kubelet/kubelet_pods.go getPhase.
import type { V1ContainerStateTerminated, V1ContainerStatus, V1Pod, V1PodStatus } from '@kubernetes/client-node';

/** PodPhase is a Kubernetes pod phase. */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/**
 * finalPhase is the phase of a Pod whose run ended. restartPolicy Never (Tekton's): Succeeded
 * when every init container and every container terminated with exit code 0, else Failed. The
 * backends restart nothing, so a run that ended is judged the same under any restartPolicy.
 */
export function finalPhase(status: V1PodStatus): 'Succeeded' | 'Failed' {
  if (status.phase === 'Failed') return 'Failed';
  const exited0 = (s: V1ContainerStatus) => s.state?.terminated?.exitCode === 0;
  const containers = status.containerStatuses ?? [];
  return containers.length > 0 && containers.every(exited0) && (status.initContainerStatuses ?? []).every(exited0) ? 'Succeeded' : 'Failed';
}

/** terminatedState is a terminated container state with the kubelet's reason for the exit code. */
export function terminatedState(exitCode: number, startedAt: Date | undefined, finishedAt: Date, message?: string, reason?: string): V1ContainerStateTerminated {
  return {
    exitCode,
    reason: reason ?? (exitCode === 0 ? 'Completed' : 'Error'),
    ...(message ? { message } : {}),
    ...(startedAt ? { startedAt } : {}),
    finishedAt,
  };
}

/** PodStatusTracker holds the pod's status and reports each change. */
export class PodStatusTracker {
  private readonly status: V1PodStatus;

  /** Creates the Pending status: every container waiting for the pod to initialise. */
  constructor(
    pod: V1Pod,
    private readonly onStatus: (status: V1PodStatus) => void,
    now: Date,
  ) {
    const hasInit = (pod.spec?.initContainers ?? []).length > 0;
    const waiting = (c: { name: string; image?: string }, reason: string): V1ContainerStatus => ({
      name: c.name,
      image: c.image ?? '',
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason } },
    });
    this.status = {
      phase: 'Pending',
      hostIP: '127.0.0.1',
      podIP: '127.0.0.1',
      startTime: now,
      qosClass: 'BestEffort',
      initContainerStatuses: hasInit ? (pod.spec?.initContainers ?? []).map((c) => waiting(c, 'PodInitializing')) : undefined,
      containerStatuses: (pod.spec?.containers ?? []).map((c) => waiting(c, hasInit ? 'PodInitializing' : 'ContainerCreating')),
    };
  }

  /** snapshot returns a deep copy of the current status. */
  snapshot(): V1PodStatus {
    return structuredClone(this.status);
  }

  /** setPhase changes the pod phase (and optional reason/message). */
  setPhase(phase: PodPhase, reason?: string, message?: string): void {
    this.status.phase = phase;
    if (reason) this.status.reason = reason;
    if (message) this.status.message = message;
    this.emit();
  }

  /** waiting marks a container waiting with a kubelet reason such as CreateContainerConfigError. */
  waiting(name: string, reason: string, message?: string): void {
    this.update(name, (s) => {
      s.state = { waiting: message ? { reason, message } : { reason } };
    });
  }

  /** running marks a container started (and ready unless it has a readiness probe). */
  running(name: string, startedAt: Date, ready: boolean): void {
    this.update(name, (s) => {
      s.state = { running: { startedAt } };
      s.started = true;
      s.ready = ready;
    });
  }

  /** ready marks a running container ready (its readiness probe passed). */
  ready(name: string): void {
    this.update(name, (s) => {
      if (s.state?.running) s.ready = true;
    });
  }

  /** terminated records a container's end. */
  terminated(name: string, terminated: V1ContainerStateTerminated): void {
    this.update(name, (s) => {
      s.state = { terminated };
      s.started = false;
      s.ready = false;
    });
  }

  /**
   * replacedByNop records a container killed because its image changed to Tekton's nop image: the
   * killed run becomes lastState, and the nop container that replaced it (of image) exited 0
   * (restartCount 1).
   */
  replacedByNop(name: string, killed: V1ContainerStateTerminated, at: Date, image?: string): void {
    this.update(name, (s) => {
      if (image) s.image = image;
      s.lastState = { terminated: killed };
      s.state = { terminated: { exitCode: 0, reason: 'Completed', startedAt: at, finishedAt: at } };
      s.restartCount = 1;
      s.started = false;
      s.ready = false;
    });
  }

  /**
   * endPhase sets the phase of a Pod whose containers have all ended (restartPolicy Never):
   * Succeeded when every one exited 0, else Failed; a deleted Pod (killed) is Failed.
   */
  endPhase(killed: boolean): void {
    this.setPhase(killed ? 'Failed' : finalPhase(this.status));
  }

  /** get returns a container's current status (init or regular). */
  get(name: string): V1ContainerStatus | undefined {
    return [...(this.status.initContainerStatuses ?? []), ...(this.status.containerStatuses ?? [])].find((s) => s.name === name);
  }

  /** update applies a change to one container's status and emits. */
  private update(name: string, change: (s: V1ContainerStatus) => void): void {
    const s = this.get(name);
    if (!s) return;
    change(s);
    this.emit();
  }

  /** emit reports a copy of the status. */
  private emit(): void {
    this.onStatus(this.snapshot());
  }
}
