// check-stamp.ts: remembers that checkPodman passed on this machine, keyed by everything the check
// depends on (the podman binary, containers.conf files, node, the boot), so later runs skip it.
import { readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { fileId } from '../remembered.ts';
import { delimiter, join } from 'node:path';

/** CheckStamp says whether a passed check is remembered for the current machine state, and records one. */
export interface CheckStamp {
  passed(): boolean;
  record(): void;
}

/** checkStamp returns the stamp for podmanPath (default: podman on PATH); undefined when podman is not found (the check then explains). */
export function checkStamp(podmanPath = 'podman', file = defaultStampFile()): CheckStamp | undefined {
  const binary = podmanPath.includes('/') ? podmanPath : onPath(podmanPath);
  if (!binary) return undefined;
  const key = JSON.stringify(stampKey(binary));
  return {
    passed: () => {
      try {
        return readFileSync(file, 'utf8') === key;
      } catch {
        return false;
      }
    },
    record: () => {
      try {
        writeFileSync(file, key, { mode: 0o600 });
      } catch {
        // Not remembering only costs the next run the check again.
      }
    },
  };
}

/** forgetCheck drops the remembered check, e.g. after podman failed to start a container. */
export function forgetCheck(file = defaultStampFile()): void {
  rmSync(file, { force: true });
}

function defaultStampFile(): string {
  return join(tmpdir(), `tektite-podman-check-${process.getuid?.() ?? 'user'}`);
}

function stampKey(binary: string): unknown[] {
  const confs = [
    process.env.CONTAINERS_CONF,
    '/usr/share/containers/containers.conf',
    '/etc/containers/containers.conf',
    join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'containers', 'containers.conf'),
  ];
  return [fileId(binary), ...confs.map((c) => (c ? [c, fileId(c)] : null)), fileId(process.execPath), bootId()];
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // next
    }
  }
  return undefined;
}
