// pod-create.ts: the TaskRun's Pod for its current attempt, created in the object store
// (pkg/reconciler/taskrun/taskrun.go createPod / handlePodCreationError). The Pod is owned by the
// TaskRun (its controller) and carries the kubelet's finalizer, so a delete lets the kubelet kill
// it and write the final status before it goes (docs/architecture.md, "The Pod contract").
import type { V1Pod } from '@kubernetes/client-node';
import type { LimitRange, TaskRun, TaskSpec } from '../../api/index.ts';
import { TaskRunReason } from '../../api/index.ts';
import { applyLimitRanges, buildPod, KUBELET_FINALIZER, lookupStepEntrypoints, podName, type EntrypointCache, type PodBuildOptions } from '../../pod/index.ts';
import type { Lister } from '../../controller/index.ts';
import type { KObject, ObjectStore } from '../../store/index.ts';
import { applyTaskSubstitutions } from '../../substitution/index.ts';
import { resolveWorkspaces } from '../../workspaces/index.ts';
import { podCreationFailure } from './pod-failure.ts';

/** StoredPod is a Pod as the object store holds it. */
export type StoredPod = V1Pod & KObject;

/** PodCreationDeps is what creating a Pod needs from the reconciler's dependencies. */
export interface PodCreationDeps {
  store: ObjectStore;
  podOptions: Omit<PodBuildOptions, 'randomSuffix'>;
  randomSuffix(): string;
  entrypoints?: EntrypointCache;
}

/**
 * PodCreation is the Pod (created now, or found created by another process), a failure of the
 * attempt (PodCreationFailed), or a reason to come back later (a store that is busy, a Pod of a
 * deleted TaskRun of the same name still being killed).
 */
export type PodCreation = { ok: true; pod: StoredPod } | { ok: false; reason: string; message: string } | { later: { retry?: string; requeueAfterMs?: number } };

/** ownedBy tells whether the TaskRun (by uid) controls the object. */
export function ownedBy(obj: KObject, tr: TaskRun): boolean {
  return (obj.metadata.ownerReferences ?? []).some((r) => r.controller && r.kind === 'TaskRun' && r.uid === tr.metadata.uid);
}

/** currentPod is the Pod of the TaskRun's current attempt: status.podName, else the attempt's Pod name, if ours. */
export async function currentPod(pods: Lister<StoredPod>, tr: TaskRun): Promise<StoredPod | undefined> {
  const name = tr.status?.podName ?? podName(tr.metadata.name ?? '', tr.status?.retriesStatus?.length ?? 0);
  const pod = await pods.get(tr.metadata.namespace ?? 'default', name);
  return pod && ownedBy(pod, tr) ? pod : undefined;
}

/** createTaskRunPod substitutes the spec, builds the Pod of the current attempt and creates it. */
export async function createTaskRunPod(tr: TaskRun, spec: TaskSpec, taskName: string, deps: PodCreationDeps): Promise<PodCreation> {
  const ns = tr.metadata.namespace ?? 'default';
  const ws = resolveWorkspaces(spec.workspaces ?? [], tr.spec.workspaces ?? [], tr);
  const substituted = applyTaskSubstitutions(spec, {
    params: tr.spec.params ?? [],
    taskRun: { name: tr.metadata.name!, namespace: ns, uid: tr.metadata.uid! },
    taskName,
    retryCount: tr.status?.retriesStatus?.length ?? 0,
    workspaces: ws.workspaces,
  });
  // Tekton looks up command-less steps' images while building the Pod (pod.go Build → resolveEntrypoints);
  // a failed lookup fails the Pod's creation (taskrun.go handlePodCreationError's default case).
  const lookup = deps.entrypoints ? await lookupStepEntrypoints(substituted, deps.entrypoints) : undefined;
  if (lookup && !lookup.ok) return failed(podCreationFailure(tr, `translating TaskSpec to Pod: ${lookup.error}`));
  const built = buildPod(tr, substituted, ws, { ...deps.podOptions, randomSuffix: deps.randomSuffix, entrypoints: lookup?.resolved });
  if ('error' in built) return failed(`failed to create task run pod ${JSON.stringify(tr.metadata.name)}: ${built.error.toString()}. Maybe invalid TaskSpec`);
  // A cluster applies the namespace's LimitRanges when the Pod is created, and may refuse it.
  const limitRanges = (await deps.store.list('LimitRange', { namespace: ns })).items as unknown as LimitRange[];
  const limited = applyLimitRanges(built.pod, limitRanges);
  if ('forbidden' in limited) {
    const name = JSON.stringify(built.pod.metadata!.name);
    return failed(`failed to create task run pod ${JSON.stringify(tr.metadata.name)}: pods ${name} is forbidden: [${limited.forbidden.join(', ')}]. Maybe invalid TaskSpec`);
  }
  const pod = limited.pod as StoredPod;
  pod.metadata.finalizers = [KUBELET_FINALIZER];
  const created = await deps.store.create(pod);
  if (created.ok) return { ok: true, pod: created.object };
  if (created.reason === 'AlreadyExists') return alreadyExists(tr, pod, deps.store, created.message);
  if (created.reason === 'Invalid') return failed(podCreationFailure(tr, created.message));
  return { later: { retry: `creating pod ${pod.metadata.name}: ${created.message}` } };
}

/** alreadyExists adopts a Pod another process created for this TaskRun; a deleted TaskRun's Pod is waited out. */
async function alreadyExists(tr: TaskRun, pod: StoredPod, store: ObjectStore, message: string): Promise<PodCreation> {
  const existing = await store.get<StoredPod>({ kind: 'Pod', namespace: pod.metadata.namespace ?? 'default', name: pod.metadata.name ?? '' });
  if (!existing) return { later: { retry: message } };
  if (ownedBy(existing, tr)) return { ok: true, pod: existing };
  if (existing.metadata.deletionTimestamp) return { later: { requeueAfterMs: 1000 } };
  return failed(podCreationFailure(tr, message));
}

function failed(message: string): PodCreation {
  return { ok: false, reason: TaskRunReason.PodCreationFailed, message };
}
