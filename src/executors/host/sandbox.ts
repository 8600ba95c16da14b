// sandbox.ts: wrap a host command so it runs in a private mount namespace where the container's
// volumeMounts sit at their literal absolute paths (/tekton/run/0, /workspace, ...).
// The layout (layout.ts) keeps mount points off the real host file system.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { spawnGroup } from '../../proc/index.ts';
import type { ProcessResult, SpawnedProcess, SpawnOptions } from '../../proc/index.ts';
import { HostView, sandboxLayout } from './layout.ts';
import { cachedProbe, forgetProbes, probeKey, rememberProbe } from './probe-cache.ts';
import type { Mount } from './mounts.ts';

export { HostView } from './layout.ts';

/** SandboxMode is how container paths are provided: bubblewrap, unshare+chroot, or path rewriting. */
export type SandboxMode = 'bwrap' | 'unshare' | 'none';

/** SandboxPreference is what a caller asks for; 'auto' picks the first mode that works here. */
export type SandboxPreference = SandboxMode | 'auto';

/** wrapBwrap builds the bubblewrap argv for argv run in cwd with mounts. */
function wrapBwrap(mounts: Mount[], cwd: string, argv: string[], view: HostView): string[] {
  const out = ['bwrap'];
  for (const o of sandboxLayout(mounts, view)) {
    if (o.op === 'host') out.push('--dev-bind', o.path, o.path);
    else if (o.op === 'link') out.push('--symlink', o.target, o.path);
    else if (o.op === 'dir') out.push('--perms', o.mode.toString(8), '--dir', o.path);
    else out.push(o.readOnly ? '--ro-bind' : '--bind', o.hostPath, o.path);
  }
  out.push('--dir', cwd, '--chdir', cwd, '--die-with-parent', '--', ...argv);
  return out;
}

// unshareScript mounts a tmpfs on $1, replays the layout operations (kind, a, b triples) into
// it, then chroots there. Arguments: $1 root dir, $2 cwd, $3 operation count, the triples, the command.
const unshareScript = `set -e
R="$1"; CWD="$2"; N="$3"; shift 3
mount -t tmpfs tektite "$R"
bindAt() { if [ -d "$1" ]; then mkdir -p "$2"; else mkdir -p "$(dirname "$2")"; [ -e "$2" ] || : > "$2"; fi; mount --rbind "$1" "$2"; }
while [ "$N" -gt 0 ]; do
  case "$1" in
    host) bindAt "$2" "$R$2" ;;
    link) ln -s "$2" "$R$3" ;;
    dir) mkdir -p "$R$2"; chmod "$3" "$R$2" ;;
    rw) bindAt "$2" "$R$3" ;;
    ro) bindAt "$2" "$R$3"; mount -o remount,bind,ro "$R$3" ;;
  esac
  shift 3; N=$((N-1))
done
exec chroot "$R" /bin/sh -c 'mkdir -p "$0" && cd "$0" && exec "$@"' "$CWD" "$@"`;

/** wrapUnshare builds the `unshare -m` argv; rootDir is an empty directory for the new root. */
function wrapUnshare(mounts: Mount[], cwd: string, argv: string[], rootDir: string, view: HostView): string[] {
  const ops = sandboxLayout(mounts, view);
  const triples = ops.flatMap((o): string[] => {
    if (o.op === 'host') return ['host', o.path, ''];
    if (o.op === 'link') return ['link', o.target, o.path];
    if (o.op === 'dir') return ['dir', o.path, o.mode.toString(8)];
    return [o.readOnly ? 'ro' : 'rw', o.hostPath, o.path];
  });
  return ['unshare', '-m', '--propagation', 'private', 'sh', '-c', unshareScript, 'sh', rootDir, cwd, String(ops.length), ...triples, ...argv];
}

/** wrapCommand returns the argv that runs argv with mounts at cwd under the given mode ('none' returns argv unchanged). */
export function wrapCommand(mode: SandboxMode, mounts: Mount[], cwd: string, argv: string[], scratchDir: string, view = new HostView()): string[] {
  if (mode === 'bwrap') return wrapBwrap(mounts, cwd, argv, view);
  if (mode === 'unshare') return wrapUnshare(mounts, cwd, argv, mkdtempSync(path.join(scratchDir, 'root-')), view);
  return argv;
}

