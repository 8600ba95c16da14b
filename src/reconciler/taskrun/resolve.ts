// resolve.ts: finding the TaskSpec a TaskRun runs (inline taskSpec, or taskRef to a Task in the store).
import type { Task, TaskRun, TaskSpec } from '../../api/index.ts';
import { TaskRunReason } from '../../api/index.ts';
import type { Resolver } from '../../resolution/index.ts';
import type { Store } from '../../store/index.ts';

/** ResolvedTask is the spec to run plus the name `$(context.task.name)` gives, or why it failed. */
export type ResolvedTask = { ok: true; spec: TaskSpec; taskName: string; task?: Task } | { ok: false; reason: string; message: string };

/**
 * resolveTask finds the TaskSpec. For an inline taskSpec, `$(context.task.name)` is the
 * TaskRun's name (TEKTON-FACTS §5.2); for a taskRef it is the Task's name.
 */
export function resolveTask(tr: TaskRun, store: Store): ResolvedTask {
  if (tr.spec.taskSpec) return { ok: true, spec: tr.spec.taskSpec, taskName: tr.metadata.name! };
  const ref = tr.spec.taskRef;
  if (ref?.resolver) {
    return {
      ok: false,
      reason: TaskRunReason.ResolutionFailed,
      message: `error requesting remote resource: resolver "${ref.resolver}" is not available yet in Tektite`,
    };
  }
  const name = ref?.name ?? '';
  const namespace = tr.metadata.namespace ?? 'default';
  const task = store.get<Task & { metadata: { name: string } }>('Task', namespace, name);
  if (!task) {
    return {
      ok: false,
      reason: TaskRunReason.ResolutionFailed,
      message: `tasks.tekton.dev ${JSON.stringify(name)} not found`,
    };
  }
  return { ok: true, spec: task.spec, taskName: name, task };
}

/** resolveTaskVia is resolveTask with the Task fetched through a Resolver (src/resolution); same messages. */
export async function resolveTaskVia(tr: TaskRun, resolver: Resolver): Promise<ResolvedTask> {
  if (tr.spec.taskSpec) return { ok: true, spec: tr.spec.taskSpec, taskName: tr.metadata.name! };
  const ref = tr.spec.taskRef ?? {};
  const found = await resolver.task(ref, tr.metadata.namespace ?? 'default');
  if (!found.ok) return { ok: false, reason: TaskRunReason.ResolutionFailed, message: found.message };
  return { ok: true, spec: found.object.spec, taskName: found.name, task: found.object };
}
