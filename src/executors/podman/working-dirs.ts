// working-dirs.ts: Tekton's working-dir-initializer (/ko-app/workingdirinit) done by the executor:
// `mkdir -p` (0755) of each step workingDir inside the volume that backs it.
import { mkdirSync } from 'node:fs';
import { posix } from 'node:path';
import type { V1Container } from '@kubernetes/client-node';
import { containerEnv, containerMounts, hostPathOf } from '../pod/index.ts';
import type { PodContext } from './plan.ts';

/** initWorkingDirs creates the container's args (relative to its workingDir, /workspace) in the volumes mounted there. */
export function initWorkingDirs(ctx: PodContext, c: V1Container): void {
  const env = containerEnv(c, ctx.pod, ctx.sources);
  const bound = containerMounts(c, ctx.volumes, 'configError' in env ? new Map() : env.env);
  if ('configError' in bound) return;
  for (const dir of c.args ?? []) {
    // A directory no volume covers would live in this init container's own root filesystem: nothing to keep.
    const host = hostPathOf(posix.resolve(c.workingDir ?? '/workspace', dir), bound.mounts);
    if (host) mkdirSync(host, { recursive: true, mode: 0o755 });
  }
}
