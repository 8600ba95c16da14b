// shell.ts: give each container the /bin/sh its image has. Tekton runs a script without a shebang
// as `#!/bin/sh` + `set -e` (pkg/pod/script.go); what that shell is depends on the image family:
// busybox ash (busybox, alpine), bash (Fedora, UBI, RHEL, CentOS and their kin), dash (Debian,
// Ubuntu). Scripts behave differently under each (`[ a == b ]`, `[[ ]]`, `echo -e`), so the host
// shell of that family is bound over the host /bin/sh's file in the sandbox; busybox also gets a
// directory of applet links (ash, sh) first on PATH. Unknown images keep the host's /bin/sh.
// The table is documented in docs/host-executor.md.
import { existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { splitImageName } from '../../oci/index.ts';
import type { Mount } from './mounts.ts';
import type { SandboxMode } from './sandbox.ts';

/** defaultBusyboxPaths are where Debian's busybox-static / busybox packages install busybox. */
export const defaultBusyboxPaths = ['/usr/bin/busybox', '/bin/busybox'];
const defaultBashPaths = ['/usr/bin/bash', '/bin/bash'];
const defaultDashPaths = ['/usr/bin/dash', '/bin/dash'];

/** ShellFamily is which /bin/sh an image has; `host` (unknown image): the host's own. */
export type ShellFamily = 'busybox' | 'bash' | 'dash' | 'host';

/** HostShells are the host binaries that play each family's /bin/sh (undefined: not installed). */
export type HostShells = Partial<Record<Exclude<ShellFamily, 'host'>, string>>;

/** findHostShells finds busybox (or the given path), bash and dash on this host. */
export function findHostShells(busybox?: string): HostShells {
  return {
    busybox: findBusybox(busybox === undefined ? defaultBusyboxPaths : [busybox]),
    bash: findBusybox(defaultBashPaths),
    dash: findBusybox(defaultDashPaths),
  };
}

/** appletDir is the container path of the applet links prepended to PATH. */
export const appletDir = '/.tektite/busybox';

// The applets put on PATH: `ash` (scripts starting `#!/usr/bin/env ash`) and `sh`.
const applets = ['ash', 'sh'];

/** missingBusyboxWarning is reported once per pod when an image's shell (busybox, bash, dash) is not on this host. */
export function missingBusyboxWarning(image: string, shell: Exclude<ShellFamily, 'host'> = 'busybox'): string {
  const install = shell === 'busybox' ? 'busybox-static' : shell;
  return `image ${image} has ${shell} as /bin/sh, but this host has no ${shell} (apt-get install ${install}): its scripts run under the host /bin/sh`;
}

/** noNamespaceShellWarning is reported once per pod when the image's shell cannot be bound over /bin/sh for lack of a namespace. */
export function noNamespaceShellWarning(image: string, shell: Exclude<ShellFamily, 'host'> = 'busybox'): string {
  return `image ${image} has ${shell} as /bin/sh, but without a mount namespace its scripts run under the host /bin/sh`;
}

// Registries whose images are UBI, Fedora or CentOS based: /bin/sh is bash. Konflux's images
// (quay.io/konflux-ci, formerly quay.io/redhat-appstudio) are built on UBI.
const BASH_REGISTRIES = [
  'registry.access.redhat.com/',
  'registry.redhat.io/',
  'registry.fedoraproject.org/',
  'quay.io/fedora/',
  'quay.io/centos/',
  'quay.io/konflux-ci/',
  'quay.io/redhat-appstudio/',
];
// Image names (any path segment: ubi9/python-311) of the Red Hat family.
const BASH_NAMES = /^(?:fedora(?:-minimal)?|centos(?:-stream)?|rockylinux|almalinux|amazonlinux|oraclelinux|rhel\d*(?:-[\w-]+)?|ubi\d*(?:-[\w-]+)?)$/;
// Debian's and Ubuntu's release names, as in tags like python:3.12-slim-bookworm.
const DEBIAN_TAGS = /(?:^|[-_.])(?:bookworm|bullseye|buster|trixie|noble|jammy|focal)(?:$|[-_.])/;

/**
 * shellFamily decides from an image reference which /bin/sh the image has (docs/host-executor.md):
 * busybox for busybox, alpine, the official bash image (alpine-based), *:*alpine* tags and Tekton's
 * git-init image; bash for
 * the Red Hat family (fedora, ubi*, rhel*, centos, rockylinux, almalinux, amazonlinux, Red Hat's
 * and Konflux's registries); dash for debian and ubuntu (and Debian release tags); else `host`.
 */
export function shellFamily(image: string | undefined): ShellFamily {
  if (!image) return 'host';
  const { repository: ref, path, name, tag } = splitImageName(image);
  // A registry host (the first segment when it has a dot or a port) is not an image name.
  const names = path.length > 1 && /[.:]/.test(path[0]) ? path.slice(1) : path;
  if (BASH_REGISTRIES.some((r) => ref.startsWith(r)) || names.some((n) => BASH_NAMES.test(n))) return 'bash';
  if (['busybox', 'alpine', 'bash'].includes(name) || tag.includes('alpine')) return 'busybox';
  // Tekton's git-init image ships busybox sh (alpine base up to v0.29, wolfi since): the catalog's
  // git-clone 0.2/0.3 scripts use `set -o pipefail`, which dash lacks.
  if (names.join('/').endsWith('cmd/git-init')) return 'busybox';
  if (['debian', 'ubuntu'].includes(name) || DEBIAN_TAGS.test(tag)) return 'dash';
  return 'host';
}

/** isBusyboxImage says whether an image's /bin/sh is busybox (shellFamily). */
export function isBusyboxImage(image: string | undefined): boolean {
  return shellFamily(image) === 'busybox';
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
 * host cannot provide an image's shell is reported once per pod (the CLI shows it once per run).
 */
export class PodShells {
  private shell: BusyboxShell | undefined;
  private warned = false;
  private readonly hostShell = realpathOrUndefined('/bin/sh');

  constructor(
    private readonly mode: SandboxMode,
    private readonly shells: HostShells,
    private readonly scratchDir: string,
    private readonly onWarning: (message: string) => void,
  ) {}

  /** forContainer returns the mounts to add and the env (PATH prefixed for busybox) for a container of image. */
  forContainer(image: string | undefined, env: Record<string, string>): ContainerShell {
    const family = shellFamily(image);
    if (family === 'host') return { mounts: [], env };
    const binary = this.shells[family] && realpathOrUndefined(this.shells[family]);
    // Already the host's /bin/sh (dash images on a Debian host): nothing to swap.
    if (family !== 'busybox' && binary && binary === this.hostShell) return { mounts: [], env };
    if (this.mode === 'none' || !binary) {
      this.warnOnce(this.mode === 'none' ? noNamespaceShellWarning(image!, family) : missingBusyboxWarning(image!, family));
      return { mounts: [], env };
    }
    if (family !== 'busybox') {
      // Run as /bin/sh, bash starts in POSIX mode, as it does in those images (where /bin/sh → bash).
      return { mounts: this.hostShell ? [{ containerPath: this.hostShell, hostPath: binary, readOnly: true }] : [], env };
    }
    this.shell ??= busyboxShell(binary, this.scratchDir);
    const PATH = env.PATH ? `${this.shell.pathPrefix}:${env.PATH}` : this.shell.pathPrefix;
    return { mounts: this.shell.mounts, env: { ...env, PATH } };
  }

  private warnOnce(message: string): void {
    if (this.warned) return;
    this.warned = true;
    this.onWarning(message);
  }
}
