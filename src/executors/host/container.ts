// container.ts: run one container of the pod as host processes in its sandbox, and report how it
// ended the way a kubelet does (exit code, Completed/Error/StartError, termination message).
import { accessSync, chmodSync, constants, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { V1Container, V1ContainerStateTerminated, V1Pod } from '@kubernetes/client-node';
import { spawnGroup } from '../../proc/index.ts';
import type { ProcessResult } from '../../proc/index.ts';
import type { PodRunOptions } from '../executor.ts';
import type { EntrypointIO, RunEntrypointCommand, RunOutcome } from './entrypoint-link.ts';
import { containerMounts, expandKubeVars, terminationMount, type PodVolumes } from '../pod/index.ts';
import { mapPath, resolvePath } from './mounts.ts';
import { mapCommandToHost } from './path-mapping.ts';
import type { Mount } from './mounts.ts';
import { runPrestarted } from './prestart.ts';
import type { Prestarter } from './prestart.ts';
import { notified, runSandboxed } from './sandbox.ts';
import type { HostView, SandboxMode } from './sandbox.ts';

/** PodContext is what every container of one pod run shares. */
export interface PodContext {
  pod: V1Pod;
  options: PodRunOptions;
  volumes: PodVolumes;
  mode: SandboxMode;
  /** bundle is the host path of dist/entrypoint.cjs, mounted at /ko-app/entrypoint. */
  bundle: string | undefined;
  entrypoint: RunEntrypointCommand | undefined;
  /** scratchDir holds per-container files (termination messages, unshare roots). */
  scratchDir: string;
  /** hostView is the pod's one reading of the host root, shared by its containers' sandboxes. */
  hostView: HostView;
  /** prestarter holds sandboxes started ahead for entrypoint steps (prestart.ts), if enabled. */
  prestarter?: Prestarter;
}

/** ContainerRun is a container prepared to run: its mounts, env and working directory. */
export interface ContainerRun {
  container: V1Container;
  mounts: Mount[];
  env: Record<string, string>;
  cwd: string;
}

const koEntrypoint = '/ko-app/entrypoint';
// Tekton's working-dir-initializer and results-sidecar binaries; the entrypoint bundle serves them as subcommands.
const koWorkingDirInit = '/ko-app/workingdirinit';
const koSidecarLogResults = '/ko-app/sidecarlogresults';
const multiCall: Record<string, string> = { [koWorkingDirInit]: 'workingdirinit', [koSidecarLogResults]: 'sidecarlogresults' };
/** tektonEntrypoint is where Tekton's init container copies the entrypoint; step commands start with it. */
export const tektonEntrypoint = '/tekton/bin/entrypoint';

/** prepareContainer computes a container's mounts (volumeMounts, termination file), or the kubelet's CreateContainerConfigError message. */
export function prepareContainer(ctx: PodContext, container: V1Container, env: Record<string, string>): ContainerRun | { configError: string } {
  const volumeMounts = containerMounts(container, ctx.volumes, new Map(Object.entries(env)));
  if ('configError' in volumeMounts) return volumeMounts;
  const mounts = volumeMounts.mounts;
  const terminationPath = container.terminationMessagePath;
  if (terminationPath && !terminationPath.startsWith('/dev/')) {
    // Like the kubelet, back the termination message path with a fresh per-container file; not under
    // /dev (the default path), the host's own.
    mounts.push(terminationMount(path.join(ctx.scratchDir, 'termination'), container));
  }
  const ko = container.command?.[0];
  if (ctx.bundle && ko !== undefined && (ko === koEntrypoint || ko in multiCall)) mounts.push({ containerPath: ko, hostPath: ctx.bundle, readOnly: true });
  return { container, mounts, env, cwd: container.workingDir || '/' };
}

/** commandLine is command ++ args after the kubelet's $(VAR) expansion. */
export function commandLine(run: ContainerRun): string[] {
  const argv = [...(run.container.command ?? []), ...(run.container.args ?? [])];
  return argv.map((a) => expandKubeVars(a, (n) => (Object.hasOwn(run.env, n) ? run.env[n] : undefined)));
}

/** runContainer runs the container to its end and returns its terminated state. */
export async function runContainer(ctx: PodContext, run: ContainerRun, signal: AbortSignal, onStarted: (at: Date) => void): Promise<V1ContainerStateTerminated> {
  const startedAt = new Date();
  // A kubelet reports a container running (and, without a readinessProbe, ready) once its
  // process exists: an in-process entrypoint at once, a sandboxed command once exec'd in its
  // sandbox (a sidecar reported ready earlier races the first step, which reads what it writes).
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    onStarted(startedAt);
  };
  const tail = new LogTail();
  const log =
    (stream: 'stdout' | 'stderr') =>
    (data: Buffer): void => {
      tail.push(data);
      ctx.options.onLog({ container: run.container.name, stream, data });
    };
  const argv = commandLine(run);
  const inProcess = ctx.entrypoint && (argv[0] === tektonEntrypoint || argv[0] === koEntrypoint || argv[0] in multiCall);
  // In-process, a multi-call name becomes the entrypoint's subcommand of that name.
  const inProcessArgv = argv[0] in multiCall ? [koEntrypoint, multiCall[argv[0]], ...argv.slice(1)] : argv;
  if (inProcess) start();
  const result = inProcess
    ? await runEntrypointInProcess(ctx, ctx.entrypoint!, run, inProcessArgv, signal, log)
    : await runInSandbox(ctx, run, argv, run.env, signal, log('stdout'), log('stderr'), start);
  await ctx.prestarter?.release(run.container.name); // a skipped step never launched its sandbox.
  const finishedAt = new Date();
  if ('startError' in result) return { exitCode: 128, reason: 'StartError', message: result.startError, startedAt, finishedAt };
  const message = terminationMessage(run, result.exitCode, tail);
  return {
    exitCode: result.exitCode,
    reason: result.exitCode === 0 ? 'Completed' : 'Error',
    ...(message ? { message } : {}),
    startedAt,
    finishedAt,
  };
}

