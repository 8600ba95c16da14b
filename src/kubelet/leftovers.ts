// leftovers.ts: kill what a dead kubelet's run left behind, from its Pod record (records.ts):
// process groups (a container's sandbox and everything it forked; bwrap's --die-with-parent only
// reaches bwrap's own child), podman pods and containers, found by their POD_LABEL value, as
// pod-lifecycle.ts in src/executors/podman removes them after a run, and the Pod's work dir.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { POD_LABEL, podmanCli } from '../executors/podman/index.ts';
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
 * podmanClients lists the podman commands still making objects for one run: `podman run` and
 * `podman pod create` carry `--label tektite.dev/pod=<label>` (pod-lifecycle.ts, plan.ts). The
 * label ends in a random suffix of that run, so no one else's process carries it.
 */
export function podmanClients(label: string): number[] {
  const arg = `${POD_LABEL}=${label}`;
  const out: number[] = [];
  let pids: string[];
  try {
    pids = readdirSync('/proc');
  } catch {
    return out; // no /proc: only the removal below is done
  }
  for (const p of pids) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes(arg) && !readFileSync(`/proc/${p}/stat`, 'utf8').match(/\) [ZX] /)) out.push(Number(p));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

/**
 * removePodmanObjects force-removes the podman containers and pod of one run (podman absent: nothing
 * to do); false when podman failed to remove them. The dead process's `podman run`s outlive it; one still creating its container would make
 * it after the removal, and a step container then waits for its ready file for ever: they are
 * killed first (a container they leave half made is removed with the rest).
 */
export async function removePodmanObjects(label: string, podmanPath = 'podman'): Promise<boolean> {
  for (let i = 0; i < 50; i++) {
    const clients = podmanClients(label);
    if (clients.length === 0) break;
    for (const pid of clients) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // ended meanwhile
      }
    }
    await sleep(20);
  }
  const cli = podmanCli(podmanPath);
  const containers = await cli.run(['rm', '--force', '--time', '0', '--filter', `label=${POD_LABEL}=${label}`], { quiet: true, timeoutMs: 60_000 });
  // The podman pod (when the Pod had sidecars) is named after the label value.
  const pod = await cli.run(['pod', 'rm', '--force', '--time', '0', '--ignore', label], { quiet: true, timeoutMs: 60_000 });
  // podman could not be started (ENOENT): it is absent and holds nothing of the run.
  return [containers, pod].every((r) => r.code === 0 || (r.code === -1 && r.stderr.includes('ENOENT')));
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
