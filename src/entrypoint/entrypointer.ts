// entrypointer.ts: one step's life, in the order of Tekton's Entrypointer.Go() (pkg/entrypoint/entrypointer.go).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EntrypointFlags } from './flags.ts';
import { splitList } from './flags.ts';
import type { EntrypointIO } from './command.ts';
import { ResultType, writeTerminationMessage } from './termination.ts';
import type { RunResult } from './termination.ts';
import { TerminationReason } from '../termination/index.ts';
import { waitForFile } from './waiter.ts';
import type { WaitOutcome } from './waiter.ts';
import { RESULTS_DIR, formatStartedAt, internalResult, openTee, readArtifacts, readResultFiles, writeExitCodeFile, writePostFile } from './step-files.ts';
import type { PathResolver } from './step-files.ts';
import { allowsExecution, parseStepWhen } from './when.ts';
import { fileStepResultReader, substituteArgs, substituteEnv, substituteWhen } from './step-results.ts';
import { substituteStepArtifacts } from './step-artifacts.ts';
import { runCommand } from './run-command.ts';

/** StepIO is what a step needs from its surroundings (a narrowed EntrypointIO). */
export interface StepIO extends Pick<EntrypointIO, 'runner' | 'stdout' | 'stderr' | 'env' | 'signal' | 'forwardSignals' | 'now'> {
  resolvePath: PathResolver;
  /** log writes one line to the container's stderr, like Go's log package in cmd/entrypoint. */
  log(line: string): void;
}

/** StepEnd is how Go() ended; the command layer turns it into Tekton's log line and exit code. */
export type StepEnd =
  | { kind: 'success' }
  | { kind: 'skipped' }
  | { kind: 'exit'; exitCode: number; continued: boolean }
  | { kind: 'timeout' }
  | { kind: 'cancelled' }
  | { kind: 'error'; error: string }
  | { kind: 'fatal'; message: string }
  | { kind: 'aborted' };

/** TerminationReason values of pkg/pod (Reason entries of the termination message): defined once in src/termination. */
export { TerminationReason };

/** runStep waits, runs the command, writes post/exitCode/results/termination message and says how it ended. */
export async function runStep(flags: EntrypointFlags, command: string[], io: StepIO): Promise<StepEnd> {
  const output: RunResult[] = [];
  // Go() returns early (no results read) for wait failures and when-skips; only the deferred write runs.
  const finish = (end: StepEnd, readResults: boolean): StepEnd => finalize(flags, output, end, io, readResults);
  if (flags.step_metadata_dir !== '') {
    mkdirSync(io.resolvePath(join(flags.step_metadata_dir, 'results')), { recursive: true });
    mkdirSync(io.resolvePath(join(flags.step_metadata_dir, 'artifacts')), { recursive: true });
  }
  const waited = await waitForPrevious(flags, io);
  if (waited.kind === 'aborted') return { kind: 'aborted' };
  if (waited.kind !== 'ready') {
    if (!flags.breakpoint_on_failure) writePostFile(flags.post_file, true, io.resolvePath);
    output.push(internalResult('StartedAt', formatStartedAt(io.now())));
    if (waited.kind === 'skip') output.push(internalResult('Reason', TerminationReason.Skipped));
    return finish(waited.kind === 'skip' ? { kind: 'skipped' } : { kind: 'error', error: waited.error }, false);
  }
  output.push(internalResult('StartedAt', formatStartedAt(io.now())));
  const end = flags.timeout < 0 ? { kind: 'error' as const, error: 'negative timeout specified' } : await execute(flags, command, output, io);
  return finish(recordOutcome(flags, end, output, io), end.kind !== 'when-skipped');
}

/** waitForPrevious waits on each `-wait_file` in order, then on the debug-before-step file when asked. */
async function waitForPrevious(flags: EntrypointFlags, io: StepIO): Promise<WaitOutcome> {
  for (const file of splitList(flags.wait_file)) {
    const outcome = await waitForFile(io.resolvePath(file), {
      expectContent: flags.wait_file_content,
      breakpointOnFailure: flags.breakpoint_on_failure,
      signal: io.signal,
    });
    if (outcome.kind !== 'ready') return outcome;
  }
  if (!flags.debug_before_step) return { kind: 'ready' };
  io.log(
    "debug before step breakpoint has taken effect, waiting for user's decision:\n1) continue, use cmd: /tekton/debug/scripts/debug-beforestep-continue\n2) fail-continue, use cmd: /tekton/debug/scripts/debug-beforestep-fail-continue",
  );
  const beforeStep = `${flags.post_file}.beforestepexit`;
  const outcome = await waitForFile(io.resolvePath(beforeStep), { signal: io.signal });
  if (outcome.kind === 'aborted' || outcome.kind === 'ready') return outcome;
  io.log(`error occurred while waiting for ${beforeStep} : ${outcome.kind === 'error' ? outcome.error : 'error file present, bail and skip the step'}`);
  return { kind: 'skip' };
}

/** RawEnd is what running (or deciding not to run) produced, before post files are written. */
type RawEnd = StepEnd | { kind: 'when-skipped' };