/** SandboxedCommand is one command to run in a sandbox. */
export interface SandboxedCommand {
  mode: SandboxMode;
  mounts: Mount[];
  cwd: string;
  argv: string[];
  scratchDir: string;
  /** view is the pod's HostView (one per pod, so containers share one reading of the host). */
  view?: HostView;
  /**
   * onExec is called once the command itself has been started inside the sandbox, its set-up
   * done (a kubelet's "container started"); it may be called again after a retried set-up.
   */
  onExec?: () => void;
}

// notifier runs in the sandbox in front of a command that wants onExec: it signals on fd 3 (the
// spawn's control pipe), closes it so the command inherits nothing, and execs the command in
// its own place (no extra process). Setting up a sandbox takes ~10 ms after the spawn.
const notifier = ['/bin/sh', '-c', 'echo >&3; exec 3>&-; exec "$@"', 'sh'];

// bwrap binds host directories recursively (MS_REC), then remounts every submount it copied to
// apply mount flags. A submount that vanishes in between (podman's overlay `merged` mounts under
// /var/lib/containers and its /run/netns/netns-* mounts come and go as containers start and
// stop) fails the whole set-up, with ENOENT or EINVAL:
//   bwrap: Can't bind mount /oldroot/var on /newroot/var: Unable to apply mount flags: remount "...": No such file or directory
//   bwrap: Can't bind mount /oldroot/run on /newroot/run: Unable to apply mount flags: remount "/newroot/run/netns/...": Invalid argument
// A host root entry read for the pod's layout may also be gone since (`Can't find source path`).
// Nothing of the user's command has run then, so the set-up is simply tried again.
const transientBwrapFailure =
  /^bwrap: (?:Can't bind mount [^\n]*(?:: Unable to apply mount flags: remount [^\n]*|: No such file or directory)|Can't find source path [^\n]*: No such file or directory)\n?$/;
const bwrapAttempts = 5;

/** runSandboxed runs a command in its sandbox, retrying bubblewrap set-up failures caused by mounts that vanished meanwhile. */
export async function runSandboxed(cmd: SandboxedCommand, options: SpawnOptions): Promise<ProcessResult> {
  const view = cmd.view ?? new HostView();
  for (let attempt = 1; ; attempt++) {
    const inner = cmd.onExec && cmd.mode !== 'none' ? [...notifier, ...cmd.argv] : cmd.argv;
    const argv = wrapCommand(cmd.mode, cmd.mounts, cmd.cwd, inner, cmd.scratchDir, view);
    const spawnOptions = { ...options, controlPipe: inner !== cmd.argv };
    if (cmd.mode !== 'bwrap') return notified(spawnGroup(argv, spawnOptions), cmd.onExec);
    const gate = new SetupErrorGate(options.onStderr);
    const process = spawnGroup(argv, { ...spawnOptions, onStdout: gate.stdout(options.onStdout), onStderr: gate.stderr() });
    const result = await notified(process, cmd.onExec);
    const retry = attempt < bwrapAttempts && !options.signal?.aborted && isTransientSetupFailure(result, gate);
    if (!retry) {
      gate.release();
      return result;
    }
    view.forget(); // the host changed under us: read it again.
  }
}

/**
 * notified calls onExec when the process started: on the notifier's byte when it has a control
 * pipe, else at once if it was spawned (node has then forked and exec'd it: a pid is only set on
 * success). It returns the process's result.
 */
export function notified(process: SpawnedProcess, onExec: (() => void) | undefined): Promise<ProcessResult> {
  if (!onExec) return process.result;
  // node's stdio pipes are socket pairs: the control pipe can be read as well as written.
  const control = process.control as (NodeJS.WritableStream & Partial<Pick<Readable, 'once' | 'resume'>>) | undefined;
  if (control?.once && control.resume) {
    control.once('data', () => onExec());
    control.resume();
  } else if (process.pid !== undefined) {
    onExec();
  }
  return process.result;
}

