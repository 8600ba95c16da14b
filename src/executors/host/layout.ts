// layout.ts: the file-system layout of a container's sandbox as a list of operations. The root
// is a tmpfs holding binds of the host's top-level entries; a host directory in which a mount
// point must be created (a configMap at /etc/app when the host has no /etc/app) is "split" the
// same way, so mount points are only ever created in the tmpfs or inside the pod's own volumes,
// never on the host (as `bwrap --dev-bind / /` would do).
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { sortMounts } from './mounts.ts';
import type { Mount } from './mounts.ts';

/** LayoutOp is one step of building the sandbox's file system, in order. */
export type LayoutOp =
  | { op: 'host'; path: string }
  | { op: 'link'; path: string; target: string }
  | { op: 'dir'; path: string; mode: number }
  | { op: 'mount'; path: string; hostPath: string; readOnly: boolean };

/**
 * HostView reads the host's file system for layouts, remembering what it read: every container
 * of a pod gets the same host entries (a pod sees the host as it was when it started, as a
 * container sees its image), and the readdir/lstat of the host root is done once per pod, not
 * once per container. forget() drops what was read (a bind that vanished meanwhile).
 */
export class HostView {
  private readonly stats = new Map<string, Stats | undefined>();
  private readonly children = new Map<string, LayoutOp[]>();

  /** lstat is lstatSync that returns undefined for a missing path, remembered. */
  lstat(p: string): Stats | undefined {
    if (!this.stats.has(p)) this.stats.set(p, lstatOrUndefined(p));
    return this.stats.get(p);
  }

  /** entries returns the layout operations that recreate dir's entries, given the split directories. */
  entries(dir: string, splits: Set<string>): LayoutOp[] {
    const key = `${dir}\0${[...splits].sort().join('\0')}`;
    let ops = this.children.get(key);
    if (!ops) {
      ops = [];
      addChildren(this, dir, splits, ops);
      this.children.set(key, ops);
    }
    return ops;
  }

  /** forget drops everything read so far. */
  forget(): void {
    this.stats.clear();
    this.children.clear();
  }
}

/** sandboxLayout lists the operations that give a container its view: host entries, then volumes. */
export function sandboxLayout(mounts: Mount[], view: HostView = new HostView()): LayoutOp[] {
  const ops = [...view.entries('/', splitDirectories(mounts, view))];
  for (const m of sortMounts(mounts)) ops.push({ op: 'mount', path: m.containerPath, hostPath: m.hostPath, readOnly: m.readOnly });
  return ops;
}

/** splitDirectories finds the host directories that a missing mount point would be created in (always '/'). */
function splitDirectories(mounts: Mount[], view: HostView): Set<string> {
  const splits = new Set(['/']);
  for (const m of mounts) {
    if (view.lstat(m.containerPath)) continue; // an existing path is mounted over, not created.
    let dir = path.posix.dirname(m.containerPath);
    while (dir !== '/' && !view.lstat(dir)?.isDirectory()) dir = path.posix.dirname(dir);
    for (; dir !== '/'; dir = path.posix.dirname(dir)) splits.add(dir);
  }
  return splits;
}

/** addChildren recreates dir's entries: symlinks as links, split directories recursively, the rest as binds. */
function addChildren(view: HostView, dir: string, splits: Set<string>, ops: LayoutOp[]): void {
  for (const name of readdirSync(dir).sort()) {
    const p = path.posix.join(dir, name);
    const info = view.lstat(p);
    if (!info) continue;
    if (info.isSymbolicLink()) {
      ops.push({ op: 'link', path: p, target: readlinkSync(p) });
    } else if (splits.has(p) && info.isDirectory()) {
      ops.push({ op: 'dir', path: p, mode: info.mode & 0o7777 });
      addChildren(view, p, splits, ops);
    } else {
      ops.push({ op: 'host', path: p });
    }
  }
}

/** lstatOrUndefined is lstat that returns undefined for a missing path (without building an exception). */
function lstatOrUndefined(p: string): Stats | undefined {
  try {
    return lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined; // ENOTDIR, EACCES: as good as missing for a layout.
  }
}
