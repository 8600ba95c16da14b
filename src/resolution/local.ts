// local.ts: references resolved against objects in the store (Tekton's local lookup through the
// listers: pkg/reconciler/taskrun/resources/taskref.go LocalTaskRefResolver). A `resolver:` ref
// fails with a clear message until remote resolution exists.
import type { KObject, ObjectStore } from '../store/index.ts';
import type { Resolution, ResolvedKind, Resolver } from './types.ts';

const PLURAL: Record<ResolvedKind, string> = { Task: 'tasks', Pipeline: 'pipelines', StepAction: 'stepactions' };

/** localResolver looks names up in the object store. */
export function localResolver(store: ObjectStore): Resolver {
  const lookup = async <T>(kind: ResolvedKind, ref: { name?: string; resolver?: string }, namespace: string): Promise<Resolution<T>> => {
    if (ref.resolver) return { ok: false, notFound: false, message: `error requesting remote resource: resolver ${JSON.stringify(ref.resolver)} is not available yet in Tektite` };
    const name = ref.name ?? '';
    const found = name ? await store.get<KObject>({ kind, namespace, name }) : undefined;
    if (!found) return { ok: false, notFound: true, message: `${PLURAL[kind]}.tekton.dev ${JSON.stringify(name)} not found` };
    return { ok: true, object: found as T, name };
  };
  return {
    task: (ref, ns) => lookup('Task', ref, ns),
    pipeline: (ref, ns) => lookup('Pipeline', ref, ns),
    stepAction: (ref, ns) => lookup('StepAction', ref, ns),
  };
}
