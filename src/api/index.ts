// api: tekton.dev resource types (v1 schemas; v1beta1 converted on load), reasons, YAML loading.
export * from './v1/index.ts';
export * from './reasons.ts';
export * from './load/index.ts';
export { StepAction, StepActionSpec } from './v1beta1/stepaction.ts';
