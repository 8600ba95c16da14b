// image-pull.ts: Tekton's TaskRunImagePullFailed message, from a container stuck waiting on its image.
import type { V1PodStatus } from '@kubernetes/client-node';

const PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/** imagePullFailure returns Tekton's failure message if a container could not get its image. */
export function imagePullFailure(taskRunName: string, status: V1PodStatus): string | undefined {
  for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
    const w = c.state?.waiting;
    if (w?.reason && PULL_REASONS.has(w.reason)) {
      const sidecar = c.name.startsWith('sidecar-');
      const name = c.name.replace(/^(step|sidecar)-/, '');
      // pkg/reconciler/taskrun/taskrun.go: "the %s %q in TaskRun %q failed to pull the image %q. The pod errored with the message: \"%s.\""
      return `the ${sidecar ? 'sidecar' : 'step'} ${JSON.stringify(name)} in TaskRun ${JSON.stringify(taskRunName)} failed to pull the image ${JSON.stringify(c.image)}. The pod errored with the message: "${w.message ?? w.reason}."`;
    }
  }
  return undefined;
}
