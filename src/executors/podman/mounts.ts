// mounts.ts: the Pod's binds (pod/volumes.ts) as podman flags.
import type { Mount } from '../pod/index.ts';

/** mountArgs renders bind mounts as podman `--mount` flags (no `:`-splitting pitfalls of `-v`). */
export function mountArgs(mounts: Mount[]): string[] {
  return mounts.flatMap((m) => ['--mount', `type=bind,src=${m.hostPath},dst=${m.containerPath}${m.readOnly ? ',ro=true' : ''}`]);
}
