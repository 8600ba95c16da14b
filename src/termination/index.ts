// termination: the termination message a step's entrypoint leaves in /tekton/termination,
// as the controller reads it back (pkg/termination, pkg/result).
export { COMPRESSED_PREFIX, decodeTerminationMessage, parseTerminationMessage, type ParsedTerminationMessage } from './parse.ts';
export { goJSONString, marshalRunResults } from './marshal.ts';
export { InternalResultKey, RunResultType, TerminationReason, resultTypeFromJSON, type RunResult } from './result.ts';
