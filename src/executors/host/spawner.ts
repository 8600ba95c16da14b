// spawner.ts: start several bubblewrap sandboxes from one small bash process instead of from this
// one. A spawn from node forks this whole process and then waits for the child's exec, which must
// tear that copy down: 3-35 ms of this thread per process on a small VM (docs/benchmarks.md), the
// thread that also runs the steps' entrypoints and the controllers; bash forks in a fraction of
// that, on another core. The helper gets each sandbox's stdout, stderr, control pipe and
// bubblewrap status pipe (--json-status-fd: its exit code) as inherited fds (node's socket pairs,
// read here as a direct child's would be), starts each sandbox as a job of its own (a process
// group, as spawnGroup makes) with exactly its environment (exec -c, then bubblewrap's --setenv),
// and reports its pid. When its stdin closes (this process closed it, or died, even by SIGKILL)
// it kills every sandbox still running; a sandbox whose helper died dies too (--die-with-parent).
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { ProcessResult, SpawnedProcess } from '../../proc/index.ts';
import { killGroup } from '../../proc/index.ts';

/** SandboxSpec is one bubblewrap command line to start and its whole environment (its cwd is /). */
export interface SandboxSpec {
  argv: string[];
  env: Record<string, string>;
}

/** HelpedProcess is a process the helper started; its output goes to what listen is given. */
export interface HelpedProcess extends SpawnedProcess {
  listen(onStdout: (d: Buffer) => void, onStderr: (d: Buffer) => void): void;
}

// Sandbox i's stdout, stderr, control and status pipes are the helper's fds FIRST_FD + 4i .. +3.
const FIRST_FD = 10;
const PIPES = 4;
// Above this many bytes of arguments the kernel may refuse the exec (ARG_MAX): spawn one by one.
const MAX_ARG_BYTES = 512 * 1024;

/** helperScript starts one job per sandbox (its argv at the given offsets of "$@"), then waits for its stdin to close. */
function helperScript(slices: [number, number][]): string {
  const fds = slices.flatMap((_, i) => Array.from({ length: PIPES }, (_, p) => FIRST_FD + PIPES * i + p));
  const closeAll = fds.map((fd) => `${fd}>&-`).join(' ');
  const jobs = slices.map(([offset, n], i) => {
    const [o, e, c, s] = fds.slice(PIPES * i, PIPES * i + PIPES);
    return `( exec -c "\${@:${offset}:${n}}" ) </dev/null >&${o} 2>&${e} 3<&${c} 4>&${s} ${closeAll} &\necho "p ${i} $!"`;
  });
  return ['set -m', ...jobs, `exec ${closeAll}`, 'while read -r _; do :; done', 'j=$(jobs -p)', `[[ -n $j ]] && kill -KILL -- $(printf -- '-%s ' $j) 2>/dev/null`, 'wait'].join(
    '\n',
  );
}

/** spawnThroughHelper starts every spec from one bash process; undefined when it cannot (then spawn them here). */
export function spawnThroughHelper(bash: string, specs: SandboxSpec[], onSpawn?: (pid: number) => void): HelpedProcess[] | undefined {
  const args: string[] = [];
  const slices: [number, number][] = [];
  for (const { argv, env } of specs) {
    const setenv = Object.entries(env).flatMap(([k, v]) => ['--setenv', k, v]);
    const full = [argv[0], '--json-status-fd', '4', ...setenv, ...argv.slice(1)];
    slices.push([args.length + 1, full.length]);
    args.push(...full);
  }
  if (args.reduce((n, a) => n + Buffer.byteLength(a) + 1, 0) > MAX_ARG_BYTES) return undefined;
  const stdio = ['pipe', 'pipe', 'pipe', ...Array<'ignore'>(FIRST_FD - 3).fill('ignore'), ...Array<'pipe'>(PIPES * specs.length).fill('pipe')] as const;
  let helper: ChildProcess;
  try {
    // --norc: bash reads ~/.bashrc when its stdin is a socket (a remote shell, it guesses), as node's pipes are.
    helper = spawn(bash, ['--norc', '--noprofile', '-c', helperScript(slices), 'bash', ...args], {
      cwd: '/',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      detached: true,
      stdio: [...stdio],
    });
  } catch {
    return undefined;
  }
  if (helper.pid === undefined) return undefined;
  onSpawn?.(helper.pid);
  const sandboxes = specs.map((_, i) => new HelperSandbox(helper, FIRST_FD + PIPES * i));
  helper.stdin?.on('error', () => {});
  helper.stderr?.resume(); // bash's own notices only: the sandboxes have their own stderr.
  let buffered = '';
  helper.stdout?.on('data', (d: Buffer) => {
    const lines = (buffered + d.toString()).split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [, i, pid] = line.split(' ');
      sandboxes[Number(i)]?.started(Number(pid));
      onSpawn?.(Number(pid));
    }
  });
  helper.once('exit', () => {
    for (const s of sandboxes) s.helperGone();
  });
  helper.once('error', () => {
    for (const s of sandboxes) s.helperGone();
  });
  // Once every sandbox has ended, the helper's stdin is closed and it exits.
  void Promise.all(sandboxes.map((s) => s.result)).then(() => helper.stdin?.end());
  return sandboxes;
}

