// result.ts: RunResult, the entry of a step's termination message (pkg/result/result.go).

/** RunResultType is the `type` of a termination message entry, as Tekton numbers it. */
export const RunResultType = {
  TaskRunResult: 1,
  // 2 was PipelineResourceResult; reserved.
  InternalTektonResult: 3,
  StepResult: 4,
  StepArtifactsResult: 5,
  TaskRunArtifactsResult: 6,
  Unknown: 10,
} as const;
export type RunResultType = number;

/** RunResult is one `{key, value, resourceName?, type?}` entry of a termination message. */
export interface RunResult {
  key: string;
  value: string;
  resourceName?: string;
  /** Absent (0) when the writer left it out; Go marshals it with omitempty. */
  type?: RunResultType;
}

/** InternalResultKey names the type-3 entries the entrypoint writes for the controller. */
export const InternalResultKey = {
  StartedAt: 'StartedAt',
  ExitCode: 'ExitCode',
  Reason: 'Reason',
} as const;

/**
 * TerminationReason is the `Reason` internal result an entrypoint writes for a step that did not run
 * or was stopped (pkg/entrypoint/entrypointer.go), and the status builder's `Continued` for a step
 * whose failure onError: continue ignored (pkg/pod/status.go).
 */
export const TerminationReason = {
  Skipped: 'Skipped',
  Cancelled: 'Cancelled',
  TimeoutExceeded: 'TimeoutExceeded',
  Continued: 'Continued',
} as const;

// ResultType.UnmarshalJSON accepts these names as well as the integers.
const TYPE_NAMES: Record<string, number> = {
  TaskRunResult: RunResultType.TaskRunResult,
  InternalTektonResult: RunResultType.InternalTektonResult,
  StepResult: RunResultType.StepResult,
  StepArtifactsResult: RunResultType.StepArtifactsResult,
  TaskRunArtifactsResult: RunResultType.TaskRunArtifactsResult,
};

/** resultTypeFromJSON decodes a `type` field: an int, one of the names, else Unknown (10). */
export function resultTypeFromJSON(raw: unknown): { type: number } | { error: string } {
  if (raw === undefined || raw === null) return { type: 0 };
  if (typeof raw === 'number') {
    return Number.isInteger(raw) ? { type: raw } : { error: `cannot unmarshal number ${raw} into Go value of type result.ResultType` };
  }
  // An empty string falls through to Go's int decoding, which rejects it.
  if (raw === '') return { error: 'cannot unmarshal string into Go value of type result.ResultType' };
  if (typeof raw === 'string') return { type: TYPE_NAMES[raw] ?? RunResultType.Unknown };
  return { error: `cannot unmarshal ${typeof raw} into Go value of type result.ResultType` };
}
