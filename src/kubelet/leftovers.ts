// leftovers.ts: kill what a dead kubelet's run left behind, from its Pod record (records.ts):
// process groups (a container's sandbox and everything it forked; bwrap's --die-with-parent only
// reaches bwrap's own child), podman pods and containers (podman-leftovers.ts), and the Pod's work dir.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { removePodmanObjects } from './podman-leftovers.ts';
import { processStartTime, type Started } from './records.ts';

/**
 * killGroupIfOurs SIGKILLs a recorded process group, unless its pid now names another process: a
 * group leader that still exists with another start time was reused (the kernel never hands out
 * the id of a group that still has members, so then ours is empty).
 */
export function killGroupIfOurs(pgid: number, startTime: string | undefined): boolean {
  const now = processStartTime(pgid);
  if (now !== undefined && startTime !== undefined && now !== startTime) return false;
  try {
    process.kill(-pgid, 'SIGKILL');
    return true;
  } catch {
    return false; // ESRCH: nothing of the group is left.
  }
}

/**
 * killLeftovers kills every process group, removes every podman object, then the work dir a run
 * recorded; only a work dir directly under podsDir is removed (a damaged record deletes nothing else).
 * It resolves false when podman failed to remove the run's objects: the record is kept to try again.
 */
export async function killLeftovers(started: Started[], podsDir: string, podmanPath?: string): Promise<boolean> {
  let removed = true;
  for (const s of started) if ('pgid' in s) killGroupIfOurs(s.pgid, s.startTime);
  for (const s of started) if ('podman' in s) removed = (await removePodmanObjects(s.podman, podmanPath)) && removed;
  for (const s of started) {
    if ('workDir' in s && path.dirname(path.resolve(s.workDir)) === podsDir) rmSync(s.workDir, { recursive: true, force: true, maxRetries: 2 });
  }
  return removed;
}
