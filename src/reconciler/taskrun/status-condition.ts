// status-condition.ts: the `Succeeded` condition of a run (TaskRun or PipelineRun), managed like knative's ConditionManager.
import type { Condition } from '../../api/index.ts';

/** ConditionHolder is any run status (TaskRun or PipelineRun): both carry knative conditions. */
export interface ConditionHolder {
  conditions?: Condition[];
}

/** SUCCEEDED is the type of the one condition a TaskRun reports (apis.ConditionSucceeded). */
export const SUCCEEDED = 'Succeeded';

/** condition returns the Succeeded condition of a status, if any. */
export function condition(status: ConditionHolder | undefined): Condition | undefined {
  return status?.conditions?.find((c) => c.type === SUCCEEDED);
}

/** isDone is TaskRun.IsDone: the Succeeded condition exists and is no longer Unknown. */
export function isDone(status: ConditionHolder | undefined): boolean {
  const c = condition(status);
  return c !== undefined && c.status !== 'Unknown';
}

/**
 * setCondition sets the Succeeded condition like knative's SetCondition: an identical condition
 * keeps its lastTransitionTime; otherwise the time is now. Returns a new status.
 */
export function setCondition<S extends ConditionHolder>(status: S, c: Omit<Condition, 'type' | 'lastTransitionTime'>, now: Date): S {
  const next: Condition = { type: SUCCEEDED, ...c };
  const old = condition(status);
  if (old && sameCondition(old, next)) return status;
  next.lastTransitionTime = k8sTime(now);
  const others = (status.conditions ?? []).filter((x) => x.type !== SUCCEEDED);
  const conditions = [...others, next].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
  return { ...status, conditions };
}

function sameCondition(a: Condition, b: Condition): boolean {
  return a.status === b.status && (a.reason ?? '') === (b.reason ?? '') && (a.message ?? '') === (b.message ?? '') && (a.severity ?? '') === (b.severity ?? '');
}

/** k8sTime formats a time as metav1.Time does: RFC 3339 in UTC with whole seconds. */
export function k8sTime(t: Date | string): string;
export function k8sTime(t: Date | string | undefined): string | undefined;
export function k8sTime(t: Date | string | undefined): string | undefined {
  if (t === undefined) return undefined;
  const d = typeof t === 'string' ? new Date(t) : t;
  if (Number.isNaN(d.getTime())) return typeof t === 'string' ? t : undefined;
  const iso = d.toISOString(); // always …ss.sssZ: drop the milliseconds (no regex: called for every step of every reconcile)
  return `${iso.slice(0, -5)}Z`;
}
