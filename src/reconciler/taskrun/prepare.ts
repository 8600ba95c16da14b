// prepare.ts: the TaskSpec a TaskRun runs, resolved and validated (pkg/reconciler/taskrun/taskrun.go
// prepare). Once resolved, status.taskSpec is the source of truth, as in Tekton's
// GetTaskFuncFromTaskRun: a Task edited or deleted mid-run does not change the run, and a retry
// runs the same spec.
import type { TaskRun, TaskSpec } from '../../api/index.ts';
import { TaskRunReason } from '../../api/index.ts';
import { setTaskSpecDefaults } from '../../api/defaults/index.ts';
import type { Resolver } from '../../resolution/index.ts';
import { validateTaskRunParams, validateTaskRunWorkspaces } from '../../validation/index.ts';
import { resolveTask } from './resolve.ts';
import { resolveStepActions } from './stepactions.ts';

/**
 * PreparedTask is the defaulted spec with StepActions resolved, the name `$(context.task.name)`
 * gives, and the Task's name for the `tekton.dev/task` label (taskRef only), or why not.
 */
export type PreparedTask = { ok: true; spec: TaskSpec; taskName: string; taskLabel?: string } | { ok: false; reason: string; message: string; spec?: TaskSpec; taskLabel?: string };

/** prepareTask resolves the Task and its StepActions (unless status.taskSpec has them) and validates params and workspaces. */
export async function prepareTask(tr: TaskRun, resolver: Resolver): Promise<PreparedTask> {
  const found = await findSpec(tr, resolver);
  if (!found.ok) return found;
  const { spec, taskName, taskLabel } = found;
  const paramErr = validateTaskRunParams(spec, tr.spec.params ?? []);
  if (paramErr) {
    return { ok: false, spec, taskLabel, reason: TaskRunReason.ValidationFailed, message: `[User error] invalid input params for task ${taskName}: ${paramErr.toString()}` };
  }
  const wsErr = validateTaskRunWorkspaces(spec, tr.spec.workspaces ?? [], tr.spec.taskSpec !== undefined);
  if (wsErr) {
    return { ok: false, spec, taskLabel, reason: TaskRunReason.ValidationFailed, message: `[User error] invalid input workspaces for task ${taskName}: ${wsErr.toString()}` };
  }
  return found;
}

async function findSpec(tr: TaskRun, resolver: Resolver): Promise<PreparedTask> {
  const known = tr.status?.taskSpec;
  if (known) {
    const taskName = tr.spec.taskSpec ? tr.metadata.name! : (tr.spec.taskRef?.name ?? '');
    return { ok: true, spec: known, taskName, ...(tr.spec.taskRef && { taskLabel: taskName }) };
  }
  const resolved = await resolveTask(tr, resolver);
  if (!resolved.ok) return resolved;
  // GetStepActionsData runs on the defaulted spec; the resolved steps are defaulted again after.
  const actions = await resolveStepActions(setTaskSpecDefaults(resolved.spec), tr, resolver);
  const taskLabel = resolved.task ? resolved.taskName : undefined;
  if (!actions.ok) return { ...actions, taskLabel };
  const spec = setTaskSpecDefaults(actions.spec);
  return { ok: true, spec, taskName: resolved.taskName, taskLabel };
}
