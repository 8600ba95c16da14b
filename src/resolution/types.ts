// types.ts: what a lookup returns. Failures are values carrying Tekton's message text; the caller
// adds its own context (the TaskRun's reason, the PipelineRun's "[User error] ..." prefix).
import type { Pipeline, PipelineRef, StepAction, Task, TaskRef } from '../api/index.ts';
import type { Step } from '../api/index.ts';

/** StepRef is a step's `ref`. */
type StepRef = NonNullable<Step['ref']>;

/** ResolvedKind is what can be looked up. */
export type ResolvedKind = 'Task' | 'Pipeline' | 'StepAction';

/**
 * Resolution is the object found, or why not: `notFound` when nothing has that name (Tekton's
 * `<plural>.tekton.dev "name" not found`), otherwise a resolver's failure.
 */
export type Resolution<T> = { ok: true; object: T; name: string } | { ok: false; notFound: boolean; message: string };

/** Resolver finds referenced objects in a namespace. Every call is bounded in time by the resolver. */
export interface Resolver {
  task(ref: TaskRef, namespace: string, signal?: AbortSignal): Promise<Resolution<Task>>;
  pipeline(ref: PipelineRef, namespace: string, signal?: AbortSignal): Promise<Resolution<Pipeline>>;
  stepAction(ref: StepRef, namespace: string, signal?: AbortSignal): Promise<Resolution<StepAction>>;
}
