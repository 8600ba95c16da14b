// waiter.ts: waiting for a previous step's post file (cmd/entrypoint/waiter.go), event-driven instead of 1 s polling.
import { statSync, watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { dirname } from 'node:path';

/** WaitOutcome: the file is there, a `.err` sibling says skip, the wait was aborted, or stat failed. */
export type WaitOutcome = { kind: 'ready' } | { kind: 'skip' } | { kind: 'aborted' } | { kind: 'error'; error: string };

/** WaitOptions mirrors Waiter.Wait's arguments plus the polling fallback interval. */
export interface WaitOptions {
  /** expectContent waits for size > 0 (the downward `ready` file exists empty from the start). */
  expectContent?: boolean;
  /** breakpointOnFailure proceeds when `<file>.err` appears instead of skipping. */
  breakpointOnFailure?: boolean;
  signal?: AbortSignal;
  /** pollMs is the fallback polling interval; fs.watch on the parent directory normally wakes us first. */
  pollMs?: number;
}

/** SKIP_ERROR is the text of Tekton's ErrSkipPreviousStepFailed. */
export const SKIP_ERROR = 'error file present, bail and skip the step';

/** checkWaitFile is one iteration of Tekton's wait loop; undefined means keep waiting. */
export function checkWaitFile(file: string, options: WaitOptions): WaitOutcome | undefined {
  try {
    const info = statSync(file, { throwIfNoEntry: false });
    if (info && (!options.expectContent || info.size > 0)) return { kind: 'ready' };
  } catch (err) {
    return { kind: 'error', error: `waiting for ${JSON.stringify(file)}: ${(err as Error).message}` };
  }
  if (statSync(`${file}.err`, { throwIfNoEntry: false })) {
    return options.breakpointOnFailure ? { kind: 'ready' } : { kind: 'skip' };
  }
  return undefined;
}

// Waiters of this process by the file they wait on. The host executor runs every step's entrypoint
// in one process: a step that writes its post file there wakes the next step's waiter at once,
// instead of after an inotify event has gone through the event loop behind other work.
const waiters = new Map<string, Set<() => void>>();

/** fileWritten tells this process's waiters on file to look again (a waiter on X also wakes for X.err). */
export function fileWritten(file: string): void {
  for (const check of waiters.get(file) ?? []) check();
}

/** waitForFile resolves once checkWaitFile decides; it re-checks on every change in the parent directory, every pollMs and when fileWritten names it. */
export function waitForFile(file: string, options: WaitOptions = {}): Promise<WaitOutcome> {
  return new Promise((resolve) => {
    let watcher: FSWatcher | undefined;
    let done = false;
    const watched = [file, `${file}.err`];
    const finish = (outcome: WaitOutcome): void => {
      if (done) return;
      done = true;
      for (const f of watched) {
        waiters.get(f)?.delete(check);
        if (waiters.get(f)?.size === 0) waiters.delete(f);
      }
      watcher?.close();
      clearInterval(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const check = (): void => {
      if (done) return;
      // Watch before checking so a file created in between still wakes us; the parent directory may
      // also appear later (a post file's directory), so keep trying to watch it.
      watcher ??= watchDirectory(dirname(file), check, () => {
        watcher = undefined;
      });
      const outcome = checkWaitFile(file, options);
      if (outcome) finish(outcome);
    };
    const onAbort = (): void => finish({ kind: 'aborted' });
    for (const f of watched) waiters.set(f, (waiters.get(f) ?? new Set()).add(check));
    const timer = setInterval(check, options.pollMs ?? 50);
    if (options.signal?.aborted) return finish({ kind: 'aborted' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
    check();
  });
}

/** watchDirectory watches dir (non-persistent), or returns undefined when it cannot (missing dir, no inotify). */
function watchDirectory(dir: string, onChange: () => void, onGone: () => void): FSWatcher | undefined {
  try {
    const watcher = watch(dir, { persistent: false }, onChange);
    watcher.on('error', () => {
      watcher.close();
      onGone();
    });
    return watcher;
  } catch {
    return undefined;
  }
}
