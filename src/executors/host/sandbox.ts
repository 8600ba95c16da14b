// sandbox.ts: wrap a host command so it runs in a private mount namespace where the container's
// volumeMounts sit at their literal absolute paths (/tekton/run/0, /workspace, ...).
// The layout (layout.ts) keeps mount points off the real host file system.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnGroup } from '../../proc/index.ts';
import { sandboxLayout } from './layout.ts';
import type { Mount } from './mounts.ts';

/** SandboxMode is how container paths are provided: bubblewrap, unshare+chroot, or path rewriting. */
export type SandboxMode = 'bwrap' | 'unshare' | 'none';

/** SandboxPreference is what a caller asks for; 'auto' picks the first mode that works here. */
export type SandboxPreference = SandboxMode | 'auto';

/** wrapBwrap builds the bubblewrap argv for argv run in cwd with mounts. */
function wrapBwrap(mounts: Mount[], cwd: string, argv: string[]): string[] {
  const out = ['bwrap'];
  for (const o of sandboxLayout(mounts)) {
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
function wrapUnshare(mounts: Mount[], cwd: string, argv: string[], rootDir: string): string[] {
  const ops = sandboxLayout(mounts);
  const triples = ops.flatMap((o): string[] => {
    if (o.op === 'host') return ['host', o.path, ''];
    if (o.op === 'link') return ['link', o.target, o.path];
    if (o.op === 'dir') return ['dir', o.path, o.mode.toString(8)];
    return [o.readOnly ? 'ro' : 'rw', o.hostPath, o.path];
  });
  return ['unshare', '-m', '--propagation', 'private', 'sh', '-c', unshareScript, 'sh',
    rootDir, cwd, String(ops.length), ...triples, ...argv];
}

/** wrapCommand returns the argv that runs argv with mounts at cwd under the given mode ('none' returns argv unchanged). */
export function wrapCommand(mode: SandboxMode, mounts: Mount[], cwd: string, argv: string[], scratchDir: string): string[] {
  if (mode === 'bwrap') return wrapBwrap(mounts, cwd, argv);
  if (mode === 'unshare') return wrapUnshare(mounts, cwd, argv, mkdtempSync(path.join(scratchDir, 'root-')));
  return argv;
}

const detected = new Map<SandboxPreference, Promise<SandboxMode>>();

/** detectSandbox finds, once per process, the first sandbox mode that really works here. */
export function detectSandbox(preference: SandboxPreference): Promise<SandboxMode> {
  if (preference === 'none') return Promise.resolve('none');
  let found = detected.get(preference);
  if (!found) {
    found = probeModes(preference === 'auto' ? ['bwrap', 'unshare'] : [preference]);
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

/** probe runs `test -f <probe path>/ok` in the sandbox: true only if the bind really appeared. */
async function probe(mode: SandboxMode): Promise<boolean> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'tektite-probe-'));
  try {
    const vol = path.join(scratch, 'vol');
    mkdirSync(vol);
    writeFileSync(path.join(vol, 'ok'), 'ok');
    const target = `/tektite-probe-${path.basename(scratch)}`;
    const argv = wrapCommand(mode, [{ hostPath: vol, containerPath: target, readOnly: true }], '/', ['test', '-f', target + '/ok'], scratch);
    const result = await spawnGroup(argv, { env: { PATH: process.env.PATH ?? '/usr/bin:/bin' } }).result;
    return 'exitCode' in result && result.exitCode === 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
