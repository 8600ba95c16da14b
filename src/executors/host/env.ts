// env.ts: a container's environment on the host: the kubelet's (pod/env.ts) over what a container
// runtime would add and the host must provide itself: PATH from the host (an image's ENV PATH),
// HOSTNAME (containerd sets it to the Pod's hostname) and, for host tools that break without it,
// HOME=/tekton/home when that is mounted.
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { VolumeSources } from '../executor.ts';
import { containerEnv as kubeletEnv } from '../pod/index.ts';

/** EnvResult is the environment, or the kubelet's CreateContainerConfigError message. */
export type EnvResult = { env: Record<string, string> } | { configError: string };

/** containerEnv builds the environment the container gets on the host. */
export function containerEnv(container: V1Container, pod: V1Pod, sources: VolumeSources, hostPath: string): EnvResult {
  const kube = kubeletEnv(container, pod, sources);
  if ('configError' in kube) return kube;
  const env: Record<string, string> = { PATH: hostPath, HOSTNAME: pod.metadata?.name ?? '', ...Object.fromEntries(kube.env) };
  const mountsHome = (container.volumeMounts ?? []).some((m) => m.mountPath.replace(/\/+$/, '') === '/tekton/home');
  if (mountsHome && env.HOME === undefined) env.HOME = '/tekton/home';
  return { env };
}
