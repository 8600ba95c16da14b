// reconciler/pipelinerun: the PipelineRun state machine (DAG scheduling, when, finally, results, timeouts, cancel).
export { runPipelineRun, type PipelineRunEngine } from './reconcile.ts';
export { SkippingReason } from './state.ts';
export { evaluateWhen, evaluateSimpleCel } from './when.ts';
export { matrixCombinations } from './matrix.ts';
export { childTaskRunName } from './child.ts';
