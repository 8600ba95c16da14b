// probe-cache.ts: remembers which sandbox mode worked here (sandbox.ts probes it with a process
// start, ~10 ms of a 1-step `tektite run` plus a fork of the whole CLI), so that later processes on
// the same machine skip the probe. The answer is reused only while everything it depends on reads
// the same: the user, the kernel and this boot, the process's namespaces, capabilities and seccomp
// state, the user-namespace sysctls, PATH and the bwrap/unshare binaries it finds (path, inode,
// size, mtime, mode: a setuid bwrap counts). Anything else changed means a new probe, and so does
// a bubblewrap set-up error seen by a run (forgetProbes).
import { readFileSync, readlinkSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { forget, recall, remember, userCacheFile } from '../remembered.ts';

/** probeCacheFile is where the answer for one preference is kept. */
const probeCacheFile = (preference: string): string => userCacheFile(`sandbox-${preference}.json`);

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
  const mode = recall<{ mode: T }>(probeCacheFile(preference), key)?.mode;
  return mode !== undefined && valid.includes(mode) ? mode : undefined;
}

/** rememberProbe keeps a probe's answer; failures only cost a probe. */
export function rememberProbe(preference: string, key: string, mode: string): void {
  remember(probeCacheFile(preference), key, { mode });
}

/** forgetProbes drops every remembered answer (a sandbox set-up failed here): the next process probes again. */
export function forgetProbes(): void {
  for (const preference of ['auto', 'bwrap']) forget(probeCacheFile(preference));
}