/** isTransientSetupFailure reports whether a run ended with bubblewrap's set-up error for a mount that vanished meanwhile. */
export function isTransientSetupFailure(result: ProcessResult, gate: SetupErrorGate): boolean {
  return 'exitCode' in result && result.exitCode === 1 && gate.heldMatches(transientBwrapFailure);
}

/**
 * SetupErrorGate holds back stderr that may be bubblewrap's own set-up error (it starts with
 * "bwrap: "), so that a set-up retried never shows in the container's log; anything on stdout,
 * or stderr that does not start that way, passes straight through.
 */
export class SetupErrorGate {
  private held: Buffer[] | undefined;
  private open = false;

  constructor(private readonly onStderr: ((d: Buffer) => void) | undefined) {}

  /** stdout wraps a stdout sink: output there means the command runs, so held stderr is let through. */
  stdout(onStdout: ((d: Buffer) => void) | undefined): (d: Buffer) => void {
    return (d) => {
      this.release();
      onStdout?.(d);
    };
  }

  /** stderr is the stderr sink: it holds output that starts with "bwrap: ". */
  stderr(): (d: Buffer) => void {
    return (d) => {
      if (!this.open && !this.held && d.subarray(0, 7).toString() === 'bwrap: ') this.held = [];
      if (this.held) this.held.push(d);
      else {
        this.open = true;
        this.onStderr?.(d);
      }
    };
  }

  /** heldMatches tests the held stderr against pattern. */
  heldMatches(pattern: RegExp): boolean {
    return this.held !== undefined && pattern.test(Buffer.concat(this.held).toString());
  }

  /** release passes held stderr on and lets everything through from now on. */
  release(): void {
    const held = this.held;
    this.held = undefined;
    this.open = true;
    // A set-up error that is not retried: bubblewrap may no longer work here, so the next process probes again.
    if (held) forgetProbes();
    for (const d of held ?? []) this.onStderr?.(d);
  }
}

const detected = new Map<SandboxPreference, Promise<SandboxMode>>();

/** detectSandbox finds, once per process, the first sandbox mode that really works here. */
export function detectSandbox(preference: SandboxPreference): Promise<SandboxMode> {
  if (preference === 'none') return Promise.resolve('none');
  let found = detected.get(preference);
  if (!found) {
    const modes: SandboxMode[] = preference === 'auto' ? ['bwrap', 'unshare'] : [preference];
    // Only the best mode's success is remembered (probe-cache.ts): a probe that failed, perhaps
    // for a passing reason, is made again by the next process, as before.
    const key = probeKey(modes);
    const cached = cachedProbe(preference, key, modes.slice(0, 1));
    found = cached
      ? Promise.resolve(cached)
      : probeModes(modes).then((mode) => {
          if (mode === modes[0]) rememberProbe(preference, key, mode);
          return mode;
        });
    detected.set(preference, found);
  }
  return found;
}

/** probeModes tries each mode with a bind at a path the host does not have. */
async function probeModes(modes: SandboxMode[]): Promise<SandboxMode> {
  for (const mode of modes) {
    if (await probe(mode)) return mode;
  }
  return 'none';
}

/**
 * probe runs `test -f` in the sandbox on a file of a host directory bound at a path the host
 * does not have: true only if the bind really appeared. It binds the directory holding the node
 * binary, so the bwrap probe writes nothing (a CLI that exits mid-probe leaves no temp dir).
 */
async function probe(mode: SandboxMode): Promise<boolean> {
  const scratch = mode === 'unshare' ? mkdtempSync(path.join(os.tmpdir(), 'tektite-probe-')) : undefined;
  try {
    const target = `/tektite-probe-${process.pid}-${Date.now().toString(36)}`;
    const mounts = [{ hostPath: path.dirname(process.execPath), containerPath: target, readOnly: true }];
    const argv = ['test', '-f', `${target}/${path.basename(process.execPath)}`];
    const cmd = { mode, mounts, cwd: '/', argv, scratchDir: scratch ?? os.tmpdir() };
    const result = await runSandboxed(cmd, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } });
    return 'exitCode' in result && result.exitCode === 0;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}
