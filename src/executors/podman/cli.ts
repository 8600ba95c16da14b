// cli.ts: calls to the podman command line; the only place that spawns podman.
import { spawn, type ChildProcess } from 'node:child_process';

/** PodmanResult is the outcome of one finished podman call. */
export interface PodmanResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** RunOptions tune one podman call. */
export interface RunOptions {
  timeoutMs?: number;
  input?: Buffer;
  /** quiet discards stdout (no pipe: a background call must not die of a closed pipe if this process exits first). */
  quiet?: boolean;
  /** onSpawn is told the pid of the podman process, which leads its own process group. */
  onSpawn?(pid: number): void;
}

/** PodmanCli runs podman subcommands with one binary path. */
export interface PodmanCli {
  readonly path: string;
  /** run executes `podman <args>` to completion and collects its output (never rejects on a non-zero exit). */
  run(args: string[], options?: RunOptions): Promise<PodmanResult>;
  /** spawn starts `podman <args>` with piped stdout/stderr (or the given fds), for attached runs whose output is streamed. */
  spawn(args: string[], output?: [stdout: number, stderr: number]): ChildProcess;
}

/** podmanCli returns a PodmanCli for the given binary (default `podman` on PATH). */
export function podmanCli(path = 'podman'): PodmanCli {
  return {
    path,
    run: (args, options) => runToEnd(path, args, options ?? {}),
    // detached (own process group): a Ctrl-C on the terminal reaches only tektite, which cancels the
    // run in order (kill, inspect, remove) instead of podman dying half-way through a call.
    spawn: (args, output) => spawn(path, args, { stdio: output ? ['ignore', ...output] : ['ignore', 'pipe', 'pipe'], detached: true }),
  };
}

/**
 * reportingCli tells onSpawn the pid (its process group: every podman call is detached) of each
 * podman process started through it, unless `keep` says the call is found another way.
 */
export function reportingCli(cli: PodmanCli, onSpawn: ((pid: number) => void) | undefined, keep: (args: string[]) => boolean): PodmanCli {
  if (!onSpawn) return cli;
  const report = (args: string[]) => (keep(args) ? undefined : onSpawn);
  return {
    path: cli.path,
    run: (args, options) => cli.run(args, { ...options, onSpawn: report(args) }),
    spawn: (args, output) => {
      const child = cli.spawn(args, output);
      if (child.pid !== undefined) report(args)?.(child.pid);
      return child;
    },
  };
}

function runToEnd(path: string, args: string[], { timeoutMs, input, quiet, onSpawn }: RunOptions): Promise<PodmanResult> {
  return new Promise((resolve) => {
    const child = spawn(path, args, { stdio: [input ? 'pipe' : 'ignore', quiet ? 'ignore' : 'pipe', 'pipe'], detached: true });
    if (child.pid !== undefined) onSpawn?.(child.pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr!.on('data', (b: Buffer) => err.push(b));
    if (input) child.stdin!.end(input);
    // A hung podman (e.g. a pull retrying a dead registry) must not hang the run forever.
    const timer = timeoutMs ? setTimeout(() => child.kill('SIGKILL'), timeoutMs) : undefined;
    let done = false;
    const finish = (code: number, extra = '') => {
      if (done) return;
      done = true;
      if (timer) clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') + extra });
    };
    child.on('error', (e) => finish(-1, e.message));
    child.on('close', (code, signal) => finish(code ?? -1, signal ? `killed by ${signal}` : ''));
  });
}

/** lastLine returns the last non-empty line of a command's stderr, the part users need to read. */
export function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  return (lines.at(-1) ?? '').replace(/^Error: /, '');
}