/** HelperSandbox is one sandbox started by the helper, seen as a SpawnedProcess. */
class HelperSandbox implements HelpedProcess {
  pid: number | undefined;
  readonly result: Promise<ProcessResult>;
  readonly control: Writable;
  private readonly out: Readable;
  private readonly err: Readable;
  private status = '';
  private exitCode: number | undefined;
  private sent: NodeJS.Signals | undefined;
  private open = 3;
  private escalation: NodeJS.Timeout | undefined;
  private resolve!: (r: ProcessResult) => void;
  private settled = false;

  constructor(helper: ChildProcess, fd: number) {
    this.out = helper.stdio[fd] as Readable;
    this.err = helper.stdio[fd + 1] as Readable;
    this.control = helper.stdio[fd + 2] as Writable;
    const status = helper.stdio[fd + 3] as Readable;
    this.control.on('error', () => {}); // EPIPE when the sandbox died before reading it.
    this.result = new Promise((resolve) => {
      this.resolve = resolve;
    });
    status.on('data', (d: Buffer) => {
      this.status += d.toString();
      const code = /"exit-code"\s*:\s*(\d+)/.exec(this.status);
      if (code && this.exitCode === undefined) this.ended(Number(code[1]));
    });
    // bubblewrap holds the status pipe alone: once it closes, bubblewrap has exited, and the rest of
    // its group (background children holding the output pipes) goes, as after spawnGroup's exit.
    status.once('close', () => killGroup(this.pid, 'SIGKILL'));
    for (const stream of [this.out, this.err, status]) stream.once('close', () => this.closed());
  }

  listen(onStdout: (d: Buffer) => void, onStderr: (d: Buffer) => void): void {
    this.out.on('data', onStdout);
    this.err.on('data', onStderr);
  }

  /** kill signals the sandbox's group: SIGTERM, then SIGKILL after a grace period (as spawnGroup). */
  kill(): void {
    if (this.sent || this.settled) return;
    this.signal('SIGTERM');
    this.escalation = setTimeout(() => this.signal('SIGKILL'), 500);
    this.escalation.unref();
  }

  started(pid: number): void {
    this.pid = pid;
    if (this.sent) killGroup(pid, this.sent);
  }

  /** helperGone: the helper died, and its sandboxes with it (--die-with-parent); their pipes close. */
  helperGone(): void {
    if (this.settled) return;
    this.sent ??= 'SIGKILL';
    killGroup(this.pid, 'SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    this.sent = signal;
    killGroup(this.pid, signal);
  }

  /** ended: the sandboxed command exited; bubblewrap exits with it. */
  private ended(code: number): void {
    this.exitCode = code;
  }

  private closed(): void {
    this.open--;
    this.settle();
  }

  private settle(): void {
    if (this.settled || this.open > 0) return;
    this.settled = true;
    clearTimeout(this.escalation);
    // No exit code: bubblewrap died by our signal, or of its own set-up error (it exits 1).
    if (this.exitCode !== undefined) this.resolve({ exitCode: this.exitCode });
    else if (this.sent) this.resolve({ exitCode: this.sent === 'SIGKILL' ? 137 : 143, signal: this.sent });
    else this.resolve({ exitCode: 1 });
  }
}
