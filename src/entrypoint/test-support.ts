// test-support.ts: test support for src/entrypoint (a tmp dir standing in for /tekton, captured output). Not part of index.ts, nor of dist/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { runEntrypointCommand } from './command.ts';
import type { EntrypointIO } from './command.ts';

/** STARTED is the StartedAt entry for the fixed clock `run` uses (TZ=UTC). */
export const STARTED = { key: 'StartedAt', value: '2026-01-01T00:00:00.000Z', type: 3 };

/** Sandbox is a tmp dir standing in for a container's /tekton. */
export class Sandbox {
  readonly root = mkdtempSync(join(tmpdir(), 'tektite-ep-'));
  readonly resolvePath = (p: string): string => (p.startsWith('/tekton/') ? join(this.root, p) : p);
  constructor() {
    mkdirSync(join(this.root, 'tekton'));
  }
  path(p: string): string {
    return this.resolvePath(p);
  }
  read(p: string): string {
    return readFileSync(this.path(p), 'utf8');
  }
  exists(p: string): boolean {
    return existsSync(this.path(p));
  }
  termination(i: number): unknown {
    return JSON.parse(this.read(`/tekton/term-${i}`));
  }
}

/** Capture collects what is written to it. */
export class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

/** stepFlags are the flags the pod builder gives step i (termination file per step, like per container). */
export function stepFlags(i: number): string[] {
  const flags = ['-post_file', `/tekton/run/${i}/out`, '-termination_path', `/tekton/term-${i}`, '-step_metadata_dir', `/tekton/run/${i}/status`];
  return i === 0 ? flags : ['-wait_file', `/tekton/run/${i - 1}/out`, ...flags];
}

/** run calls runEntrypointCommand inside the sandbox with captured output and a fixed clock. */
export async function run(sb: Sandbox, argv: string[], io: Partial<EntrypointIO> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runEntrypointCommand(argv, {
    resolvePath: sb.resolvePath,
    stdout,
    stderr,
    env: process.env,
    now: () => new Date('2026-01-01T00:00:00Z'),
    ...io,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** sh is `-entrypoint sh -- -c <script>`. */
export const sh = (script: string): string[] => ['-entrypoint', 'sh', '--', '-c', script];

/** isAlive says whether pid is a live process; a zombie (no reaping init in some containers) counts as dead. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
