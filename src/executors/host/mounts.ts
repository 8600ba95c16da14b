// mounts.ts: the resolution of container paths to host paths for code that runs outside the
// sandbox (the in-process entrypoint, termination messages, probes), and the rewriting of container
// paths when there is no mount namespace.
import { lstatSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { hostPathOf, type Mount } from '../pod/index.ts';

export type { Mount } from '../pod/index.ts';

/** sortMounts orders mounts parents-first (by path depth), as containerd does before mounting. */
export function sortMounts(mounts: Mount[]): Mount[] {
  const depth = (p: string): number => p.split('/').filter(Boolean).length;
  return [...mounts].sort((a, b) => depth(a.containerPath) - depth(b.containerPath));
}

/** mapPath maps a container path to the host without following symlinks; unmounted paths are shared with the host. */
export function mapPath(containerPath: string, mounts: Mount[]): string {
  return hostPathOf(containerPath, mounts) ?? path.posix.resolve('/', containerPath);
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
