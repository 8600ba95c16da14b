// executors/pod: what a kubelet does for every Pod, whatever runs its containers: the containers'
// environment (envFrom, env, valueFrom, `$(VAR)` expansion) and the Pod's volumes as host
// directories, with each container's volumeMounts as binds. The backends (host, podman) differ
// only in how a container is started, signalled and reaped.
export { containerEnv, expandKubeVars, fieldValue } from './env.ts';
export type { ContainerEnv } from './env.ts';
export { containerMounts, DEFAULT_TERMINATION_PATH, hostPathOf, setUpVolumes, smallInternalVolume, terminationMount } from './volumes.ts';
export type { ContainerMounts, Mount, PodVolume, PodVolumes, VolumeSetupResult } from './volumes.ts';
