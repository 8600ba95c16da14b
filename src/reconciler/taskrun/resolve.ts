// resolve.ts: finding the TaskSpec a TaskRun runs (inline taskSpec, or a taskRef through the Resolver).
import type { Task, TaskRun, TaskSpec } from '../../api/index.ts';
import { TaskRunReason } from '../../api/index.ts';
import type { Resolver } from '../../resolution/index.ts';

/** ResolvedTask is the spec to run plus the name `$(context.task.name)` gives, or why it failed. */
export type ResolvedTask = { ok: true; spec: TaskSpec; taskName: string; task?: Task } | { ok: false; reason: string; message: string };

/**
 * resolveTask finds the TaskSpec through a Resolver (src/resolution). For an inline taskSpec,
 * `$(context.task.name)` is the TaskRun's name (pkg/reconciler/taskrun/resources/taskspec.go);
 * for a taskRef it is the Task's name.
 */
export async function resolveTask(tr: TaskRun, resolver: Resolver): Promise<ResolvedTask> {
  if (tr.spec.taskSpec) return { ok: true, spec: tr.spec.taskSpec, taskName: tr.metadata.name! };
  const ref = tr.spec.taskRef ?? {};
  const found = await resolver.task(ref, tr.metadata.namespace ?? 'default');
  if (!found.ok) return { ok: false, reason: TaskRunReason.ResolutionFailed, message: found.message };
  return { ok: true, spec: found.object.spec, taskName: found.name, task: found.object };
}
