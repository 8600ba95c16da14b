// podman-leftovers.ts: removing the podman objects of a run whose tektite process died, found by
// their POD_LABEL value (src/executors/podman/pod-lifecycle.ts removes them the same way after a
// run). The containers outlive the process (conmon holds them) and so do its `podman run`s, which
// were detached: one still making its container would make it after a single removal, and one
// killed half-way leaves a runtime container podman no longer knows (conmon and `runc init`
// waiting for a start that never comes). So: remove until no `podman run` of the run is left,
// then delete what the OCI runtime still holds under the run's container names.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { POD_LABEL, podmanCli, type PodmanCli } from '../executors/podman/index.ts';

/** clientWaitMs is how long the run's podman commands get to finish before they are killed. */
const clientWaitMs = 10_000;

/**
 * removePodmanObjects force-removes the podman containers and pod of one run (podman absent:
 * nothing to do); false when podman failed to remove them.
 */
export async function removePodmanObjects(label: string, podmanPath = 'podman'): Promise<boolean> {
  const cli = podmanCli(podmanPath);
  const deadline = Date.now() + clientWaitMs;
  let removed = await removeOnce(cli, label);
  // A `podman run` attached to a container ends once it is removed; one still making its container
  // makes it, and the next round removes it. Those left at the deadline are killed.
  for (let clients = podmanClients(label); clients.length > 0; clients = podmanClients(label)) {
    const late = Date.now() > deadline;
    if (late) for (const pid of clients) signal(pid, 'SIGKILL');
    await sleep(100);
    removed = await removeOnce(cli, label);
    if (late) break;
  }
  await deleteRuntimeOrphans(label);
  return removed;
}

async function removeOnce(cli: PodmanCli, label: string): Promise<boolean> {
  const containers = await cli.run(['rm', '--force', '--time', '0', '--filter', `label=${POD_LABEL}=${label}`], { quiet: true, timeoutMs: 60_000 });
  // The podman pod (when the Pod had sidecars) is named after the label value.
  const pod = await cli.run(['pod', 'rm', '--force', '--time', '0', '--ignore', label], { quiet: true, timeoutMs: 60_000 });
  // podman could not be started (ENOENT): it is absent and holds nothing of the run.
  return [containers, pod].every((r) => r.code === 0 || (r.code === -1 && r.stderr.includes('ENOENT')));
}

/**
 * podmanClients lists the live podman commands making objects for one run: `podman run` and
 * `podman pod create` carry `--label tektite.dev/pod=<label>` (pod-lifecycle.ts, plan.ts). The
 * label ends in a random suffix of that run, so no one else's process carries it.
 */
export function podmanClients(label: string): number[] {
  const arg = `${POD_LABEL}=${label}`;
  return processes()
    .filter((p) => p.argv.includes(arg))
    .map((p) => p.pid);
}

/**
 * deleteRuntimeOrphans deletes the runtime containers left under the run's container names (podman
 * names them `<label>-<container>`): conmon's arguments give the runtime, its root and the id. What
 * the runtime cannot delete is killed: conmon and its children.
 */
async function deleteRuntimeOrphans(label: string): Promise<void> {
  for (const { pid, argv } of processes()) {
    if (!argv[0]?.endsWith('conmon') || !flagValue(argv, '-n')?.startsWith(`${label}-`)) continue;
    const id = flagValue(argv, '-c');
    const runtime = flagValue(argv, '-r');
    const root = runtimeRoot(argv);
    if (id && runtime) await runQuietly(runtime, [...(root ? ['--root', root] : []), 'delete', '--force', id]);
    for (const child of processes().filter((p) => p.ppid === pid)) signal(child.pid, 'SIGKILL');
    signal(pid, 'SIGKILL');
  }
}

/** flagValue is the argument after flag (or in flag=value). */
function flagValue(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  if (i >= 0) return argv[i + 1];
  return argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

/** runtimeRoot is the `--root` podman handed the runtime through conmon's --runtime-arg (rootless podman), if any. */
function runtimeRoot(argv: string[]): string | undefined {
  const args = argv.flatMap((a, i) => (a === '--runtime-arg' ? [argv[i + 1]] : a.startsWith('--runtime-arg=') ? [a.slice('--runtime-arg='.length)] : []));
  return flagValue(args, '--root');
}

interface Proc {
  pid: number;
  ppid: number;
  argv: string[];
}

/** processes lists the live processes (no zombies) from /proc; none where there is no /proc. */
function processes(): Proc[] {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return [];
  }
  const out: Proc[] = [];
  for (const p of pids) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      out.push({ pid: Number(p), ppid: Number(fields[1]), argv: readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0') });
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // ended meanwhile
  }
}

/** runQuietly runs a command to its end (at most 10 s), ignoring its output and outcome. */
function runQuietly(file: string, args: string[]): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', () => {
      clearTimeout(timer);
      resolve();
    });
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
