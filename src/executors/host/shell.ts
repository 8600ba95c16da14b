// shell.ts: give containers of busybox-based images the shell their image has. Tekton runs a
// script without a shebang as `#!/bin/sh` + `set -e` (TEKTON-FACTS §2.5, §9); in busybox,
// alpine and the official bash image /bin/sh is busybox ash (which accepts `[ a == b ]` and has
// `ash`), while a Debian host's /bin/sh is dash. So for those images the host's busybox is bound
// over the host shell's binary in the sandbox, and a directory of applet links (ash, sh) is put
// first on PATH. Other images keep the host's /bin/sh: a host runner never swaps in bash (§9).
import { existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import type { Mount } from './mounts.ts';
import type { SandboxMode } from './sandbox.ts';

/** defaultBusyboxPaths are where Debian's busybox-static / busybox packages install busybox. */
export const defaultBusyboxPaths = ['/usr/bin/busybox', '/bin/busybox'];

/** appletDir is the container path of the applet links prepended to PATH. */
export const appletDir = '/.tektite/busybox';

// The applets put on PATH: `ash` (scripts starting `#!/usr/bin/env ash`) and `sh`.
const applets = ['ash', 'sh'];

/** missingBusyboxWarning is reported once per pod when a busybox-based image runs on a host without busybox. */
export function missingBusyboxWarning(image: string): string {
  return `image ${image} has busybox as /bin/sh, but this host has no busybox (apt-get install busybox-static): `
    + 'its scripts run under the host /bin/sh';
}

/** noNamespaceShellWarning is reported once per pod when busybox cannot be bound over /bin/sh for lack of a namespace. */
export function noNamespaceShellWarning(image: string): string {
  return `image ${image} has busybox as /bin/sh, but without a mount namespace its scripts run under the host /bin/sh`;
}

/**
 * isBusyboxImage decides from an image reference whether its /bin/sh is busybox: the last path
 * segment (minus tag and digest) is busybox, alpine or bash (the official bash image is
 * alpine-based), or the tag mentions alpine (node:20-alpine), whatever the registry prefix.
 */
export function isBusyboxImage(image: string | undefined): boolean {
  if (!image) return false;
  const ref = image.split('@')[0];
  const last = ref.slice(ref.lastIndexOf('/') + 1);
  const colon = last.indexOf(':');
  const name = colon >= 0 ? last.slice(0, colon) : last;
  const tag = colon >= 0 ? last.slice(colon + 1) : '';
  return ['busybox', 'alpine', 'bash'].includes(name) || tag.includes('alpine');
}

/** findBusybox returns the first candidate path that exists on the host. */
export function findBusybox(candidates: string[] = defaultBusyboxPaths): string | undefined {
  return candidates.find((p) => existsSync(p));
}

/** BusyboxShell is what a busybox-based container gets: its extra mounts and PATH prefix. */
export interface BusyboxShell {
  mounts: Mount[];
  pathPrefix: string;
}

/**
 * busyboxShell prepares, under scratchDir, the applet links to busybox and returns the mounts
 * that make /bin/sh busybox. The bind goes on the host shell's real file (/bin/sh → dash →
 * /usr/bin/dash on Debian, where /bin is itself a link to usr/bin): a bind on a symlink would
 * land there anyway, and naming the file keeps unshare's mounts outside the chroot right.
 */
export function busyboxShell(busybox: string, scratchDir: string): BusyboxShell {
  const binary = realpathSync(busybox);
  const shell = realpathOrUndefined('/bin/sh');
  const links = path.join(scratchDir, 'busybox-applets');
  mkdirSync(links, { recursive: true });
  for (const applet of applets) {
    if (!existsSync(path.join(links, applet))) symlinkSync(binary, path.join(links, applet));
  }
  const mounts: Mount[] = [{ containerPath: appletDir, hostPath: links, readOnly: true }];
  if (shell && shell !== binary) mounts.push({ containerPath: shell, hostPath: binary, readOnly: true });
  return { mounts, pathPrefix: appletDir };
}

/** realpathOrUndefined resolves a path's links, or returns undefined when it does not exist. */
function realpathOrUndefined(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

/** ContainerShell is a container's extra mounts and env for its image's shell. */
export interface ContainerShell {
  mounts: Mount[];
  env: Record<string, string>;
}

/**
 * PodShells decides, container by container, which /bin/sh a pod's containers get. The applet
 * links are made once per pod, on the first busybox-based container, and the warning when the
 * host cannot provide busybox is reported once per pod (the CLI shows a message once per run).
 */
export class PodShells {
  private shell: BusyboxShell | undefined;
  private warned = false;

  constructor(
    private readonly mode: SandboxMode,
    private readonly busybox: string | undefined,
    private readonly scratchDir: string,
    private readonly onWarning: (message: string) => void,
  ) {}

  /** forContainer returns the mounts to add and the env (PATH prefixed) for a container of image. */
  forContainer(image: string | undefined, env: Record<string, string>): ContainerShell {
    if (!isBusyboxImage(image)) return { mounts: [], env };
    if (this.mode === 'none' || !this.busybox) {
      this.warnOnce(this.mode === 'none' ? noNamespaceShellWarning(image!) : missingBusyboxWarning(image!));
      return { mounts: [], env };
    }
    this.shell ??= busyboxShell(this.busybox, this.scratchDir);
    const PATH = env.PATH ? `${this.shell.pathPrefix}:${env.PATH}` : this.shell.pathPrefix;
    return { mounts: this.shell.mounts, env: { ...env, PATH } };
  }

  private warnOnce(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.onWarning(message);
  }
}
