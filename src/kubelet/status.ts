// status.ts: the Pod statuses a kubelet decides itself, besides what the backend reports: the
// phase at the end of a run (pkg/kubelet/kubelet_pods.go getPhase for restartPolicy Never), a Pod
// whose kubelet process died (the node controller's NodeLost, pkg/util/node), and a Pod the
// machine could not run (a work dir that cannot be made, a full disk).
import type { V1Container, V1ContainerStatus, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { finalPhase } from '../executors/index.ts';

export { finalPhase };

/** NODE_LOST is status.reason of a Pod whose tektite process ended before it did. */
export const NODE_LOST = 'NodeLost';
/** KUBELET_ERROR is status.reason of a Pod the kubelet could not run (the machine failed). */
export const KUBELET_ERROR = 'KubeletError';

/** isTerminal tells a Pod phase that never changes again. */
export function isTerminal(status: V1PodStatus | undefined): boolean {
  return status?.phase === 'Succeeded' || status?.phase === 'Failed';
}

/**
 * killedContainers marks every container that had started and not ended as killed (137, Error)
 * with message, as a kubelet reports a container it killed.
 */
export function killedContainers(status: V1PodStatus, now: Date, message: string): V1PodStatus {
  const kill = (s: V1ContainerStatus): V1ContainerStatus => {
    const running = s.state?.running;
    if (s.state?.terminated || !running) return s;
    const terminated = { exitCode: 137, reason: 'Error', message, startedAt: running.startedAt, finishedAt: now };
    return { ...s, ready: false, started: false, state: { terminated } };
  };
  return {
    ...status,
    ...(status.initContainerStatuses ? { initContainerStatuses: status.initContainerStatuses.map(kill) } : {}),
    ...(status.containerStatuses ? { containerStatuses: status.containerStatuses.map(kill) } : {}),
  };
}

/** endedStatus is the final status of a run: containers still running are killed, the phase decided. */
export function endedStatus(status: V1PodStatus, now: Date): V1PodStatus {
  const killed = killedContainers(status, now, 'the container was killed when its Pod ended');
  return { ...killed, phase: finalPhase(killed) };
}

/** nodeLostMessage says why a Pod whose tektite process (its node) is gone failed. */
export function nodeLostMessage(nodeName: string): string {
  return `the tektite process running this Pod (node ${JSON.stringify(nodeName)}) ended before the Pod did`;
}

/**
 * nodeLostStatus fails a Pod whose node is gone: containers that were running are reported killed
 * (137, with the message: their processes were killed by the clean-up); those that never started
 * stay waiting, as a cluster shows them, so the TaskRun's failure names the lost node rather than
 * an init container "exited with code 137" that never ran (pkg/pod/status.go getFailureMessage).
 */
export function nodeLostStatus(pod: V1Pod, nodeName: string, now: Date): V1PodStatus {
  const message = nodeLostMessage(nodeName);
  return { ...killedContainers(withEveryContainer(pod), now, message), phase: 'Failed', reason: NODE_LOST, message };
}

/**
 * withEveryContainer is the Pod's status with a status for every container of its spec: one the
 * run never reported waits (PodInitializing / ContainerCreating), as a kubelet first reports it.
 */
export function withEveryContainer(pod: V1Pod): V1PodStatus {
  const status = pod.status ?? {};
  const init = pod.spec?.initContainers ?? [];
  const fill = (containers: V1Container[], have: V1ContainerStatus[] | undefined, reason: string): V1ContainerStatus[] =>
    containers.map(
      (c) =>
        have?.find((s) => s.name === c.name) ?? { name: c.name, image: c.image ?? '', imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason } } },
    );
  return {
    ...status,
    ...(init.length ? { initContainerStatuses: fill(init, status.initContainerStatuses, 'PodInitializing') } : {}),
    containerStatuses: fill(pod.spec?.containers ?? [], status.containerStatuses, init.length ? 'PodInitializing' : 'ContainerCreating'),
  };
}

/** kubeletErrorStatus fails a Pod the machine could not run; containers started are reported killed. */
export function kubeletErrorStatus(pod: V1Pod, message: string, now: Date): V1PodStatus {
  return { ...killedContainers(withEveryContainer(pod), now, message), phase: 'Failed', reason: KUBELET_ERROR, message };
}
