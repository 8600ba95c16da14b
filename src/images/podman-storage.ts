// podman-storage.ts: an image's commands from podman's local storage (`podman image inspect`), the
// first place looked: images built or pulled here are what the podman executor runs, and asking
// costs no network. Skipped when podman is not installed; bounded by a short timeout.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import type { ImageConfigs } from '../oci/index.ts';

/** PODMAN_TIMEOUT_MS bounds one `podman image inspect` (a wedged storage lock must not hang a run). */
export const PODMAN_TIMEOUT_MS = 5_000;

interface Inspect {
  Digest?: string;
  Id?: string;
  Os?: string;
  Architecture?: string;
  Config?: { Entrypoint?: string[] | null; Cmd?: string[] | null } | null;
}

/** hasPodman says whether a `podman` executable is on PATH. */
export function hasPodman(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.PATH ?? '').split(':').some((dir) => {
    try {
      accessSync(path.join(dir || '.', 'podman'), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** inspectLocalImage returns the image's commands if podman has it locally, else undefined. */
export function inspectLocalImage(image: string, timeoutMs = PODMAN_TIMEOUT_MS): Promise<ImageConfigs | undefined> {
  return new Promise((resolve) => {
    execFile('podman', ['image', 'inspect', '--format', 'json', image], { timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (err, stdout) => {
      if (err) return resolve(undefined);
      try {
        const info = (JSON.parse(stdout) as Inspect[])[0];
        if (!info) return resolve(undefined);
        // Tekton's key: os/arch, without the CPU variant (pkg/pod/entrypoint_lookup_impl.go imageInfo).
        const plat = info.Os ? [info.Os, info.Architecture].filter(Boolean).join('/') : 'unknown';
        resolve({
          digest: info.Digest ?? (info.Id ? `sha256:${info.Id}` : ''),
          platforms: { [plat]: { entrypoint: info.Config?.Entrypoint ?? [], cmd: info.Config?.Cmd ?? [] } },
        });
      } catch {
        resolve(undefined);
      }
    });
  });
}
