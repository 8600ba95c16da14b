import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnGroup } from './index.ts';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

/** isRunning reports whether a pid exists and is not a zombie waiting for init to reap it. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** settlesDead waits (briefly; signal delivery is asynchronous) for a pid to stop running. */
async function settlesDead(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isRunning(pid); i++) await sleep(10);
  return !isRunning(pid);
}

describe('spawnGroup', () => {
  it('reports exit codes and streams stdout and stderr', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const result = await spawnGroup(['sh', '-c', 'echo out; echo err >&2; exit 3'], {
      env,
      onStdout: (d) => out.push(d.toString()),
      onStderr: (d) => err.push(d.toString()),
    }).result;
    assert.deepEqual(result, { exitCode: 3 });
    assert.equal(out.join(''), 'out\n');
    assert.equal(err.join(''), 'err\n');
  });

  it('reports a signal death as 128+n with the signal name', async () => {
    const result = await spawnGroup(['sh', '-c', 'kill -TERM $$'], { env }).result;
    assert.deepEqual(result, { exitCode: 143, signal: 'SIGTERM' });
  });

  it('reports a missing executable as a start error phrased like Go os/exec', async () => {
    assert.deepEqual(await spawnGroup(['no-such-command-tektite'], { env }).result, {
      startError: 'exec: "no-such-command-tektite": executable file not found in $PATH',
    });
    assert.deepEqual(await spawnGroup(['/no/such/file'], { env }).result, {
      startError: 'fork/exec /no/such/file: no such file or directory',
    });
  });

  it('kills the whole process group, grandchildren included, when the signal aborts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tektite-proc-'));
    const pidFile = path.join(dir, 'pid');
    const controller = new AbortController();
    const proc = spawnGroup(['sh', '-c', `sleep 100 & echo $! > ${pidFile}; wait`], { env, signal: controller.signal });
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await sleep(10);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    controller.abort();
    const result = await proc.result;
    assert.deepEqual(result, { exitCode: 143, signal: 'SIGTERM' });
    assert.equal(await settlesDead(grandchild), true);
    rmSync(dir, { recursive: true, force: true });
  });

  it('escalates to SIGKILL when the process ignores SIGTERM', async () => {
    const controller = new AbortController();
    const proc = spawnGroup(['sh', '-c', "trap '' TERM; echo ready; while :; do sleep 0.05; done"], {
      env,
      signal: controller.signal,
      graceMs: 100,
      onStdout: () => controller.abort(),
    });
    assert.deepEqual(await proc.result, { exitCode: 137, signal: 'SIGKILL' });
  });

  it('kills background grandchildren when the leader exits, as a container ends with its first process', async () => {
    const result = await spawnGroup(['sh', '-c', 'sleep 100 & exit 0'], { env }).result;
    assert.deepEqual(result, { exitCode: 0 });
  });

  it('feeds stdin when given', async () => {
    const out: string[] = [];
    await spawnGroup(['cat'], { env, stdin: 'hello', onStdout: (d) => out.push(d.toString()) }).result;
    assert.equal(out.join(''), 'hello');
  });
});
