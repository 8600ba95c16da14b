// pod-lifecycle.ts: the podman objects behind one V1Pod (a podman pod when containers must share a
// network namespace, else standalone containers with one label) and their removal: in the background
// once the Pod is done, and synchronously from an `exit` handler for whatever is still pending, so
// nothing is left behind when the process exits (normally, after Ctrl-C, or mid-run).
import { spawnSync } from 'node:child_process';
import type { V1Pod } from '@kubernetes/client-node';
import type { PodmanCli } from './cli.ts';

/** POD_LABEL labels every podman pod and container the executor makes with the key of its V1Pod run. */
export const POD_LABEL = 'tektite.dev/pod';

/** PodObjects names what one V1Pod run creates: a podman pod, or only containers labelled with the key. */
export interface PodObjects {
  key: string;
  inPod: boolean;
}

/** podCreateArgs renders `podman pod create` for the Pod: hostname, hostAliases (--add-host) and dnsConfig. */
export function podCreateArgs(pod: V1Pod, podmanPod: string): string[] {
  return ['pod', 'create', '--name', podmanPod, '--label', `${POD_LABEL}=${podmanPod}`, ...networkArgs(pod)];
}

/** networkArgs are the Pod's hostname, hostAliases and dnsConfig as flags that `pod create` and `run` both accept. */
export function networkArgs(pod: V1Pod): string[] {
  const args: string[] = [];
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

/** removeArgs force-removes the pod (and its containers), or every container with the run's label, without a graceful stop. */
function removeArgs(objects: PodObjects): string[] {
  return objects.inPod ? ['pod', 'rm', '--force', '--time', '0', '--ignore', objects.key] : ['rm', '--force', '--time', '0', '--filter', `label=${POD_LABEL}=${objects.key}`];
}

const live = new Map<string, { path: string; objects: PodObjects }>();
const pending = new Set<Promise<void>>();
let hooked = false;

/** trackPod remembers a run's podman objects so that a process exit removes them. */
export function trackPod(cli: PodmanCli, objects: PodObjects): void {
  live.set(objects.key, { path: cli.path, objects });
  if (!hooked) {
    hooked = true;
    process.on('exit', removeLive);
  }
}

/** untrackPod forgets a run whose containers all removed themselves (`podman run --rm`). */
export function untrackPod(objects: PodObjects): void {
  live.delete(objects.key);
}

/**
 * removeInBackground starts removing a finished run's objects and returns at once: removal (~50-300 ms)
 * is off the TaskRun's critical path. They stay tracked until podman confirms, so an exit before then
 * removes them synchronously.
 */
export function removeInBackground(cli: PodmanCli, objects: PodObjects): void {
  const done = cli.run(removeArgs(objects), { quiet: true }).then((r) => {
    if (r.code === 0) live.delete(objects.key);
    pending.delete(done);
  });
  pending.add(done);
}

/** afterward keeps work that ends a run's removal (its `podman run`s finishing) among the pending removals. */
export function afterward(work: Promise<void>): void {
  const done = work.then(() => {
    pending.delete(done);
  });
  pending.add(done);
}

/** cleanupSettled resolves once every removal started so far has ended (tests check for leftovers after it). */
export async function cleanupSettled(): Promise<void> {
  while (pending.size) await Promise.all(pending);
}

// An exit handler cannot wait for promises: removals still pending are redone synchronously (podman
// serialises both on the container lock; the second finds nothing or finishes the job).
function removeLive(): void {
  for (const { path, objects } of live.values()) spawnSync(path, removeArgs(objects), { stdio: 'ignore' });
  live.clear();
}
