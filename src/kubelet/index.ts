// kubelet: Kubernetes' kubelet in small, for the Pods in the object store. It binds unbound Pods to
// itself (spec.nodeName, compare-and-swap: one kubelet per Pod), runs them on a backend (the host or
// podman executor), writes their status and logs, tears them down when they are deleted (the
// finalizer tektite.dev/kubelet), and fails the Pods of kubelets whose process died, killing what
// those left behind (records under <stateDir>/kubelet/). docs/architecture.md, "The Pod contract".
export { startKubelet, type Kubelet, type KubeletOptions } from './kubelet.ts';
export { KUBELET_FINALIZER } from './finalizer.ts';
export { KUBELET_ERROR, NODE_LOST, finalPhase, isTerminal } from './status.ts';
export { prefetchVolumeSources, referencedObjects } from './volume-sources.ts';
export type { PodObject } from './status-writer.ts';
