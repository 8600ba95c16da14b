// substitution: $(params...), $(context...), $(workspaces...), $(results...), $(steps...) in Tekton's fields.
// Owns the replacement engine (Go strings.NewReplacer semantics, array expansion), param values and
// the TaskRun's ordered substitution passes over a TaskSpec and its workspace bindings.
export * from './scan.ts';
export { replaceVariables, applyArrayReplacements, expandList } from './replace.ts';
export type { StringReplacements, ArrayReplacements } from './replace.ts';
export { resolveParamValues, paramReplacements } from './params.ts';
export type { ParamReplacements } from './params.ts';
export { applyToTaskSpec, applyToStep, applyToSidecar } from './task-fields.ts';
export type { Replacements } from './task-fields.ts';
export { applyTaskSubstitutions, stepName } from './task.ts';
export type { ResolvedWorkspace, TaskSubstitutionInput } from './task.ts';
export { applyParametersToWorkspaceBindings } from './bindings.ts';
