// background.ts: a `tektite run -o json` left running in the background (for `tektite cancel` and
// Ctrl-C tests), and reading what it stored in its state dir.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { storedObject } from './store.ts';
import { cliPath, repoRoot } from './cli.ts';

/** Stored is the part of a stored run these tests read. */
export interface Stored {
  spec: { status?: string; statusMessage?: string };
  status?: { conditions?: { reason?: string; message?: string }[] };
}

/** startRun starts `tektite run -o json` in the background and resolves `started` once `ready` is printed. */
export function startRun(file: string, stateDir: string, ready: string) {
  const child = spawn(process.execPath, [cliPath, 'run', '-f', file, '-o', 'json', '--state-dir', stateDir], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 90_000,
    killSignal: 'SIGKILL',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => {
    stdout += b.toString('utf8');
  });
  const started = new Promise<void>((resolve, reject) => {
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString('utf8');
      if (stderr.includes(ready)) resolve();
    });
    child.on('close', () => reject(new Error(`tektite run ended before printing ${JSON.stringify(ready)}\n${stderr}`)));
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  return { started, done, interrupt: () => child.kill('SIGINT') };
}

/** stored reads a run the CLI kept in its state dir (kind in lower case). */
export function stored(stateDir: string, kind: string, name: string): Stored {
  const run = storedObject<Stored>(stateDir, kind, name);
  assert.ok(run, `no ${kind} ${name} in ${stateDir}`);
  return run;
}

/** until polls `check` every 50 ms for up to 30 s. */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`gave up waiting for ${what}`);
}
