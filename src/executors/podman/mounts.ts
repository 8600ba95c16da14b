// mounts.ts: a container's volumeMounts as bind mounts of the Pod's host volume directories
// (subPath, subPathExpr, readOnly), and the per-container termination message file.
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { V1Container } from '@kubernetes/client-node';
import { expandKubeVars } from './env.ts';
import type { BindMount } from './node-runtime.ts';
import type { PodVolumes } from './volumes.ts';

/** DEFAULT_TERMINATION_PATH is Kubernetes' default terminationMessagePath. */
export const DEFAULT_TERMINATION_PATH = '/dev/termination-log';

/** containerMounts maps each volumeMount to a bind mount of its volume's host path; unknown volumes are an error value. */
export function containerMounts(c: V1Container, volumes: PodVolumes, env: Map<string, string>): BindMount[] | { error: string } {
  const mounts: BindMount[] = [];
  for (const m of c.volumeMounts ?? []) {
    const vol = volumes.byName.get(m.name);
    if (!vol) return { error: `volume ${JSON.stringify(m.name)} of volumeMount ${JSON.stringify(m.mountPath)} is not a volume of the pod` };
    const sub = m.subPathExpr ? expandKubeVars(m.subPathExpr, env) : (m.subPath ?? '');
    if (sub.split('/').includes('..')) return { error: `volumeMount ${JSON.stringify(m.name)}: subPath ${JSON.stringify(sub)} must not contain '..'` };
    const source = sub ? join(vol.path, sub) : vol.path;
    // The kubelet creates a missing subPath as a directory with its volume's mode (pkg/kubelet/kubelet_pods.go,
    // makeMounts), so a subPath of an emptyDir is writable by any runAsUser too.
    if (!existsSync(source)) {
      mkdirSync(source, { recursive: true });
      chmodSync(source, statSync(vol.path).mode & 0o7777);
    }
    mounts.push({ source, target: m.mountPath, readOnly: !!m.readOnly || vol.readOnly });
  }
  return mounts;
}

/** terminationFile creates the host file that backs a container's terminationMessagePath (bind-mounted, as the kubelet does). */
export function terminationFile(workDir: string, c: V1Container): BindMount {
  const dir = join(workDir, 'termination');
  mkdirSync(dir, { recursive: true });
  const source = join(dir, c.name);
  writeFileSync(source, '');
  chmodSync(source, 0o666); // writable whatever runAsUser the container uses
  return { source, target: c.terminationMessagePath ?? DEFAULT_TERMINATION_PATH, readOnly: false };
}

/** mountArgs renders bind mounts as podman `--mount` flags (no `:`-splitting pitfalls of `-v`). */
export function mountArgs(mounts: BindMount[]): string[] {
  return mounts.flatMap((m) => ['--mount', `type=bind,src=${m.source},dst=${m.target}${m.readOnly ? ',ro=true' : ''}`]);
}

/** hostPathOf resolves a path inside a container to the host path behind its deepest mount, or undefined if no mount covers it. */
export function hostPathOf(containerPath: string, mounts: BindMount[]): string | undefined {
  const p = posix.normalize(containerPath);
  let best: BindMount | undefined;
  for (const m of mounts) {
    const t = posix.normalize(m.target);
    if ((p === t || p.startsWith(t.endsWith('/') ? t : `${t}/`)) && (!best || t.length > posix.normalize(best.target).length)) best = m;
  }
  return best && join(best.source, posix.relative(posix.normalize(best.target), p));
}
