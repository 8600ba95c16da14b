// spawn.ts: run one process in its own process group, stream its output, kill the whole group.
// execa 9 waits for grandchildren that hold the pipes (LIBRARIES.md, "Processes"); a detached
// child plus process.kill(-pid) is what makes `sh -c 'sleep 100'` die promptly.
import { spawn } from 'node:child_process';

/** ProcessExit is how a process ended: its exit code, or the signal that killed it. */
export interface ProcessExit {
  /** exitCode is the exit status, or 128+n when killed by signal n (what a shell and a kubelet report). */
  exitCode: number;
  /** signal names the signal that killed the process, if any. */
  signal?: NodeJS.Signals;
}

/** ProcessStartError says the process could not be started at all (e.g. ENOENT). */
export interface ProcessStartError {
  startError: string;
}

/** ProcessResult is either an exit or a start error. */
export type ProcessResult = ProcessExit | ProcessStartError;

/** SpawnOptions configure spawnGroup. */
export interface SpawnOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** signal aborts the run: SIGTERM to the group, then SIGKILL after graceMs. */
  signal?: AbortSignal;
  /** graceMs is the wait between SIGTERM and SIGKILL (default 500 ms). */
  graceMs?: number;
  /** killSignal is the first signal sent on abort (default SIGTERM). */
  killSignal?: NodeJS.Signals;
  onStdout?(data: Buffer): void;
  onStderr?(data: Buffer): void;
  /** stdin is fed to the process and closed; without it stdin is /dev/null. */
  stdin?: string | Buffer;
  /** controlPipe opens a pipe to the process's fd 3 (SpawnedProcess.control), e.g. to hand it a command later. */
  controlPipe?: boolean;
  /** onSpawn is told the new process group's id (the child's pid) as soon as it exists. */
  onSpawn?(pid: number): void;
}

/** SpawnedProcess is a running process group. */
export interface SpawnedProcess {
  readonly pid: number | undefined;
  /** result settles when the process has exited and its output streams are drained. */
  readonly result: Promise<ProcessResult>;
  /** kill signals the whole process group (SIGTERM, then SIGKILL after the grace period). */
  kill(): void;
  /** control is the write end of the pipe to fd 3, when controlPipe was asked for. */
  readonly control?: NodeJS.WritableStream;
}

const signalNumbers: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGPIPE: 13, SIGTERM: 15 };

/** exitCodeOf returns 128+n for a signal death, the shell convention kubelets also report. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return 128 + (signalNumbers[signal ?? ''] ?? 0);
}

/** killGroup sends a signal to a process group, ignoring groups that are already gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has already exited.
  }
}

/** spawnGroup starts argv in a new process group and returns a handle to it. */
export function spawnGroup(argv: string[], options: SpawnOptions = {}): SpawnedProcess {
  const child = spawn(argv[0], argv.slice(1), {
    cwd: options.cwd,
    env: options.env ?? {},
    detached: true,
    stdio: [options.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe', ...(options.controlPipe ? ['pipe' as const] : [])],
  });
  if (child.pid !== undefined) options.onSpawn?.(child.pid);
  const control = options.controlPipe ? (child.stdio[3] as NodeJS.WritableStream & { on(e: 'error', f: () => void): void }) : undefined;
  control?.on('error', () => {}); // EPIPE when the process died before reading it.
  let escalation: NodeJS.Timeout | undefined;
  let exited = false;
  const kill = (): void => {
    if (exited || escalation) return;
    killGroup(child.pid, options.killSignal ?? 'SIGTERM');
    escalation = setTimeout(() => killGroup(child.pid, 'SIGKILL'), options.graceMs ?? 500);
    escalation.unref();
  };
  child.stdout?.on('data', (d: Buffer) => options.onStdout?.(d));
  child.stderr?.on('data', (d: Buffer) => options.onStderr?.(d));
  if (options.stdin !== undefined) child.stdin?.end(options.stdin);
  child.stdin?.on('error', () => {}); // EPIPE when the process does not read its input.
  const onAbort = (): void => kill();
  // A container ends when its first process does (the kernel kills the rest of its pid
  // namespace); killing the group also releases pipes held by background grandchildren.
  child.once('exit', () => killGroup(child.pid, 'SIGKILL'));
  const result = new Promise<ProcessResult>((resolve) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      exited = true;
      resolve({ startError: startErrorMessage(argv[0], err) });
    });
    child.once('close', (code, signal) => {
      exited = true;
      resolve(signal ? { exitCode: exitCodeOf(code, signal), signal } : { exitCode: exitCodeOf(code, null) });
    });
  }).finally(() => {
    options.signal?.removeEventListener('abort', onAbort);
    if (escalation) clearTimeout(escalation);
  });
  if (options.signal?.aborted) kill();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  return { pid: child.pid, result, kill, control };
}

/** startErrorMessage phrases a spawn failure the way Go's os/exec does. */
function startErrorMessage(file: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT' && !file.includes('/')) return `exec: "${file}": executable file not found in $PATH`;
  if (err.code === 'ENOENT') return `fork/exec ${file}: no such file or directory`;
  if (err.code === 'EACCES') return `fork/exec ${file}: permission denied`;
  return `fork/exec ${file}: ${err.message}`;
}
