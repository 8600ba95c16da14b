// engine.ts: choosing and loading the backend Pods run on (the kubelet's host or podman executor).
import type { Executor } from '../executors/index.ts';

/** ExecutorName is where Pods run. */
export type ExecutorName = 'host' | 'podman' | 'docker' | 'kubernetes';

/** loadExecutor imports only the executor asked for (start-up time is part of the product). */
export async function loadExecutor(name: ExecutorName, imageMap: Record<string, string>): Promise<Executor | { error: string }> {
  if (name === 'docker') {
    return {
      error:
        'there is no docker executor: Tektite runs Pods in containers with podman (--executor podman), which runs the same images without a Docker engine; set it up once with scripts/setup-podman.sh (apt-get install podman runc + /etc/containers/containers.conf)',
    };
  }
  if (name === 'kubernetes') {
    return { error: 'the kubernetes executor is not available yet: use --executor host (default) or --executor podman' };
  }
  if (name === 'host') {
    const { hostExecutor } = await import('../executors/host/index.ts');
    return hostExecutor();
  }
  const { podmanExecutor, checkPodman } = await import('../executors/podman/index.ts');
  const check = await checkPodman();
  if (!check.ok) return { error: check.message };
  return podmanExecutor({ imageMap });
}
