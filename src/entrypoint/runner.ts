// runner.ts: starting the user command in its own process group (pkg/entrypoint realRunner, cmd/entrypoint/runner.go).
import { spawn } from 'node:child_process';

/** SignalForwarding lets the entrypoint CLI hand every signal it receives to the running child's group, like Tekton's signal.Notify loop. */
export interface SignalForwarding {
  /** onSignal subscribes a listener; the returned function unsubscribes. */
  onSignal(listener: (signal: NodeJS.Signals) => void): () => void;
}

/** RunOptions is what the entrypoint gives the Runner for one step command. */
export interface RunOptions {
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** signal aborts the command: the child's process group gets SIGTERM, then SIGKILL after a short grace. */
  signal: AbortSignal;
  /** forwardSignals, when set, forwards received signals verbatim to the child's process group. */
  forwardSignals?: SignalForwarding;
}

/** RunOutcome is how the command ended, or why it could not start (Go's exec error text). */
export type RunOutcome = { exitCode: number; signal?: NodeJS.Signals } | { startError: string };

/** Runner starts the user command (a seam: the host executor runs it inside a sandbox; default spawns it directly). */
export interface Runner {
  run(argv: string[], options: RunOptions): Promise<RunOutcome>;
}

/** KILL_GRACE_MS is how long an aborted command's group has between SIGTERM and SIGKILL. */
export const KILL_GRACE_MS = 2000;

/** spawnRunner is the default Runner: child_process.spawn with detached:true (own process group), abort → group kill. */
export function spawnRunner(): Runner {
  return { run: runDetached };
}

function runDetached(argv: string[], options: RunOptions): Promise<RunOutcome> {
  return new Promise((resolve) => {
    const [command, ...args] = argv;
    // Go's exec gives the child /dev/null as stdin when Stdin is nil.
    const child = spawn(command, args, { env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let killTimer: NodeJS.Timeout | undefined;
    let unsubscribe: (() => void) | undefined;
    const onAbort = (): void => {
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const cleanup = (): void => {
      options.signal.removeEventListener('abort', onAbort);
      unsubscribe?.();
      if (killTimer) {
        clearTimeout(killTimer);
        // Members of an aborted group that outlived the leader do not survive the step.
        killGroup(child.pid, 'SIGKILL');
      }
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      cleanup();
      resolve({ startError: describeStartError(command, err) });
    });
    child.once('spawn', () => {
      unsubscribe = options.forwardSignals?.onSignal((s) => killGroup(child.pid, s));
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    });
    child.stdout!.pipe(options.stdout, { end: false });
    child.stderr!.pipe(options.stderr, { end: false });
    child.once('close', (code, signal) => {
      cleanup();
      resolve(signal ? { exitCode: -1, signal } : { exitCode: code ?? -1 });
    });
  });
}

/** killGroup signals a whole process group, ignoring a group that is already gone. */
function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group has exited already.
  }
}

/** describeStartError renders a spawn failure the way Go's os/exec does, since Tekton logs it verbatim. */
export function describeStartError(command: string, err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT' && !command.includes('/')) return `exec: ${JSON.stringify(command)}: executable file not found in $PATH`;
  if (err.code === 'ENOENT') return `fork/exec ${command}: no such file or directory`;
  if (err.code === 'EACCES') return `fork/exec ${command}: permission denied`;
  return `fork/exec ${command}: ${err.message}`;
}
