// crash.ts: what the crash tests share (test/crash.test.ts on the host, test/podman/crash.test.ts):
// `tektite run` killed with SIGKILL at a chosen moment (its children stay: a crash), the next
// process on the state dir (`tektite controller` or `tektite run` again) recovering it, and the
// checks that every run ended and that no process was left behind.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cliPath, repoRoot } from './cli.ts';
import { storedObjects, type StoredObject } from './store.ts';

/** RunStatus is the part of a stored run's (or Pod's) status these tests read. */
export interface RunStatus {
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
  phase?: string;
  reason?: string;
  podName?: string;
  steps?: unknown[];
  retriesStatus?: RunStatus[];
}

/** Run is the part of a stored TaskRun, PipelineRun or Pod these tests read. */
export type Run = StoredObject & { status?: RunStatus };

/** condition is the Succeeded condition of a run's status (or of one of its attempts). */
export const condition = (s: RunStatus | undefined) => s?.conditions?.find((c) => c.type === 'Succeeded');

/** succeeded is a run's Succeeded condition. */
export const succeeded = (o: Run | undefined) => condition(o?.status);

/** processesWhere lists the pids of the processes whose argv (split at NULs) matches. */
export function processesWhere(match: (argv: string[]) => boolean): number[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        return match(readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0'));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** childrenOf lists the argv of every live child of a process (from /proc/<pid>/stat's ppid). */
export function childrenOf(pid: number): string[][] {
  const out: string[][] = [];
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) out.push(readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0'));
    } catch {
      // ended meanwhile
    }
  }
  return out;
}

/** until polls ok every `every` ms until it holds, failing after ms. */
export async function until(what: string, ok: () => boolean, ms = 60_000, every = 100): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, every));
  }
}

/** everythingEnded: every run has a final Succeeded condition and every Pod is Succeeded or Failed. */
export function everythingEnded(state: string): boolean {
  const runs = [...storedObjects<Run>(state, 'PipelineRun'), ...storedObjects<Run>(state, 'TaskRun')];
  const pods = storedObjects<Run>(state, 'Pod');
  return runs.every((r) => ['True', 'False'].includes(succeeded(r)?.status ?? '')) && pods.every((p) => ['Succeeded', 'Failed'].includes(p.status?.phase ?? ''));
}

/**
 * crashWhen starts `tektite run -f file` on the state dir and kills it with SIGKILL as soon as
 * `ready(pid)` holds (polled every `every` ms) or, with a number, after that many ms. It resolves
 * whether the kill fell before the run ended on its own.
 */
export async function crashWhen(file: string, state: string, when: number | ((pid: number) => boolean), args: string[] = [], every = 10): Promise<boolean> {
  const child = spawn(process.execPath, [cliPath, 'run', '-f', file, '--state-dir', state, ...args], { cwd: repoRoot, stdio: 'ignore' });
  let exited = false;
  const closed = new Promise((r) => child.on('close', r)).then(() => (exited = true));
  if (typeof when === 'number') {
    const timer = setTimeout(() => child.kill('SIGKILL'), when);
    await closed;
    clearTimeout(timer);
    return child.signalCode === 'SIGKILL';
  }
  while (!exited && !when(child.pid ?? 0)) await new Promise((r) => setTimeout(r, every));
  const killed = !exited && child.kill('SIGKILL');
  await closed;
  return killed;
}

/** recoverWithController runs `tektite controller` until the state dir's runs have all ended, then stops it with SIGTERM. */
export async function recoverWithController(state: string, args: string[] = [], ms = 60_000): Promise<void> {
  const child = spawn(process.execPath, [cliPath, 'controller', '--state-dir', state, ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => (stderr += b));
  const closed = new Promise<number | null>((r) => child.on('close', r));
  try {
    // Once it watches, it has cleaned up after the dead process once (the kubelet is synced).
    await until(`the controller to start\n${stderr}`, () => stderr.includes('tektite controller: watching'), ms);
    await until(`the runs in ${state} to end\n${stderr}`, () => everythingEnded(state), ms);
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await closed, 0, stderr);
}
