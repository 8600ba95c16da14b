import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { detectSandbox } from './sandbox.ts';
import { findHostShells } from './shell.ts';
import { spawnThroughHelper, type HelpedProcess } from './spawner.ts';

const bash = findHostShells().bash;
const skip = !bash || (await detectSandbox('bwrap')) !== 'bwrap' ? 'needs bash and bubblewrap' : undefined;

/** sandbox is a bubblewrap command that reads a line from fd 3, closes it, then runs script with that line as $1. */
function sandbox(script: string): string[] {
  return ['bwrap', '--dev-bind', '/', '/', '--die-with-parent', '--', 'sh', '-c', `IFS= read -r l <&3; exec 3<&-; set -- "$l"; ${script}`];
}

/** collect gathers a helped process's output. */
function collect(p: HelpedProcess): { out: string; err: string } {
  const seen = { out: '', err: '' };
  p.listen(
    (d) => {
      seen.out += d.toString();
    },
    (d) => {
      seen.err += d.toString();
    },
  );
  return seen;
}

/** alive tells whether a process group still has a member. */
function alive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('sandboxes started by the bash helper', { skip }, () => {
  it('each gets its own output, exactly its environment (and PWD, as bubblewrap sets), no extra descriptor, and its exit code', async () => {
    const path = process.env.PATH ?? '/usr/bin:/bin';
    const script = 'echo "$1 $A"; env | sort >&2; ls /proc/$$/fd | tr "\\n" " "; exit $B';
    const pids: number[] = [];
    const started = spawnThroughHelper(
      bash!,
      [
        { argv: sandbox(script), env: { A: 'zero', B: '3', PATH: path } },
        { argv: sandbox(script), env: { A: 'one one', B: '4', PATH: path } },
      ],
      (pid) => pids.push(pid),
    );
    assert.ok(started);
    const seen = started.map(collect);
    // Handed over in the other order: each waits for its own command.
    started[1].control?.end('second\n');
    started[0].control?.end('first\n');
    const results = await Promise.all(started.map((p) => p.result));
    assert.deepEqual(results, [{ exitCode: 3 }, { exitCode: 4 }]);
    assert.deepEqual(
      seen.map((s) => s.out.split('\n')[0]),
      ['first zero', 'second one one'],
    );
    // Descriptors this test process itself inherited may show; none of the helper's may.
    const helperFds = new Set([3, 4, 5, 6, 7, 8, 9, ...Array.from({ length: 8 }, (_, i) => 10 + i)]);
    for (const s of seen)
      assert.deepEqual(
        s.out
          .split('\n')[1]
          .trim()
          .split(' ')
          .map(Number)
          .filter((fd) => helperFds.has(fd)),
        [],
        s.out,
      );
    assert.deepEqual(
      seen.map((s) => s.err),
      [`A=zero\nB=3\nPATH=${path}\nPWD=/\n`, `A=one one\nB=4\nPATH=${path}\nPWD=/\n`],
    );
    assert.equal(pids.length, 3, 'the helper and each sandbox are told, for the records');
    assert.deepEqual([started[0].pid, started[1].pid], pids.slice(1));
  });

  it('kills a sandbox and everything in its process group, reporting the signal', async () => {
    const [p] = spawnThroughHelper(bash!, [{ argv: sandbox('sleep 100 & sleep 100'), env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }]) ?? [];
    assert.ok(p);
    p.control?.end('go\n');
    while (p.pid === undefined) await sleep(10);
    await sleep(200);
    p.kill();
    assert.deepEqual(await p.result, { exitCode: 143, signal: 'SIGTERM' });
    for (let i = 0; i < 40 && alive(p.pid); i++) await sleep(50); // its helper reaps it
    assert.equal(alive(p.pid), false, 'the background sleep went with the group');
  });

  it('are killed when the process that started them dies, even by SIGKILL', async () => {
    // A stand-in for tektite: it starts a sandbox through the helper, prints its pid, and waits.
    const module = fileURLToPath(new URL('./spawner.ts', import.meta.url));
    const code = `
      const { spawnThroughHelper } = await import(${JSON.stringify(module)});
      const [p] = spawnThroughHelper(${JSON.stringify(bash)}, [{ argv: ${JSON.stringify(sandbox('sleep 100'))}, env: { PATH: process.env.PATH } }]);
      p.control.end('go\\n');
      const wait = () => (p.pid === undefined ? setTimeout(wait, 10) : console.log(p.pid));
      wait();
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
    const pid = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    assert.equal(alive(pid), true);
    child.kill('SIGKILL');
    for (let i = 0; i < 100 && alive(pid); i++) await sleep(50);
    assert.equal(alive(pid), false, 'the sandbox died with the process that started it');
  });
});
