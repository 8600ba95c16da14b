// pod-lifecycle.ts: creating and removing the podman pod behind a V1Pod, and removing pods still
// live if this process exits mid-run (nothing may be left behind).
import { spawnSync } from 'node:child_process';
import type { V1Pod } from '@kubernetes/client-node';
import type { PodmanCli } from './cli.ts';

/** podCreateArgs renders `podman pod create` for the Pod: hostname, hostAliases (--add-host) and dnsConfig. */
export function podCreateArgs(pod: V1Pod, podmanPod: string): string[] {
  const args = ['pod', 'create', '--name', podmanPod, '--label', `tektite.dev/pod=${podmanPod}`];
  const hostname = pod.spec?.hostname ?? pod.metadata?.name;
  if (hostname) args.push('--hostname', hostname.slice(0, 63));
  for (const alias of pod.spec?.hostAliases ?? []) {
    for (const h of alias.hostnames ?? []) args.push('--add-host', `${h}:${alias.ip}`);
  }
  const dns = pod.spec?.dnsConfig;
  for (const ns of dns?.nameservers ?? []) args.push('--dns', ns);
  for (const s of dns?.searches ?? []) args.push('--dns-search', s);
  for (const o of dns?.options ?? []) args.push('--dns-option', o.value !== undefined ? `${o.name}:${o.value}` : `${o.name}`);
  return args;
}

/** removePod force-removes the pod and all its containers without waiting for a graceful stop. */
export async function removePod(cli: PodmanCli, podmanPod: string): Promise<void> {
  await cli.run(['pod', 'rm', '--force', '--time', '0', podmanPod]);
}

const live = new Map<string, string>();
let hooked = false;

/** trackPod remembers a live pod so that a process exit removes it. */
export function trackPod(cli: PodmanCli, podmanPod: string): void {
  live.set(podmanPod, cli.path);
  if (!hooked) {
    hooked = true;
    process.on('exit', removeLivePods);
  }
}

/** untrackPod forgets a pod once it has been removed. */
export function untrackPod(podmanPod: string): void {
  live.delete(podmanPod);
}

function removeLivePods(): void {
  for (const [pod, path] of live) spawnSync(path, ['pod', 'rm', '--force', '--time', '0', pod], { stdio: 'ignore' });
  live.clear();
}
