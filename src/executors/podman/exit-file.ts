// exit-file.ts: a container's exit code as soon as its process has ended, from the file conmon
// writes into podman's exits directory (named by the container ID) before podman tears the
// container down. A kubelet reports a container terminated when the runtime sees its process end
// (containerd's TaskExit event), not once the container is removed; `podman run --rm` returns only
// after the network, the mounts and the container are gone (~35 % of its time).
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';

/**
 * exitsDir is podman's `<tmpdir>/exits` (libpod's default tmp_dir: /run/libpod for root, the
 * rootless runtime dir's libpod/tmp otherwise). A containers.conf that moves tmp_dir makes the
 * watch find nothing: containers then end when `podman run` returns, as before.
 */
export function exitsDir(): string {
  if (process.getuid?.() === 0) return '/run/libpod/exits';
  const runtimeDir = process.env.XDG_RUNTIME_DIR || `/tmp/podman-run-${process.getuid?.()}`;
  return join(runtimeDir, 'libpod', 'tmp', 'exits');
}

/**
 * watchExit calls onExit with the exit code once conmon has written the exit file of the container
 * whose ID podman writes to cidFile (`podman run --cidfile`). Started before `podman run`, so that
 * no exit is missed. The returned function stops watching.
 */
export function watchExit(cidFile: string, onExit: (code: number) => void, dir = exitsDir()): () => void {
  let id: string | undefined;
  let watcher: FSWatcher | undefined;
  const stop = () => {
    watcher?.close();
    watcher = undefined;
  };
  const check = (name: string | null) => {
    id ??= readText(cidFile);
    if (!id || (name !== null && name !== id)) return;
    const text = readText(join(dir, id));
    const code = text === undefined ? Number.NaN : Number.parseInt(text, 10);
    if (Number.isNaN(code) || !watcher) return;
    stop();
    onExit(code);
  };
  try {
    watcher = watch(dir, { persistent: false }, (_event, name) => check(name));
    watcher.on('error', stop);
  } catch {
    // No exits directory (podman's tmp_dir moved): the container ends with `podman run`.
  }
  return stop;
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
