// mounts.ts: a container's view of the file system, as (container path → host path) binds, and
// the resolution of container paths to host paths for code that runs outside the sandbox
// (the in-process entrypoint, termination messages, probes).
import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** Mount binds a host path at a container path, like a kubelet volumeMount. */
export interface Mount {
  containerPath: string;
  hostPath: string;
  readOnly: boolean;
}

/** sortMounts orders mounts parents-first (by path depth), as containerd does before mounting. */
export function sortMounts(mounts: Mount[]): Mount[] {
  const depth = (p: string): number => p.split('/').filter(Boolean).length;
  return [...mounts].sort((a, b) => depth(a.containerPath) - depth(b.containerPath));
}

/** isUnder reports whether p is dir itself or inside it. */
function isUnder(p: string, dir: string): boolean {
  return dir === '/' || p === dir || p.startsWith(`${dir}/`);
}

/** mapPath maps a container path to the host without following symlinks; unmounted paths are shared with the host. */
export function mapPath(containerPath: string, mounts: Mount[]): string {
  const p = path.posix.resolve('/', containerPath);
  let best: Mount | undefined;
  for (const m of mounts) {
    // The last of several mounts at the same path wins, as it is mounted last.
    if (isUnder(p, m.containerPath) && (!best || m.containerPath.length >= best.containerPath.length)) best = m;
  }
  if (!best) return p;
  return path.join(best.hostPath, p.slice(best.containerPath.length));
}

/**
 * resolvePath maps a container path to the host, following symlinks inside the container's
 * view: Tekton's step-init links /tekton/steps/<name> → /tekton/run/<i>/status, an absolute
 * target that only makes sense inside the container.
 */
export function resolvePath(containerPath: string, mounts: Mount[]): string {
  let parts = path.posix.resolve('/', containerPath).split('/').filter(Boolean);
  let done: string[] = [];
  for (let hops = 0; parts.length > 0 && hops < 40; ) {
    const next = [...done, parts[0]];
    const host = mapPath(`/${next.join('/')}`, mounts);
    const target = readlinkOrUndefined(host);
    if (target === undefined) {
      done = next;
      parts = parts.slice(1);
      continue;
    }
    hops++;
    const base = target.startsWith('/') ? '/' : `/${done.join('/')}`;
    parts = [...path.posix.resolve(base, target).split('/').filter(Boolean), ...parts.slice(1)];
    done = [];
  }
  return mapPath(`/${[...done, ...parts].join('/')}`, mounts);
}

/** readlinkOrUndefined returns a symlink's target, or undefined for anything else (or nothing). */
function readlinkOrUndefined(hostPath: string): string | undefined {
  try {
    // throwIfNoEntry: most paths walked do not exist on the host (/tekton, ...): no exception to build.
    if (!lstatSync(hostPath, { throwIfNoEntry: false })?.isSymbolicLink()) return undefined;
    return readlinkSync(hostPath);
  } catch {
    return undefined;
  }
}

/**
 * rewritePaths replaces container paths inside a string with their host paths; it is the
 * fallback when no mount namespace is available (`sh -c 'cat /workspace/x'` still works).
 */
export function rewritePaths(text: string, mounts: Mount[]): string {
  const candidates = [...mounts].filter((m) => m.containerPath !== '/');
  if (candidates.length === 0) return text;
  candidates.sort((a, b) => b.containerPath.length - a.containerPath.length);
  const alternatives = candidates.map((m) => escapeRegExp(m.containerPath)).join('|');
  const pattern = new RegExp(`(?<![\\w./-])(${alternatives})(?=$|[^\\w.-])`, 'g');
  return text.replace(pattern, (match) => mapPath(match, mounts));
}

/** escapeRegExp quotes a literal for use in a RegExp. */
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
