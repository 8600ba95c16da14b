// sidecars.ts: the two things Tekton's controller does to a running Pod, as pure functions over
// the Pod (pkg/pod/entrypoint.go UpdateReady and StopSidecars, pkg/pod/status.go SidecarsReady):
// set the `tekton.dev/ready` annotation that the first step waits on (through the downward API
// file /tekton/downward/ready) once every sidecar is ready, and stop the sidecars still running
// once the TaskRun is done by swapping their image for the nop image. The TaskRun reconciler
// writes the Pods these return; the kubelet acts on the change.
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';

/** READY_ANNOTATION and READY_VALUE: the annotation step 0's downward file projects (pkg/pod/entrypoint.go). */
export const READY_ANNOTATION = 'tekton.dev/ready';
export const READY_VALUE = 'READY';

/** NOP_IMAGE is the controller's default -nop-image (cmd/nop: prints "Exiting..." and exits 0). */
export const NOP_IMAGE = 'ghcr.io/tektoncd/pipeline/cmd/nop:latest';

/** RESULTS_SIDECAR is the results sidecar of results-from: sidecar-logs (pipeline.ReservedResultsSidecarContainerName); it exits by itself. */
export const RESULTS_SIDECAR = 'sidecar-tekton-log-results';

/** isContainerStep tells a step container by its `step-` prefix (pkg/pod/entrypoint.go IsContainerStep). */
export function isContainerStep(name: string): boolean {
  return name.startsWith('step-');
}

/**
 * sidecarsReady is SidecarsReady: the Pod is Running and every container that is not a step is
 * running and Ready, or terminated. An injected sidecar may lack the `sidecar-` prefix, so every
 * non-step container counts.
 */
export function sidecarsReady(status: V1PodStatus | undefined): boolean {
  if (status?.phase !== 'Running') return false;
  return (status.containerStatuses ?? []).every((s) => isContainerStep(s.name) || (s.state?.running && s.ready) || s.state?.terminated);
}

/** markedReady returns the Pod with `tekton.dev/ready: READY`, or undefined when it has it already (UpdateReady). */
export function markedReady<P extends V1Pod>(pod: P): P | undefined {
  if (pod.metadata?.annotations?.[READY_ANNOTATION] === READY_VALUE) return undefined;
  return { ...pod, metadata: { ...pod.metadata, annotations: { ...pod.metadata?.annotations, [READY_ANNOTATION]: READY_VALUE } } };
}

/**
 * sidecarsStopped is StopSidecars: on a Running Pod, every running container that is not a step
 * (nor the results sidecar, which exits once it has printed the results) gets the nop image, so
 * that the kubelet replaces it with a container that exits at once. Undefined when nothing changes.
 */
export function sidecarsStopped<P extends V1Pod>(pod: P, nopImage: string): P | undefined {
  if (pod.status?.phase !== 'Running') return undefined;
  const running = new Set((pod.status.containerStatuses ?? []).filter((s) => !isContainerStep(s.name) && s.name !== RESULTS_SIDECAR && s.state?.running).map((s) => s.name));
  const containers = pod.spec?.containers ?? [];
  if (!containers.some((c) => running.has(c.name) && c.image !== nopImage)) return undefined;
  return { ...pod, spec: { ...pod.spec!, containers: containers.map((c) => (running.has(c.name) && c.image !== nopImage ? { ...c, image: nopImage } : c)) } };
}
