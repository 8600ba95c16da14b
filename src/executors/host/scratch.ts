// scratch.ts: where a pod's small bookkeeping files live on the host. Tekton's internal volumes
// (/tekton/run/N, /tekton/steps, /tekton/downward, ...) and per-container termination files
// take a handful of mkdir/write/symlink calls per step; on a disk file system each costs up to
// ~0.5 ms on a busy VM (docs/benchmarks.md), on a tmpfs a few µs. They are tiny, so they go to a
// tmpfs when one is at hand; user data (workspaces, /workspace, /tekton/home) stays on disk.
import { accessSync, constants, mkdtempSync, rmSync, statfsSync } from 'node:fs';
import path from 'node:path';

// statfs(2) f_type of a tmpfs.
const TMPFS_MAGIC = 0x01021994;
// A tmpfs with less free space than this (a container's default 64 MiB /dev/shm nearly full) is not used.
const minFreeBytes = 32 * 1024 * 1024;

let fastBase: string | undefined | null = null;

/** fastScratchBase returns a writable tmpfs directory ($XDG_RUNTIME_DIR, else /dev/shm), found once per process. */
export function fastScratchBase(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (fastBase === null) fastBase = [env.XDG_RUNTIME_DIR, '/dev/shm'].find((d): d is string => !!d && isUsableTmpfs(d));
  return fastBase;
}

/** isUsableTmpfs reports whether dir is a writable tmpfs with some room left. */
function isUsableTmpfs(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
    const fs = statfsSync(dir);
    return fs.type === TMPFS_MAGIC && fs.bavail * fs.bsize >= minFreeBytes;
  } catch {
    return false;
  }
}

/** PodScratch is the pod's directory for small files, and how to remove it. */
export interface PodScratch {
  dir: string;
  remove(): void;
}

/** podScratch makes the pod's small-file directory: on a tmpfs if asked and there is one, else workDir itself. */
export function podScratch(workDir: string, podName: string, useTmpfs: boolean): PodScratch {
  const base = useTmpfs ? fastScratchBase() : undefined;
  if (!base) return { dir: workDir, remove: () => {} }; // removed with workDir by its owner.
  const dir = mkdtempSync(path.join(base, `tektite-${podName.slice(0, 60)}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
