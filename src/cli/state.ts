// state.ts: running a command against the state dir's object store (<state-dir>/store.db): opened
// once, closed after, and a store that cannot be used reported in words with its own exit code.
import { join, resolve } from 'node:path';
import { openStateStore, StorageFailure, type ObjectStore } from '../store/index.ts';
import type { CommandIO } from './run.ts';

/**
 * EXIT_STATE_STORE is the exit code when the state store cannot be used (not Tektite's, corrupt,
 * from a newer Tektite, unwritable, full disk): sysexits.h EX_IOERR, next to 70 (EX_SOFTWARE) for bugs.
 */
export const EXIT_STATE_STORE = 74;

/** withStore runs fn with the store of a state dir and returns its exit code, or EXIT_STATE_STORE with the reason printed. */
export async function withStore(stateDir: string, io: CommandIO, fn: (store: ObjectStore) => Promise<number>): Promise<number> {
  // Absolute: the message names the file, and later processes may start elsewhere.
  const dir = resolve(stateDir);
  const opened = await openStateStore(dir);
  if (!opened.ok) {
    io.stderr.write(`Error: ${opened.message}\n`);
    return EXIT_STATE_STORE;
  }
  try {
    return await fn(opened.store);
  } catch (e) {
    // Reads have no failure value in the ObjectStore contract: a file damaged after it was opened
    // surfaces here (writes report StorageError instead).
    const message = storageFailure(e);
    if (message === undefined) throw e;
    io.stderr.write(`Error: ${message} (${join(dir, 'store.db')})\n`);
    return EXIT_STATE_STORE;
  } finally {
    await opened.store.close();
  }
}

function storageFailure(e: unknown): string | undefined {
  if (e instanceof StorageFailure) return e.message;
  const err = e as { code?: unknown; message?: string };
  return typeof err.code === 'string' && err.code.startsWith('SQLITE_') ? `the state store: ${err.message}` : undefined;
}
