// A runtime container podman no longer knows (its `podman run` killed half-way through making it):
// conmon and its child stay, under the run's container names, until the clean-up deletes them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { removePodmanObjects } from './podman-leftovers.ts';
import { processRunning, waitFor } from './test-support.ts';

const idle = 'setInterval(() => {}, 1000)';

/**
 * fakeConmon is a process shaped like conmon as podman starts it (-c id, -n name, -r runtime;
 * `true` stands for the runtime, whose delete finds nothing) with a child standing for `runc init`.
 */
async function fakeConmon(name: string): Promise<{ pid: number; child: number; ended: Promise<NodeJS.Signals | null>; kill(): void }> {
  const script = `console.log(require('child_process').spawn(process.execPath, ['-e', ${JSON.stringify(idle)}], { stdio: 'ignore' }).pid); ${idle}`;
  const p = spawn(process.execPath, ['-e', script, '--', '-c', 'id', '-n', name, '-r', 'true'], { argv0: 'conmon', stdio: ['ignore', 'pipe', 'ignore'] });
  const ended = new Promise<NodeJS.Signals | null>((r) => p.on('close', (_, signal) => r(signal)));
  let out = '';
  p.stdout.on('data', (b: Buffer) => (out += b));
  const child = await waitFor('the fake conmon to start its child', () => /^\d+\n/.test(out) && Number(out));
  const kill = () => {
    for (const pid of [child, p.pid ?? 0]) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  };
  return { pid: p.pid ?? 0, child, ended, kill };
}

describe('removePodmanObjects', () => {
  it("kills a conmon left under the run's container names, with its child, and no one else's", async () => {
    const key = `orphan-${randomBytes(3).toString('hex')}`;
    const ours = await fakeConmon(`${key}-step-s`);
    const theirs = await fakeConmon(`${key}x-step-s`);
    try {
      // podman itself is absent here: the removal has nothing else to do.
      assert.equal(await removePodmanObjects(key, 'no-such-podman'), true);
      assert.equal(await ours.ended, 'SIGKILL');
      await waitFor('its child to be killed', () => !processRunning(ours.child), 2000);
      assert.ok(processRunning(theirs.pid) && processRunning(theirs.child), "another run's conmon is left alone");
    } finally {
      ours.kill();
      theirs.kill();
    }
  });
});
