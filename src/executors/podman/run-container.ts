// run-container.ts: one attached `podman run`: output streamed live as LogChunks, the final state read
// back with `podman inspect` (exit code, OOMKilled, start/finish times) and the termination message file.
// A self-removing step ends when its process does (exit-file.ts), its removal left to `podman run`.
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { V1ContainerStateTerminated } from '@kubernetes/client-node';
import type { LogChunk } from '../executor.ts';
import { forgetCheck } from './check-stamp.ts';
import { lastLine, type PodmanCli } from './cli.ts';
import { terminatedState as terminated } from '../pod/index.ts';
import { watchExit } from './exit-file.ts';
import { FifoStream } from './stdio-fifos.ts';

/** MAX_TERMINATION_MESSAGE is the kubelet's limit on a termination message (4 KiB). */
const MAX_TERMINATION_MESSAGE = 4096;
const KILL_RETRY_MS = 250;

/** ContainerRunInput names the container, its `podman run` arguments and where its output goes. */
export interface ContainerRunInput {
  cli: PodmanCli;
  container: string;
  podmanName: string;
  args: string[];
  terminationFile?: string;
  /** rootfsDirs are created in the container's root filesystem before it starts (podman 4 does not create a missing workingDir; runc does). */
  rootfsDirs?: string[];
  /** removesItself: args run the container with `--rm` (plan.ts): nothing is left to inspect once it ends. */
  removesItself?: boolean;
  /**
   * early: the container's stdout and stderr are these FIFOs (podman's passthrough log driver) and
   * its ID goes to cidFile: it ends when its process ends, while `podman run` still removes it.
   */
  early?: EarlyEnd;
  /** onDetached is given `podman run`'s exit code to come when the container ended before it (early). */
  onDetached?(closed: Promise<number>): void;
  signal: AbortSignal;
  onLog(chunk: LogChunk): void;
}

/** EarlyEnd names the files of a container that ends with its process (ContainerRunInput.early). */
export interface EarlyEnd {
  cidFile: string;
  stdout: string;
  stderr: string;
}

/** runContainer runs the container to its end and resolves with its terminated state; aborting kills it (SIGKILL, retried until it is gone). */
export async function runContainer(input: ContainerRunInput): Promise<V1ContainerStateTerminated> {
  const { cli, container, podmanName } = input;
  let args = input.args;
  if (input.rootfsDirs?.length) {
    const made = await createWithDirs(cli, podmanName, args, input.rootfsDirs);
    if (made) return terminated(128, undefined, new Date(), made, 'StartError');
    args = ['start', '--attach', podmanName];
  }
  const spawnedAt = new Date();
  let stderrTail = '';
  const onStdout = (data: Buffer) => input.onLog({ container, stream: 'stdout', data });
  const onStderr = (data: Buffer) => {
    stderrTail = (stderrTail + data.toString('utf8')).slice(-4096);
    input.onLog({ container, stream: 'stderr', data });
  };
  const fifos = input.early && openFifos(input.early, onStdout, onStderr);
  let exitFile: Promise<number> | undefined;
  let stopWatch = () => {};
  let child: ChildProcess;
  if (fifos && input.early) {
    const cidFile = input.early.cidFile;
    exitFile = new Promise((resolve) => {
      stopWatch = watchExit(cidFile, resolve);
    });
    child = cli.spawn(passthrough(args, cidFile), [fifos[0].writeFd!, fifos[1].writeFd!]);
    for (const f of fifos) f.closeWriter();
  } else {
    child = cli.spawn(args);
    child.stdout!.on('data', onStdout);
    child.stderr!.on('data', onStderr);
  }
  const closed = new Promise<number>((resolve) => {
    child.on('error', () => resolve(-1));
    child.on('close', (code) => resolve(code ?? -1));
  });
  let open = true;
  const kill = () => killUntilClosed(cli, podmanName, () => open);
  if (input.signal.aborted) kill();
  else input.signal.addEventListener('abort', kill, { once: true });
  const first = await Promise.race([closed.then((code) => ({ code, closed: true })), ...(exitFile ? [exitFile.then((code) => ({ code, closed: false }))] : [])]);
  const message = () => (input.terminationFile ? readMessage(input.terminationFile) : undefined);
  // Its process ended: what it wrote is in the FIFOs. 125-127 without a termination message may be
  // podman's own failure to start it, which only `podman run`'s end explains.
  if (!first.closed && fifos && (first.code < 125 || first.code > 127 || message() !== undefined)) {
    open = false;
    input.signal.removeEventListener('abort', kill);
    for (const f of fifos) f.drain((data) => (stderrTail = (stderrTail + data.toString('utf8')).slice(-4096)));
    input.onDetached?.(
      closed.then((code) => {
        stopWatch();
        for (const f of fifos) f.close();
        return code;
      }),
    );
    return terminated(first.code, spawnedAt, new Date(), message());
  }
  const code = await closed;
  stopWatch();
  if (fifos) {
    for (const f of fifos) {
      f.drain(() => {});
      f.close();
    }
  }
  open = false;
  input.signal.removeEventListener('abort', kill);
  // `podman run` exits with the container's code; 125-127 are also podman's own start failures and 137
  // a kill (maybe the OOM killer): only those, or a memory-limited container (its OOM kill may hit a
  // child and leave PID 1 alive), need `podman inspect` (~50 ms) for StartError / OOMKilled.
  if (code >= 0 && code < 125 && !input.args.includes('--memory')) {
    return terminated(code, spawnedAt, new Date(), input.terminationFile ? readMessage(input.terminationFile) : undefined);
  }
  if (input.removesItself && code >= 0) return selfRemovedState(code, spawnedAt, stderrTail, input.terminationFile);
  return finalState(cli, podmanName, code, stderrTail, input.terminationFile);
}

