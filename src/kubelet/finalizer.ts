// finalizer.ts: the kubelet's finalizer on Pods. The TaskRun reconciler creates each Pod with it,
// so that deleting the Pod (cancel, timeout) only marks it (deletionTimestamp) until the kubelet
// has killed its containers and written its final status; removing the finalizer then lets the
// store delete it — graceful deletion, as the API server and kubelet do it on a cluster.
import { KUBELET_FINALIZER } from '../pod/index.ts';
import type { KObject, ObjectStore } from '../store/index.ts';

export { KUBELET_FINALIZER };

/** hasFinalizer tells whether the Pod still waits for a kubelet. */
export function hasFinalizer(obj: KObject): boolean {
  return obj.metadata.finalizers?.includes(KUBELET_FINALIZER) ?? false;
}

/** removeFinalizer drops the kubelet's finalizer with a compare-and-swap update; the refusal is returned (Conflict: re-read). */
export async function removeFinalizer(store: ObjectStore, obj: KObject): Promise<{ ok: true } | { ok: false; reason: string; message: string }> {
  const finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== KUBELET_FINALIZER);
  const r = await store.update({ ...obj, metadata: { ...obj.metadata, finalizers } });
  // NotFound: the Pod is gone already, which is what removing the finalizer was for.
  return r.ok || r.reason === 'NotFound' ? { ok: true } : { ok: false, reason: r.reason, message: r.message };
}
