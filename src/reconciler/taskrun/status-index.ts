// status-index: TaskRun status from Pod status (pkg/pod/status.go) and the status changes the
// TaskRun reconciler makes itself (cancel, timeout, retry) — the public face of the status*.ts files.
export { makeTaskRunStatusFromPod, PIPELINE_TASK_ON_ERROR, type MakeTaskRunStatusInput } from './status.ts';
export { markTaskRunCancelled, markTaskRunTimedOut, prepareRetry } from './status-marks.ts';
export { condition, isDone, k8sTime, setCondition, SUCCEEDED } from './status-condition.ts';
export { didTaskRunFail, failureMessage, failureReason, pendingCondition, waitingMessage } from './status-failure.ts';
export { parseResultValue, validateTaskRunResults } from './status-results.ts';
