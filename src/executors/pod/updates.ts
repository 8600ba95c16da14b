// updates.ts: what a kubelet does when a running Pod changes (pkg/kubelet/kubelet.go syncPod):
// the downward API files follow the Pod's annotations, and a container whose image
// changed is killed to be replaced. Tekton changes a running Pod for exactly these two reasons:
// `tekton.dev/ready` once sidecars are ready, and the nop image for sidecars once the TaskRun is
// done (pkg/pod/entrypoint.go). The backends cannot run the nop image's binary in place of an
// arbitrary one, so a replaced container is reported as the nop container ends: exit 0, Completed.
import type { V1Pod } from '@kubernetes/client-node';
import type { PodUpdates } from '../executor.ts';

/** PodChangeHandlers are told what changed. */
export interface PodChangeHandlers {
  /** annotations is called with the new annotations when they changed. */
  annotations(annotations: Record<string, string>): void;
  /** imageChanged is called once per container whose image changed, with the new image. */
  imageChanged(container: string, image: string): void;
}

/** followPodUpdates calls the handlers on each change of the Pod; the returned function stops following. */
export function followPodUpdates(pod: V1Pod, updates: PodUpdates | undefined, on: PodChangeHandlers): () => void {
  if (!updates) return () => {};
  let annotations = annotationsKey(pod);
  const images = new Map((pod.spec?.containers ?? []).map((c) => [c.name, c.image ?? '']));
  return updates.subscribe((next) => {
    const key = annotationsKey(next);
    if (key !== annotations) {
      annotations = key;
      on.annotations(next.metadata?.annotations ?? {});
    }
    for (const c of next.spec?.containers ?? []) {
      const before = images.get(c.name);
      if (before === undefined || before === (c.image ?? '')) continue;
      images.set(c.name, c.image ?? '');
      on.imageChanged(c.name, c.image ?? '');
    }
  });
}

function annotationsKey(pod: V1Pod): string {
  return JSON.stringify(pod.metadata?.annotations ?? {});
}

/** PodUpdateFeed is a PodUpdates that the owner pushes newer Pods into. */
export class PodUpdateFeed implements PodUpdates {
  private readonly listeners = new Set<(pod: V1Pod) => void>();

  subscribe(listener: (pod: V1Pod) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  push(pod: V1Pod): void {
    for (const l of [...this.listeners]) l(pod);
  }
}
