// command.ts: the entrypoint main minus process.exit (cmd/entrypoint/main.go): flags, subcommands, the step, exit codes.
import { readFileSync } from 'node:fs';
import { parseEntrypointArgs } from './flags.ts';
import type { EntrypointFlags } from './flags.ts';
import { processSubcommand } from './subcommands.ts';
import { runStep } from './entrypointer.ts';
import type { StepEnd, StepIO } from './entrypointer.ts';
import { spawnRunner } from './runner.ts';
import type { Runner, SignalForwarding } from './runner.ts';
import { writePostFile } from './step-files.ts';
import { waitForFile } from './waiter.ts';
import { resolvePlatformCommand } from './platform.ts';
import { runSidecarLogResults, SIDECAR_LOG_RESULTS } from './sidecar-log-results.ts';

/** EntrypointIO is everything the entrypoint touches outside its own code; defaults are the real process. */
export interface EntrypointIO {
  runner: Runner;
  /** resolvePath is identity in a real container; the host executor maps /tekton/... paths to host dirs. */
  resolvePath(containerPath: string): string;
  /** stdout and stderr are the container's own output. */
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** signal: the container is killed from outside; the child's group gets SIGTERM then SIGKILL. */
  signal?: AbortSignal;
  /** forwardSignals: signals the entrypoint process receives, forwarded verbatim to the child's group. */
  forwardSignals?: SignalForwarding;
  now(): Date;
}

/** NO_COMMAND explains a step with neither command nor script whose image ENTRYPOINT nobody resolved (the pod builder puts it in TEKTON_PLATFORM_COMMANDS). */
export const NO_COMMAND = "the step has no command or script, and its image's ENTRYPOINT was not resolved into TEKTON_PLATFORM_COMMANDS: set command or script";

/** SPIRE_UNSUPPORTED is printed for `-enable_spire`: Tektite has no SPIRE agent to sign results with. */
export const SPIRE_UNSUPPORTED = '-enable_spire is not supported by the Tektite entrypoint: SPIRE signing of results needs a SPIRE agent';

/** SKIPPING_STEP is Tekton's log line for a step skipped because a previous one failed. */
export const SKIPPING_STEP = 'Skipping step because a previous step failed';

/** EXIT_ABORTED is the exit code reported when the container was killed while still waiting (128 + SIGTERM). */
const EXIT_ABORTED = 143;

/** runEntrypointCommand is the whole entrypoint main except process.exit: parses argv (Go flag syntax, `--` split), runs subcommands (cp, init, step-init, decode-script) or the step, returns the exit code. */
export async function runEntrypointCommand(argv: string[], partial: Partial<EntrypointIO> = {}): Promise<number> {
  const io = withDefaults(partial);
  const log = (line: string): void => void io.stderr.write(`${line}\n`);
  // Tekton's separate results-sidecar binary, served by this bundle (its flags are its own).
  if (argv[0] === SIDECAR_LOG_RESULTS) return runSidecarLogResults(argv.slice(1), io);
  try {
    return await runCommandLine(argv, io, log);
  } catch (err) {
    // Filesystem failures (mkdir, post file) end the container like Tekton's log.Fatalf: message, exit 1.
    log(`Error executing command: ${(err as Error).message}`);
    return 1;
  }
}

async function runCommandLine(argv: string[], io: EntrypointIO, log: (line: string) => void): Promise<number> {
  const parsed = parseEntrypointArgs(argv);
  if ('error' in parsed) {
    if (!parsed.help) log(parsed.error);
    log(USAGE);
    return parsed.help ? 0 : 2;
  }
  const sub = processSubcommand(parsed.positional, io.resolvePath);
  if (sub.matched) {
    if (!sub.ok) log(sub.error);
    else sub.messages.forEach(log);
    return sub.ok ? 0 : 1;
  }
  const { flags } = parsed;
  // Tekton dies here with log.Fatal; we also write `.err` so later steps skip instead of waiting forever.
  const failEarly = (message: string): number => {
    log(message);
    writePostFile(flags.post_file, true, io.resolvePath);
    return 1;
  };
  if (flags.enable_spire) return failEarly(SPIRE_UNSUPPORTED);
  const base = flags.entrypoint !== '' ? [flags.entrypoint] : resolvePlatformCommand(io.env.TEKTON_PLATFORM_COMMANDS ?? '');
  if ('error' in base) {
    // Go prints json's "unexpected end of JSON input" here; say what is actually missing.
    const unset = (io.env.TEKTON_PLATFORM_COMMANDS ?? '').trim() === '';
    return failEarly(unset ? `${base.error}: ${NO_COMMAND}` : base.error);
  }
  // Seed 003: extra positional arguments (that are not a subcommand) are passed to the command too.
  const command = [...base, ...parsed.positional, ...parsed.commandArgs];
  const end = await runStep(flags, command, { ...io, log });
  return exitCodeFor(end, flags, { ...io, log });
}

