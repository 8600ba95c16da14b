// reconciler/pipelinerun: the PipelineRun state machine (DAG scheduling, when, finally, results,
// timeouts, cancel): runPipelineRun (reconcile.ts, one long-lived procedure) and its replacement,
// pipelineRunReconciler (reconciler.ts, a controller's reconcile over the object store).
export { pipelineRunReconciler, type PipelineRunReconcilerDeps } from './reconciler.ts';
export { resolvePipelineRun } from './prepare-resolve.ts';
export { SkippingReason } from './state.ts';
export { evaluateWhen, type WhenOutcome } from './when.ts';
export { evaluateCel, loadCel, type CelVerdict } from './cel.ts';
export { PipelineRunSpecStatus, CANCEL_MSG, TIMEOUT_MSG } from './control.ts';
export { matrixCombinations } from './matrix.ts';
export { childTaskRunName } from './child.ts';
