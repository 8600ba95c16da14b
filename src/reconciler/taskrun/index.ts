// reconciler/taskrun: the TaskRun state machine and TaskRun status from Pod status.
export { runTaskRun, type TaskRunEngine } from './reconcile.ts';
export { resolveTask } from './resolve.ts';
export { condition, k8sTime, setCondition, type ConditionHolder } from './status-condition.ts';
export { mergeArtifacts } from './status-artifacts.ts';