/** runInSandbox runs argv in the container's sandbox, after checking it can be executed at all; onExec once the command has started. */
export async function runInSandbox(
  ctx: PodContext,
  run: ContainerRun,
  argv: string[],
  env: Record<string, string>,
  signal: AbortSignal,
  onStdout: (d: Buffer) => void,
  onStderr: (d: Buffer) => void,
  onExec?: () => void,
): Promise<ProcessResult> {
  if (argv.length === 0) return { startError: 'no command specified' };
  const missing = checkExecutable(argv[0], run, env.PATH ?? '');
  if (missing) return { startError: missing };
  if (ctx.mode === 'none') {
    const host = mapCommandToHost(argv, env, run.cwd, run.mounts, ctx.scratchDir);
    return notified(spawnGroup(host.argv, { cwd: host.cwd, env: host.env, signal, onStdout, onStderr, onSpawn: ctx.options?.onProcess }), onExec);
  }
  const cmd = { mode: ctx.mode, mounts: run.mounts, cwd: run.cwd, argv, scratchDir: ctx.scratchDir, view: ctx.hostView, onExec };
  return runSandboxed(cmd, { cwd: '/', env, signal, onStdout, onStderr, onSpawn: ctx.options?.onProcess });
}

/** runUserCommand runs an entrypoint's user command: in the container's prestarted sandbox when there is one. */
async function runUserCommand(
  ctx: PodContext,
  run: ContainerRun,
  argv: string[],
  env: Record<string, string>,
  signal: AbortSignal,
  onStdout: (d: Buffer) => void,
  onStderr: (d: Buffer) => void,
): Promise<ProcessResult> {
  const fresh = (): Promise<ProcessResult> => runInSandbox(ctx, run, argv, env, signal, onStdout, onStderr);
  if (argv.length === 0 || !ctx.prestarter || !sameEnv(env, run.env)) return fresh();
  const missing = checkExecutable(argv[0], run, env.PATH ?? '');
  if (missing) return { startError: missing };
  return runPrestarted(ctx.prestarter.take(run.container.name), argv, { signal, onStdout, onStderr }, fresh);
}

