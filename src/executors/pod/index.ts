// executors/pod: what a kubelet does for every Pod, whatever runs its containers: the one Pod
// lifecycle (init containers, then all at once; readiness probed; status reported; the
// controller's updates followed), the containers' environment (envFrom, env, valueFrom, `$(VAR)`
// expansion) and the Pod's volumes as host directories, with each container's volumeMounts as
// binds. The backends (host, podman) are ContainerRuntimes: they differ only in how a container is
// created, started, signalled, reaped and probed.
export { containerEnv, expandKubeVars, fieldValue } from './env.ts';
export type { ContainerEnv } from './env.ts';
export { containerMounts, DEFAULT_TERMINATION_PATH, hostPathOf, setUpVolumes, smallInternalVolume, terminationMount } from './volumes.ts';
export type { ContainerMounts, Mount, PodVolume, PodVolumes, VolumeSetupResult } from './volumes.ts';
export { runPodLifecycle } from './lifecycle.ts';
export { httpGetTarget, tcpTarget, waitReady, type ProbeAttempt } from './probe.ts';
export type { ContainerRuntime, PodSandbox, RuntimeContainer, Uncreated } from './runtime.ts';
export { finalPhase, PodStatusTracker, terminatedState, type PodPhase } from './status.ts';
export { followPodUpdates, PodUpdateFeed, type PodChangeHandlers } from './updates.ts';
