// mounts.ts: the Pod's binds (pod/volumes.ts) as podman `--mount` flags, and the per-container
// termination message file.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Container } from '@kubernetes/client-node';
import type { Mount } from '../pod/index.ts';

/** DEFAULT_TERMINATION_PATH is Kubernetes' default terminationMessagePath. */
export const DEFAULT_TERMINATION_PATH = '/dev/termination-log';

/** terminationFile creates the host file that backs a container's terminationMessagePath (bind-mounted, as the kubelet does). */
export function terminationFile(workDir: string, c: V1Container): Mount {
  const dir = join(workDir, 'termination');
  mkdirSync(dir, { recursive: true });
  const hostPath = join(dir, c.name);
  writeFileSync(hostPath, '');
  chmodSync(hostPath, 0o666); // writable whatever runAsUser the container uses
  return { hostPath, containerPath: c.terminationMessagePath ?? DEFAULT_TERMINATION_PATH, readOnly: false };
}

/** mountArgs renders bind mounts as podman `--mount` flags (no `:`-splitting pitfalls of `-v`). */
export function mountArgs(mounts: Mount[]): string[] {
  return mounts.flatMap((m) => ['--mount', `type=bind,src=${m.hostPath},dst=${m.containerPath}${m.readOnly ? ',ro=true' : ''}`]);
}
