// probe-cache.ts: remembers which sandbox mode worked here (sandbox.ts probes it with a process
// start, ~10 ms of a 1-step `tektite run` plus a fork of the whole CLI), so that later processes on
// the same machine skip the probe. The answer is reused only while everything it depends on reads
// the same: the user, the kernel and this boot, the process's namespaces, capabilities and seccomp
// state, the user-namespace sysctls, PATH and the bwrap/unshare binaries it finds (path, inode,
// size, mtime, mode: a setuid bwrap counts). Anything else changed means a new probe, and so does
// a bubblewrap set-up error seen by a run (forgetProbes).
import { mkdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** probeCacheFile is where the answer for one preference is kept: beside the CLI's code cache. */
function probeCacheFile(preference: string): string {
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'tektite', `sandbox-${preference}.json`);
}

/** probeKey is what the probe's answer depends on, as one string; any read that fails is part of it. */
export function probeKey(programs: string[]): string {
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      return '-';
    }
  };
  const link = (file: string) => {
    try {
      return readlinkSync(file);
    } catch {
      return '-';
    }
  };
  const status = read('/proc/self/status')
    .split('\n')
    .filter((l) => /^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):/.test(l));
  const pathDirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  const found = programs.map((p) => {
    for (const dir of pathDirs) {
      const file = path.join(dir, p);
      const info = statSync(file, { throwIfNoEntry: false });
      if (info?.isFile()) return `${file}:${info.ino}:${info.size}:${info.mtimeMs}:${info.mode}:${info.uid}`;
    }
    return `${p}:-`;
  });
  return JSON.stringify([
    process.getuid?.(),
    process.getgid?.(),
    os.release(),
    read('/proc/sys/kernel/random/boot_id'),
    link('/proc/self/ns/user'),
    link('/proc/self/ns/mnt'),
    status,
    read('/proc/sys/kernel/unprivileged_userns_clone'),
    read('/proc/sys/user/max_user_namespaces'),
    read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
    process.env.PATH ?? '',
    found,
  ]);
}

/** cachedProbe is the mode a probe found under the same key, if one is remembered. */
export function cachedProbe<T extends string>(preference: string, key: string, valid: readonly T[]): T | undefined {
  try {
    const saved = JSON.parse(readFileSync(probeCacheFile(preference), 'utf8')) as { key?: unknown; mode?: unknown };
    return saved.key === key && valid.includes(saved.mode as T) ? (saved.mode as T) : undefined;
  } catch {
    return undefined;
  }
}

/** rememberProbe keeps a probe's answer (atomically: a reader sees the old file or the new one); failures only cost a probe. */
export function rememberProbe(preference: string, key: string, mode: string): void {
  const file = probeCacheFile(preference);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ key, mode }));
    renameSync(tmp, file);
  } catch {
    // A read-only or full cache directory: the next process probes again.
  }
}

/** forgetProbes drops every remembered answer (a sandbox set-up failed here): the next process probes again. */
export function forgetProbes(): void {
  for (const preference of ['auto', 'bwrap']) {
    try {
      rmSync(probeCacheFile(preference), { force: true });
    } catch {
      // Nothing to forget, or a cache directory this process cannot change: only speed is at stake.
    }
  }
}