/** exitCodeFor mirrors the switch on Go()'s error in main.go: log line and os.Exit code per outcome. */
async function exitCodeFor(end: StepEnd, flags: EntrypointFlags, io: StepIO): Promise<number> {
  switch (end.kind) {
    case 'success':
      return 0;
    case 'aborted':
      return EXIT_ABORTED;
    case 'skipped':
      io.log(SKIPPING_STEP);
      return 1;
    case 'fatal':
      io.log(end.message);
      return 1;
    case 'timeout':
      io.log('context deadline exceeded');
      return 1;
    case 'cancelled':
      io.log('Step was cancelled');
      return 9; // int(syscall.SIGKILL), "just like kill -9 PID"
    case 'exit':
      if (flags.breakpoint_on_failure) return breakpointExitCode(flags, io);
      if (end.continued) return 0;
      return end.exitCode < 0 ? 255 : end.exitCode; // os.Exit(-1) is 255
    case 'error':
      if (flags.breakpoint_on_failure) return breakpointExitCode(flags, io);
      io.log(`Error executing command: ${end.error}`);
      return 1;
  }
}

/** breakpointExitCode is checkForBreakpointOnFailure: wait for `<post_file>.breakpointexit`, exit with its code (0 if unreadable). */
async function breakpointExitCode(flags: EntrypointFlags, io: StepIO): Promise<number> {
  io.log(
    "debug onFailure breakpoint has taken effect, waiting for user's decision:\n1) continue, use cmd: /tekton/debug/scripts/debug-continue\n2) fail-continue, use cmd: /tekton/debug/scripts/debug-fail-continue",
  );
  const file = `${flags.post_file}.breakpointexit`;
  const waited = await waitForFile(io.resolvePath(file), { signal: io.signal });
  if (waited.kind === 'aborted') return EXIT_ABORTED;
  if (waited.kind !== 'ready') io.log(`error occurred while waiting for ${file} : ${waited.kind === 'error' ? waited.error : 'error file present, bail and skip the step'}`);
  let text: string;
  try {
    text = readFileSync(io.resolvePath(file), 'utf8').replace(/\n$/, '');
  } catch {
    io.log(`error occurred while reading breakpoint exit code : breakpoint postfile ${file} not found`);
    return 0;
  }
  io.log(`Breakpoint exiting with exit code ${text}`);
  const code = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (Number.isNaN(code)) {
    io.log(`error occurred while reading breakpoint exit code : strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
    return 0;
  }
  return code & 0xff;
}

function withDefaults(partial: Partial<EntrypointIO>): EntrypointIO {
  return {
    runner: partial.runner ?? spawnRunner(),
    resolvePath: partial.resolvePath ?? ((p: string) => p),
    stdout: partial.stdout ?? process.stdout,
    stderr: partial.stderr ?? process.stderr,
    env: partial.env ?? process.env,
    signal: partial.signal,
    forwardSignals: partial.forwardSignals,
    now: partial.now ?? (() => new Date()),
  };
}

const USAGE = `Usage of entrypoint:
  entrypoint [flags] -- <args>            run one step (flags: -entrypoint -wait_file -wait_file_content -post_file
                                          -termination_path -step_metadata_dir -results -step_results -timeout
                                          -on_error -stdout_path -stderr_path -result_from -when_expressions
                                          -compress_termination_message -breakpoint_on_failure -debug_before_step)
  entrypoint cp <src> <dst>               copy a file (mode 0311)
  entrypoint init <src> <dst> [steps...]  cp, then step-init
  entrypoint step-init <steps...>         link /tekton/steps/<name> and /tekton/steps/<i> to /tekton/run/<i>/status
  entrypoint decode-script <file>         base64-decode a script file in place
  entrypoint sidecarlogresults [flags]    the results sidecar of results-from=sidecar-logs (-results-dir
                                          -result-names -step-results -step-names -kubernetes-sidecar-mode)`;
