// build-images.ts: tiny images built locally without any registry (machines here have no internet):
// an empty "scratch" image for the prepare container and static-busybox images for shells and tests.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PodmanCli } from './cli.ts';
import { sharedLibraries } from './node-runtime.ts';

/** SCRATCH_IMAGE is the executor's empty image: the prepare container needs nothing but the carried node. */
export const SCRATCH_IMAGE = 'localhost/tektite/scratch:1';
/** BUSYBOX_IMAGE is a static busybox with every applet linked in /bin. */
export const BUSYBOX_IMAGE = 'localhost/tektite/busybox:1';
/** SHELL_ONLY_IMAGE holds nothing but /bin/sh (a static busybox): the least an image with a shell can have. */
export const SHELL_ONLY_IMAGE = 'localhost/tektite/shell-only:1';

/** ensureScratchImage imports an empty image once and returns its tag. */
export async function ensureScratchImage(cli: PodmanCli): Promise<string | undefined> {
  if ((await cli.run(['image', 'exists', SCRATCH_IMAGE])).code === 0) return SCRATCH_IMAGE;
  return importRootfs(cli, SCRATCH_IMAGE, [], () => undefined);
}

/** ensureBusyboxImage builds a busybox image from the host's static busybox (Debian busybox-static); undefined if there is none. */
export async function ensureBusyboxImage(cli: PodmanCli, options: { shellOnly?: boolean; tag?: string; changes?: string[] } = {}): Promise<string | undefined> {
  const tag = options.tag ?? (options.shellOnly ? SHELL_ONLY_IMAGE : BUSYBOX_IMAGE);
  if ((await cli.run(['image', 'exists', tag])).code === 0) return tag;
  const busybox = staticBusybox();
  if (!busybox) return undefined;
  return importRootfs(cli, tag, options.changes ?? [], (root) => {
    mkdirSync(join(root, 'bin'));
    if (options.shellOnly) {
      copyFileSync(busybox, join(root, 'bin', 'sh'));
      chmodSync(join(root, 'bin', 'sh'), 0o755);
      return;
    }
    copyFileSync(busybox, join(root, 'bin', 'busybox'));
    chmodSync(join(root, 'bin', 'busybox'), 0o755);
    const applets = execFileSync(busybox, ['--list'], { encoding: 'utf8' })
      .split('\n')
      .filter((a) => a && a !== 'busybox');
    for (const a of applets) symlinkSync('busybox', join(root, 'bin', a));
    for (const d of ['tmp', 'etc', 'root']) mkdirSync(join(root, d));
    chmodSync(join(root, 'tmp'), 0o1777);
  });
}

/** staticBusybox finds a statically linked busybox on the host (a dynamic one would not run in an empty image). */
export function staticBusybox(): string | undefined {
  for (const p of ['/bin/busybox', '/usr/bin/busybox', '/usr/local/bin/busybox']) {
    try {
      execFileSync(p, ['true'], { stdio: 'ignore' });
    } catch {
      continue;
    }
    if (!sharedLibraries(p).loader) return p;
  }
  return undefined;
}

// `changes` are Dockerfile instructions applied by `podman import --change` (e.g. `ENTRYPOINT ["/bin/echo"]`).
async function importRootfs(cli: PodmanCli, tag: string, changes: string[], fill: (root: string) => void): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-image-'));
  try {
    const root = join(dir, 'rootfs');
    mkdirSync(root);
    fill(root);
    const tar = join(dir, 'rootfs.tar');
    execFileSync('tar', ['-C', root, '-cf', tar, '.'], { stdio: 'ignore' });
    const r = await cli.run(['import', '--quiet', ...changes.flatMap((c) => ['--change', c]), tar, tag]);
    return r.code === 0 ? tag : undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
