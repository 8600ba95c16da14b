// status-fixtures: hand-built pods and container statuses as a kubelet and Tekton's entrypoint report them.
import type { V1ContainerStatus, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { TaskRun, TaskSpec } from '../../api/index.ts';

export const NOW = new Date('2026-01-01T00:01:00.000Z');
export const T0 = new Date('2026-01-01T00:00:00.000Z');
export const T1 = new Date('2026-01-01T00:00:10.000Z');
export const POD = 'tr-pod';

/** taskRun is a minimal started TaskRun named `tr`. */
export function taskRun(annotations?: Record<string, string>): TaskRun {
  return {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: { name: 'tr', namespace: 'default', ...(annotations ? { annotations } : {}) },
    spec: { taskRef: { name: 't' } },
    status: {
      startTime: '2026-01-01T00:00:00Z',
      conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Started', message: '', lastTransitionTime: '2026-01-01T00:00:00Z' }],
    },
  };
}

/** pod is a TaskRun pod with the given containers (steps then sidecars) and init containers. */
export function pod(containers: string[], init: string[] = []): V1Pod {
  return {
    metadata: { name: POD, namespace: 'default' },
    spec: {
      initContainers: init.map((name) => ({ name, image: 'img' })),
      containers: containers.map((name) => ({ name, image: 'img' })),
    },
  };
}

/** terminated is a container that ended with exitCode; message is the termination message. */
export function terminated(name: string, exitCode: number, message?: string, reason = exitCode === 0 ? 'Completed' : 'Error'): V1ContainerStatus {
  return {
    name,
    image: 'img',
    imageID: 'docker-pullable://img@sha256:1',
    ready: false,
    restartCount: 0,
    state: { terminated: { exitCode, reason, startedAt: T0, finishedAt: T1, containerID: `containerd://${name}`, ...(message ? { message } : {}) } },
  };
}

/** running is a started container. */
export function running(name: string): V1ContainerStatus {
  return { name, image: 'img', imageID: 'docker-pullable://img@sha256:1', ready: true, restartCount: 0, state: { running: { startedAt: T0 } } };
}

/** waiting is a container not started yet. */
export function waiting(name: string, reason: string, message?: string): V1ContainerStatus {
  return { name, image: 'img', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason, ...(message ? { message } : {}) } } };
}

/** podStatus wraps container statuses in a pod status of the given phase. */
export function podStatus(phase: string, containers: V1ContainerStatus[], init?: V1ContainerStatus[], extra: Partial<V1PodStatus> = {}): V1PodStatus {
  return { phase, containerStatuses: containers, ...(init ? { initContainerStatuses: init } : {}), ...extra };
}

/** started is the StartedAt entry the entrypoint writes first. */
export const started = (at = '2026-01-01T00:00:01.234Z') => ({ key: 'StartedAt', value: at, type: 3 });

/** msg writes entries as the entrypoint's termination message. */
export const msg = (...entries: object[]) => JSON.stringify(entries);

/** spec is a TaskSpec with the given steps and declared results. */
export function spec(steps: string[], results: TaskSpec['results'] = []): TaskSpec {
  return { steps: steps.map((name) => ({ name, image: 'img' })), ...(results.length ? { results } : {}) };
}

/** step is the StepState of a container that ended, as the status shows it. */
export function stepDone(name: string, exitCode: number, extra: object = {}, terminationReason = exitCode === 0 ? 'Completed' : 'Error') {
  return {
    name,
    container: `step-${name}`,
    imageID: 'docker-pullable://img@sha256:1',
    terminationReason,
    terminated: {
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt: '2026-01-01T00:00:01Z',
      finishedAt: '2026-01-01T00:00:10Z',
      containerID: `containerd://step-${name}`,
      ...extra,
    },
  };
}
