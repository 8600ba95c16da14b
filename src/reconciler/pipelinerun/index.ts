// reconciler/pipelinerun: the PipelineRun state machine (DAG scheduling, when, finally, results, timeouts, cancel).
export { runPipelineRun, type PipelineRunEngine } from './reconcile.ts';
export { SkippingReason } from './state.ts';
export { evaluateWhen, type WhenOutcome } from './when.ts';
export { evaluateCel, type CelVerdict } from './cel.ts';
export { PipelineRunSpecStatus, CANCEL_MSG, TIMEOUT_MSG } from './control.ts';
export { matrixCombinations } from './matrix.ts';
export { childTaskRunName } from './child.ts';
