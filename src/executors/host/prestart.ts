// prestart.ts: start a step's sandbox before its turn. A Pod's step containers all start at once
// and each entrypoint waits for the previous step's post file (TEKTON-FACTS §1); the sandbox of
// a host "container" costs a bubblewrap/unshare set-up (~10 ms, docs/benchmarks.md) that would
// otherwise sit between one step's post file and the next step's command. A prestarted sandbox
// is a shell inside the container's namespace, blocked reading its command from fd 3; when the
// entrypoint runs the user command, the shell is handed `exec <argv>`, so the command keeps the
// sandbox's pid and process group. At most `ahead` sandboxes wait at a time, in container order.
import type { ProcessResult, SpawnedProcess } from '../../proc/index.ts';
import { spawnGroup } from '../../proc/index.ts';
import type { ContainerRun, PodContext } from './container.ts';
import { isTransientSetupFailure, SetupErrorGate, wrapCommand } from './sandbox.ts';

// The shell reads its command from fd 3 to the end with builtins only (node's stdio "pipe" is a
// socket, which /dev/fd/3 cannot reopen), closes fd 3 so the user command inherits nothing, and
// evaluates it: `exec 'arg0' 'arg1' ...`.
const launcher = ['/bin/sh', '-c', 's=; while IFS= read -r l <&3; do s="$s$l\n"; done; exec 3<&-; eval "$s"'];

/** LaunchSinks receive a launched command's output and abort it. */
export interface LaunchSinks {
  signal: AbortSignal;
  onStdout(d: Buffer): void;
  onStderr(d: Buffer): void;
}

/** PrestartedSandbox is a container's sandbox waiting for its command. */
export class PrestartedSandbox {
  private sinks: LaunchSinks | undefined;
  private exited = false;
  // Output before launch: only the sandbox set-up writes then (its errors), replayed at launch so
  // that a set-up that failed just before the command was handed over is still recognised.
  private readonly early: { stream: 'stdout' | 'stderr'; data: Buffer }[] = [];
  private readonly abort = new AbortController();
  private readonly process: SpawnedProcess;

  constructor(ctx: PodContext, run: ContainerRun) {
    const argv = wrapCommand(ctx.mode, run.mounts, run.cwd, launcher, ctx.scratchDir, ctx.hostView);
    this.process = spawnGroup(argv, {
      cwd: '/',
      env: run.env,
      signal: this.abort.signal,
      controlPipe: true,
      onSpawn: ctx.options?.onProcess,
      onStdout: (d) => (this.sinks ? this.sinks.onStdout(d) : this.early.push({ stream: 'stdout', data: d })),
      onStderr: (d) => (this.sinks ? this.sinks.onStderr(d) : this.early.push({ stream: 'stderr', data: d })),
    });
    void this.process.result.then(() => {
      this.exited = true;
    });
  }

  /** launch runs argv in the sandbox; undefined when the sandbox is gone (the caller starts a fresh one). */
  launch(argv: string[], sinks: LaunchSinks): Promise<ProcessResult> | undefined {
    if (this.exited || !this.process.control || this.sinks) return undefined;
    this.sinks = sinks;
    for (const { stream, data } of this.early.splice(0)) (stream === 'stdout' ? sinks.onStdout : sinks.onStderr)(data);
    if (sinks.signal.aborted) this.abort.abort();
    else sinks.signal.addEventListener('abort', () => this.abort.abort(), { once: true });
    this.process.control.end(`exec ${argv.map(shellQuote).join(' ')}\n`);
    return this.process.result;
  }

  /** discard stops a sandbox that was never launched. */
  async discard(): Promise<void> {
    if (this.sinks) return;
    this.abort.abort();
    await this.process.result;
  }
}

/** Prestarter keeps up to `ahead` sandboxes of the pod's entrypoint steps waiting, in container order. */
export class Prestarter {
  private readonly pending: ContainerRun[];
  private readonly waiting = new Map<string, PrestartedSandbox>();
  private closed = false;

  constructor(
    private readonly ctx: PodContext,
    runs: ContainerRun[],
    private readonly ahead: number,
    wanted: (run: ContainerRun) => boolean,
  ) {
    this.pending = ctx.mode === 'none' ? [] : runs.filter(wanted);
    this.fill();
  }

  /** take hands over the container's sandbox (undefined if none was prestarted) and prestarts the next ones. */
  take(name: string): PrestartedSandbox | undefined {
    const sandbox = this.waiting.get(name);
    this.waiting.delete(name);
    const i = this.pending.findIndex((r) => r.container.name === name);
    if (i >= 0) this.pending.splice(i, 1);
    this.fill();
    return sandbox;
  }

  /** release discards the container's sandbox if it was never launched (a skipped step, a cancel). */
  async release(name: string): Promise<void> {
    await this.take(name)?.discard();
  }

  /** close discards every waiting sandbox and prestarts no more. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending.length = 0;
    const left = [...this.waiting.values()];
    this.waiting.clear();
    await Promise.all(left.map((s) => s.discard()));
  }

  private fill(): void {
    for (const run of this.pending) {
      if (this.closed || this.waiting.size >= this.ahead) return;
      if (!this.waiting.has(run.container.name)) this.waiting.set(run.container.name, new PrestartedSandbox(this.ctx, run));
    }
  }
}

/**
 * runPrestarted runs argv in the prestarted sandbox, or through fallback when there is none, it
 * died, or its set-up failed transiently after the command was handed over (sandbox.ts).
 */
export async function runPrestarted(sandbox: PrestartedSandbox | undefined, argv: string[], sinks: LaunchSinks, fallback: () => Promise<ProcessResult>): Promise<ProcessResult> {
  const gate = new SetupErrorGate(sinks.onStderr);
  const launched = sandbox?.launch(argv, { signal: sinks.signal, onStdout: gate.stdout(sinks.onStdout), onStderr: gate.stderr() });
  if (!launched) return fallback();
  const result = await launched;
  if (isTransientSetupFailure(result, gate) && !sinks.signal.aborted) return fallback();
  gate.release();
  return result;
}

/** shellQuote quotes one word for sh. */
function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
