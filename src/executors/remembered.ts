// remembered.ts: answers about this machine that cost process starts to find (which sandbox works,
// node's shared libraries) kept between runs in the user's cache dir, each under a key of everything
// the answer depends on: a different key reads as nothing remembered. Writes are atomic (a reader
// sees the old file or the new one); a cache dir that cannot be read or written only costs finding
// the answer again.
import { mkdirSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** userCacheFile is name in $XDG_CACHE_HOME/tektite (default ~/.cache/tektite), beside the CLI's code cache. */
export function userCacheFile(name: string): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tektite', name);
}

/** recall returns the fields remembered in file under key; undefined when none, or under another key. */
export function recall<T extends object>(file: string, key: string): Partial<T> | undefined {
  try {
    const { key: saved, ...fields } = JSON.parse(readFileSync(file, 'utf8')) as { key?: unknown };
    return saved === key ? (fields as Partial<T>) : undefined;
  } catch {
    return undefined;
  }
}

/** remember keeps fields in file under key (written as one object: `{ key, ...fields }`). */
export function remember(file: string, key: string, fields: object): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, ...fields }), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // A read-only or full cache directory: the next process finds the answer again.
  }
}

/** forget drops what file remembers. */
export function forget(file: string): void {
  try {
    rmSync(file, { force: true });
  } catch {
    // Nothing to forget, or a directory this process cannot change: only speed is at stake.
  }
}

/** fileId names a file's version (inode, size, mtime) for keys; null when it is missing. */
export function fileId(path: string): string | null {
  try {
    const s = statSync(realpathSync(path));
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}
