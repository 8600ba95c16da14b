// finalizer.ts: the finalizer every Pod is created with (the Pod contract, docs/architecture.md):
// deleting the Pod (cancel, timeout) only marks it (deletionTimestamp) until the kubelet has
// killed its containers and written its final status — graceful deletion, as on a cluster.

/** KUBELET_FINALIZER holds a deleted Pod until its kubelet has torn it down. */
export const KUBELET_FINALIZER = 'tektite.dev/kubelet';
