// src/entrypoint: Tekton's entrypoint (cmd/entrypoint + pkg/entrypoint) — waits for the previous step's post file, runs one
// step command in its own process group, tees its output, writes post file / exitCode / results / termination message;
// plus the cp, init, step-init and decode-script subcommands, and the multi-call names workingdirinit and
// sidecarlogresults (the results sidecar). Imports only node: builtins (and the pure Go-duration and Go-flag
// parsers): it is bundled into dist/entrypoint.cjs by scripts/bundle-entrypoint.mjs and runs inside any image.
export { runEntrypointCommand, SKIPPING_STEP, SPIRE_UNSUPPORTED } from './command.ts';
export type { EntrypointIO } from './command.ts';
export { spawnRunner, KILL_GRACE_MS } from './runner.ts';
export type { Runner, RunOptions, RunOutcome, SignalForwarding } from './runner.ts';
export {
  parseTerminationMessage,
  writeTerminationMessage,
  marshalRunResults,
  ResultType,
  MAX_TERMINATION_MESSAGE_LENGTH,
  MESSAGE_TOO_LONG,
} from './termination.ts';
export type { RunResult } from './termination.ts';
export { TerminationReason } from './entrypointer.ts';
export { parseEntrypointArgs, defaultFlags } from './flags.ts';
export type { EntrypointFlags, ParsedArgs } from './flags.ts';
export { waitForFile } from './waiter.ts';
export type { WaitOutcome, WaitOptions } from './waiter.ts';
export { CANCEL_FILE } from './run-command.ts';
export { SIDECAR_LOG_RESULTS, encodeSidecarLogResult, runSidecarLogResults } from './sidecar-log-results.ts';
export type { SidecarLogResult, SidecarLogResultType, SidecarLogResultsIO } from './sidecar-log-results.ts';
