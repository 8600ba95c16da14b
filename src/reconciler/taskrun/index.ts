// reconciler/taskrun: the TaskRun state machine and TaskRun status from Pod status. Two shapes
// while the CLI moves over: runTaskRun drives one TaskRun in memory on an Executor (reconcile.ts);
// taskRunReconciler is the controller (reconciler.ts): reconcile(key) over the object store, the
// Pod handed to a kubelet through the store.
export { taskRunReconciler, type TaskRunReconcilerDeps } from './reconciler.ts';
export { resolveTask } from './resolve.ts';
export { condition, isDone, k8sTime, setCondition, type ConditionHolder } from './status-condition.ts';
export { mergeArtifacts } from './status-artifacts.ts';