/** sameEnv compares two environments (a prestarted sandbox was started with the container's). */
function sameEnv(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** checkExecutable finds argv0 in the container's view; it returns Go's exec error text when absent. */
function checkExecutable(argv0: string, run: ContainerRun, searchPath: string): string | undefined {
  const isExecutableFile = (containerPath: string): boolean => {
    try {
      const host = resolvePath(containerPath, run.mounts);
      accessSync(host, constants.X_OK);
      return statSync(host).isFile();
    } catch {
      return false;
    }
  };
  if (argv0.includes('/')) {
    const full = path.posix.resolve(run.cwd, argv0);
    return isExecutableFile(full) ? undefined : `fork/exec ${argv0}: no such file or directory`;
  }
  const found = searchPath.split(':').some((dir) => dir && isExecutableFile(path.posix.join(dir, argv0)));
  return found ? undefined : `exec: "${argv0}": executable file not found in $PATH`;
}

/** runEntrypointInProcess runs the entrypoint library for this container, its user command in the sandbox. */
async function runEntrypointInProcess(
  ctx: PodContext,
  entrypoint: RunEntrypointCommand,
  run: ContainerRun,
  argv: string[],
  signal: AbortSignal,
  log: (stream: 'stdout' | 'stderr') => (d: Buffer) => void,
): Promise<ProcessResult> {
  const stdout = chunkSink(log('stdout'));
  const stderr = chunkSink(log('stderr'));
  const io: EntrypointIO = {
    runner: {
      run: (userArgv, o): Promise<RunOutcome> =>
        runUserCommand(
          ctx,
          run,
          userArgv,
          definedEnv(o.env),
          o.signal,
          (d) => o.stdout.write(d),
          (d) => o.stderr.write(d),
        ),
    },
    resolvePath: (p) => resolvePath(p, run.mounts),
    stdout,
    stderr,
    env: run.env,
    signal,
    now: () => new Date(),
  };
  try {
    const exitCode = await entrypoint(argv.slice(1), io);
    if (argv[0] === koEntrypoint && (argv[1] === 'init' || argv[1] === 'cp') && argv[3]) makeReadable(io.resolvePath(argv[3]));
    return { exitCode };
  } catch (err) {
    // A throw from the library is a bug; the container still ends, as a crashed binary would.
    stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    return { exitCode: 1 };
  }
}

/**
 * makeReadable opens up the copied entrypoint: Tekton's `cp` writes mode 0311, enough for a Go
 * binary, but our entrypoint is a node script that its interpreter must be able to read.
 */
function makeReadable(file: string): void {
  try {
    chmodSync(file, 0o755);
  } catch {
    // The copy failed; the container's exit code already says so.
  }
}

/** definedEnv drops unset entries of a ProcessEnv. */
function definedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** chunkSink is a Writable that hands every chunk to fn as a Buffer. */
function chunkSink(fn: (d: Buffer) => void): Writable {
  return new Writable({
    write(chunk: Buffer | string, _enc, callback): void {
      fn(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      callback();
    },
  });
}

/** terminationMessage reads terminationMessagePath (max 4096 bytes, as the kubelet), or the log tail for FallbackToLogsOnError. */
function terminationMessage(run: ContainerRun, exitCode: number, tail: LogTail): string | undefined {
  const file = run.container.terminationMessagePath;
  let message = '';
  if (file && mapPath(file, run.mounts) !== path.posix.resolve('/', file)) {
    try {
      message = readFileSync(resolvePath(file, run.mounts)).subarray(0, 4096).toString();
    } catch {
      message = '';
    }
  }
  if (!message && exitCode !== 0 && run.container.terminationMessagePolicy === 'FallbackToLogsOnError') message = tail.text();
  return message || undefined;
}

/** LogTail keeps the last 80 lines / 2048 bytes of a container's output (kubelet's fallback limits). */
class LogTail {
  private buffer = Buffer.alloc(0);

  /** push appends output, keeping only the tail. */
  push(data: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, data]);
    if (this.buffer.length > 2048) this.buffer = this.buffer.subarray(this.buffer.length - 2048);
  }

  /** text returns at most the last 80 lines. */
  text(): string {
    return this.buffer.toString().split('\n').slice(-81).join('\n');
  }
}
