// check.ts: is podman usable here? One clear message with the fix for each known failure (podman
// missing, docker-only machines, crun's cgroup error, ulimits above what the machine allows).
import { execFileSync } from 'node:child_process';
import { checkStamp } from './check-stamp.ts';
import { podmanCli, lastLine, type PodmanCli } from './cli.ts';
import { ensureScratchImage } from './build-images.ts';
import { mountArgs } from './mounts.ts';
import { nodeRuntime } from './node-runtime.ts';

/** PodmanCheck is the verdict of checkPodman. */
export type PodmanCheck = { ok: true } | { ok: false; message: string };

const SETUP = 'scripts/setup-podman.sh does the whole set-up';
const CONF = '/etc/containers/containers.conf';
const INSTALL =
  `podman is not installed: run \`apt-get install -y podman runc\` and write ${CONF} with\n` +
  '  [containers]\n  default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]\n  [engine]\n  runtime = "runc"\n' +
  `(${SETUP}).`;

/**
 * checkPodman starts one real container (the carried node in an empty image) and explains what to fix if
 * that fails. A passed check is remembered (checkStamp) until podman, its configuration, node or the boot
 * change: it costs ~0.85 s, more than a one-step TaskRun, and `tektite run` would pay it every time.
 */
export async function checkPodman(options: { podmanPath?: string; cache?: boolean } = {}): Promise<PodmanCheck> {
  const stamp = options.cache === false ? undefined : checkStamp(options.podmanPath);
  if (stamp?.passed()) return { ok: true };
  const verdict = await runCheck(options.podmanPath);
  if (verdict.ok) stamp?.record();
  return verdict;
}

async function runCheck(podmanPath: string | undefined): Promise<PodmanCheck> {
  const cli = podmanCli(podmanPath);
  const version = await cli.run(['--version']);
  if (version.code !== 0) return { ok: false, message: version.code === -1 ? missingMessage() : `podman does not work: ${lastLine(version.stderr)}` };
  // Every podman command sets up the configured runtime: a missing crun fails here already.
  const info = await cli.run(['info', '--format', '{{.Host.OCIRuntime.Name}}']);
  if (info.code !== 0) return { ok: false, message: explainRunFailure(info.stderr) };
  const image = await ensureScratchImage(cli);
  if (!image) return { ok: false, message: 'podman cannot import images (podman import of an empty image failed); check `podman info`' };
  const r = await tryContainer(cli, image);
  return r.code === 0 ? { ok: true } : { ok: false, message: explainRunFailure(r.stderr) };
}

function tryContainer(cli: PodmanCli, image: string) {
  const runtime = nodeRuntime(undefined);
  return cli.run(['run', '--rm', '--pull', 'never', '--log-driver', 'none', ...mountArgs(runtime.mounts), '--entrypoint', JSON.stringify([...runtime.node, '-e', '']), image]);
}

/** explainRunFailure turns podman's error on starting a container into the fix for this machine. */
export function explainRunFailure(stderr: string): string {
  if (/rlimit/i.test(stderr)) {
    return (
      `podman cannot start containers: the default ulimits are above what this machine allows (${lastLine(stderr)}).\n` +
      `Set default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"] in the [containers] section of ${CONF} (${SETUP}).`
    );
  }
  if (/crun/.test(stderr) || /cgroups? in hybrid mode/.test(stderr)) {
    return (
      `podman cannot start containers with crun here (${lastLine(stderr)}).\n` +
      `Use runc: \`apt-get install -y runc\` and set runtime = "runc" in the [engine] section of ${CONF} (${SETUP}).`
    );
  }
  return `podman cannot start containers: ${lastLine(stderr)}`;
}

function missingMessage(): string {
  if (onPath('docker')) return `${INSTALL}\nTektite runs containers with podman; docker was found but is not supported (podman needs no daemon).`;
  return INSTALL;
}

function onPath(binary: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