/** execute applies step-result substitution and `when`, then runs the command with tees, timeout and cancel watch. */
async function execute(flags: EntrypointFlags, command: string[], output: RunResult[], io: StepIO): Promise<RawEnd> {
  const errors: string[] = [];
  const read = fileStepResultReader(io.resolvePath);
  let argv = substituteArgs(command, read, errors);
  let env = substituteEnv(io.env, read, errors);
  const withArtifacts = substituteStepArtifacts(argv, env, flags.step_metadata_dir, io.resolvePath);
  if ('error' in withArtifacts) io.log(`Error while substituting step artifacts: ${withArtifacts.error}`);
  else ({ command: argv, env } = withArtifacts);
  const parsedWhen = parseStepWhen(flags.when_expressions);
  const when = 'error' in parsedWhen ? parsedWhen : substituteWhen(parsedWhen, read, errors);
  // Tekton only logs substitution errors and runs the step anyway.
  for (const error of errors) io.log(`Error while substituting step results: ${error}`);
  const allowed = 'error' in when ? when : allowsExecution(when);
  if ('error' in allowed) return { kind: 'error', error: allowed.error };
  if (!allowed.allowed) {
    io.log('Step was skipped due to when expressions were evaluated to false.');
    output.push(internalResult('Reason', TerminationReason.Skipped));
    return { kind: 'when-skipped' };
  }
  const stdout = openTee(io.stdout, flags.stdout_path ? io.resolvePath(flags.stdout_path) : undefined);
  if ('error' in stdout) return { kind: 'error', error: stdout.error };
  const stderr = openTee(io.stderr, flags.stderr_path ? io.resolvePath(flags.stderr_path) : undefined);
  if ('error' in stderr) {
    await stdout.close();
    return { kind: 'error', error: stderr.error };
  }
  const ran = await runCommand(argv, { ...io, env, stdout: stdout.stream, stderr: stderr.stream }, flags.timeout);
  await Promise.all([stdout.close(), stderr.close()]);
  if (ran.kind === 'timeout' || ran.kind === 'cancelled' || ran.kind === 'error') return ran;
  return ran.exitCode === 0 ? { kind: 'success' } : { kind: 'exit', exitCode: ran.exitCode, continued: false };
}

/** recordOutcome writes post file / exitCode file / internal entries exactly per the switch at the end of Go(). */
function recordOutcome(flags: EntrypointFlags, end: RawEnd, output: RunResult[], io: StepIO): StepEnd {
  const post = (failed: boolean): void => writePostFile(flags.post_file, failed, io.resolvePath);
  const exitCodeFile = (code: string): void => writeExitCodeFile(flags.step_metadata_dir, code, io.resolvePath);
  switch (end.kind) {
    case 'when-skipped':
      post(false);
      exitCodeFile('0');
      return { kind: 'success' };
    case 'cancelled':
      output.push(internalResult('Reason', TerminationReason.Cancelled));
      post(true);
      exitCodeFile('killed');
      return end;
    case 'timeout':
      // Checked before on_error: `onError: continue` does not swallow a step timeout.
      output.push(internalResult('Reason', TerminationReason.TimeoutExceeded));
      post(true);
      return end;
    case 'success':
      post(false);
      exitCodeFile('0');
      return end;
    default:
      break;
  }
  if (flags.breakpoint_on_failure) return end;
  if (end.kind === 'exit' && flags.on_error === 'continue') {
    output.push(internalResult('ExitCode', String(end.exitCode)));
    post(false);
    exitCodeFile(String(end.exitCode));
    return { ...end, continued: true };
  }
  post(true);
  return end;
}

/** finalize reads results (even after a failure), appends artifacts and does the deferred termination write. */
function finalize(flags: EntrypointFlags, output: RunResult[], end: StepEnd, io: StepIO, readResults: boolean): StepEnd {
  const inTerminationMessage = flags.result_from === 'termination-message';
  const options = { compress: inTerminationMessage && flags.compress_termination_message };
  const sources: [string, string, number, string][] = [
    [RESULTS_DIR, flags.results, ResultType.TaskRunResult, 'results'],
    [join(flags.step_metadata_dir, 'results'), flags.step_results, ResultType.StepResult, 'step results'],
  ];
  if (readResults) {
    for (const [dir, names, type, what] of sources) {
      const results = readResultFiles(dir, splitList(names), type, io.resolvePath);
      if ('error' in results) return { kind: 'fatal', message: `Error while handling ${what}: ${results.error}` };
      if (!inTerminationMessage || results.length === 0) continue;
      const written = writeTerminationMessage(io.resolvePath(flags.termination_path), results, options);
      if (written) return { kind: 'fatal', message: `Error while handling ${what}: ${written.error}` };
    }
    if (inTerminationMessage) {
      const artifacts = readArtifacts(flags.step_metadata_dir, io.resolvePath);
      if ('error' in artifacts) return { kind: 'fatal', message: `Error while handling step artifacts: ${artifacts.error}` };
      output.push(...artifacts);
    }
  }
  const written = writeTerminationMessage(io.resolvePath(flags.termination_path), output, options);
  return written ? { kind: 'fatal', message: `Error while writing message: ${written.error}` } : end;
}