// `podman create` (the run flags), then mkdir -p inside its mounted root filesystem; returns an error message on failure.
async function createWithDirs(cli: PodmanCli, name: string, runArgs: string[], dirs: string[]): Promise<string | undefined> {
  const created = await cli.run(['create', ...runArgs.slice(1)]);
  if (created.code !== 0) return lastLine(created.stderr);
  const mounted = await cli.run(['mount', name]);
  if (mounted.code !== 0) return `cannot create workingDir: ${lastLine(mounted.stderr)}`;
  try {
    for (const d of dirs) mkdirSync(join(mounted.stdout.trim(), d), { recursive: true, mode: 0o755 });
  } finally {
    await cli.run(['umount', name]);
  }
  return undefined;
}

// The container may not exist yet when the abort arrives (podman run still creating it): retry.
async function killUntilClosed(cli: PodmanCli, name: string, open: () => boolean): Promise<void> {
  while (open()) {
    await cli.run(['kill', '--signal', 'KILL', name]);
    await new Promise((r) => setTimeout(r, KILL_RETRY_MS));
  }
}

interface InspectedState {
  ExitCode: number;
  OOMKilled: boolean;
  StartedAt: string;
  FinishedAt: string;
}

async function finalState(cli: PodmanCli, name: string, code: number, stderrTail: string, terminationFile?: string): Promise<V1ContainerStateTerminated> {
  const r = await cli.run(['inspect', '--type', 'container', '--format', '{{json .State}}', name]);
  const now = new Date();
  let state: InspectedState | undefined;
  try {
    state = r.code === 0 ? (JSON.parse(r.stdout) as InspectedState) : undefined;
  } catch {
    state = undefined;
  }
  const started = state && validDate(state.StartedAt);
  // Never started: the runtime could not start the process (containerd reports StartError, exit 128).
  if (state && !started) return startError(stderrTail, now);
  const exitCode = state ? state.ExitCode : code;
  const message = terminationFile ? readMessage(terminationFile) : undefined;
  const reason = state?.OOMKilled ? 'OOMKilled' : undefined;
  return terminated(exitCode, started, (state && validDate(state.FinishedAt)) || now, message, reason);
}

/**
 * selfRemovedState is how a `--rm` step ended, without `podman inspect`: the entrypoint writes its
 * termination message whenever it ran, so 126-127 (made, but the runtime could not start it) with
 * none is the runtime's StartError; anything else is the exit code (125: podman made nothing; 137: killed).
 */
function selfRemovedState(code: number, spawnedAt: Date, stderrTail: string, terminationFile?: string): V1ContainerStateTerminated {
  const message = terminationFile ? readMessage(terminationFile) : undefined;
  if ((code === 126 || code === 127) && message === undefined) return startError(stderrTail, new Date());
  return terminated(code, spawnedAt, new Date(), message);
}

function startError(stderrTail: string, now: Date): V1ContainerStateTerminated {
  // A runtime that stopped working (ulimits, crun) must be explained by the next checkPodman again.
  if (/rlimit|crun|cgroup/i.test(stderrTail)) forgetCheck();
  return terminated(128, undefined, now, lastLine(stderrTail) || 'container did not start', 'StartError');
}

function validDate(text: string): Date | undefined {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1970 ? undefined : d;
}

function readMessage(path: string): string | undefined {
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(MAX_TERMINATION_MESSAGE);
      const n = readSync(fd, buf, 0, buf.length, 0);
      return n > 0 ? buf.subarray(0, n).toString('utf8') : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

// The FIFOs opened for reading, or undefined (the container then runs attached, as before).
function openFifos(early: EarlyEnd, onStdout: (d: Buffer) => void, onStderr: (d: Buffer) => void): [FifoStream, FifoStream] | undefined {
  let out: FifoStream | undefined;
  try {
    out = new FifoStream(early.stdout, onStdout);
    return [out, new FifoStream(early.stderr, onStderr)];
  } catch {
    out?.close();
    return undefined;
  }
}

/** passthrough gives the container podman's own stdout and stderr (the FIFOs) and has its ID written to cidFile. */
function passthrough(args: string[], cidFile: string): string[] {
  const out = [...args];
  const at = out.indexOf('--log-driver');
  if (at > 0) out.splice(at, 2, '--log-driver', 'passthrough', '--cidfile', cidFile);
  return out;
}
