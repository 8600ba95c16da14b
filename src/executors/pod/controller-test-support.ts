// controller-test-support.ts: Tekton's controller duties towards a running Pod, played for
// backend tests that run a Pod without the TaskRun reconciler: the Pod's reported status drives
// the same pure decisions the reconciler makes (src/pod/sidecars.ts), and their result reaches
// the backend as a Pod update, as it does through the store. Not exported from index.ts.
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { isContainerStep, markedReady, NOP_IMAGE, RESULTS_SIDECAR, sidecarsReady, sidecarsStopped } from '../../pod/index.ts';
import type { PodRunOptions } from '../executor.ts';
import { PodUpdateFeed } from './updates.ts';

// About what the store → controller → store → kubelet round trip takes in `tektite run`.
const CONTROL_PLANE_MS = 10;

/** withTektonController returns options whose status reports set `tekton.dev/ready` and stop sidecars once the steps end. */
export function withTektonController(pod: V1Pod, options: PodRunOptions): PodRunOptions {
  const feed = new PodUpdateFeed();
  let current: V1Pod = pod;
  const change = (next: V1Pod | undefined) => {
    if (!next) return;
    current = { ...next, status: undefined };
    const pushed = current;
    // Later, as through the store: the status write, the reconcile, the Pod update and its watch
    // event take milliseconds on a real control plane (never from inside the backend's own report).
    setTimeout(() => feed.push(pushed), CONTROL_PLANE_MS);
  };
  return {
    ...options,
    updates: feed,
    onStatus(status) {
      options.onStatus(status);
      const seen = { ...current, status };
      if (sidecarsReady(status)) change(markedReady(seen));
      if (stepsEnded(status)) change(sidecarsStopped({ ...current, status }, NOP_IMAGE));
    },
  };
}

/** stepsEnded: every step (and the results sidecar, which the TaskRun waits for) has terminated. */
function stepsEnded(status: V1PodStatus): boolean {
  const waitedFor = (status.containerStatuses ?? []).filter((s) => isContainerStep(s.name) || s.name === RESULTS_SIDECAR);
  return waitedFor.length > 0 && waitedFor.every((s) => s.state?.terminated);
}
