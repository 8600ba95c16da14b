// run-command.ts: running the step command under its timeout, the outside kill and the cancel file (Entrypointer.Go step 7).
import type { EntrypointIO } from './command.ts';
import { waitForFile } from './waiter.ts';

/** CANCEL_FILE is pipeline.DownwardMountCancelFile; non-empty content cancels the running step (keep-pod-on-cancel). */
export const CANCEL_FILE = '/tekton/downward/cancel';

/** CommandIO is what runCommand needs of EntrypointIO: the runner, streams, env and the outside abort. */
export type CommandIO = Pick<EntrypointIO, 'runner' | 'resolvePath' | 'stdout' | 'stderr' | 'env' | 'signal' | 'forwardSignals'>;

/** CommandEnd: the child's exit code (-1 when killed by a signal, like Go's ExitCode()), timeout, cancel, or start error. */
export type CommandEnd = { kind: 'exited'; exitCode: number } | { kind: 'timeout' } | { kind: 'cancelled' } | { kind: 'error'; error: string };

/** runCommand runs argv; timeoutMs > 0 bounds it, and timeout/cancel win over whatever exit status the killed child had. */
export async function runCommand(argv: string[], io: CommandIO, timeoutMs: number): Promise<CommandEnd> {
  const controller = new AbortController();
  const finished = new AbortController();
  let cause: 'timeout' | 'cancelled' | undefined;
  const stop = (why?: 'timeout' | 'cancelled'): void => {
    cause ??= why;
    controller.abort();
  };
  const timer = timeoutMs > 0 ? setTimeout(() => stop('timeout'), timeoutMs) : undefined;
  const onOutsideAbort = (): void => stop();
  if (io.signal?.aborted) stop();
  io.signal?.addEventListener('abort', onOutsideAbort, { once: true });
  void waitForFile(io.resolvePath(CANCEL_FILE), { expectContent: true, signal: finished.signal, pollMs: 250 }).then((outcome) => {
    if (outcome.kind === 'ready') stop('cancelled');
  });
  try {
    const outcome = await io.runner.run(argv, {
      env: io.env,
      stdout: io.stdout,
      stderr: io.stderr,
      signal: controller.signal,
      forwardSignals: io.forwardSignals,
    });
    if (cause) return { kind: cause };
    if ('startError' in outcome) return { kind: 'error', error: outcome.startError };
    return { kind: 'exited', exitCode: outcome.signal ? -1 : outcome.exitCode };
  } finally {
    clearTimeout(timer);
    finished.abort();
    io.signal?.removeEventListener('abort', onOutsideAbort);
  }
}
