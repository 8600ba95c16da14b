// executors: the kubelet's side of running a V1Pod behind one Executor interface: the one Pod
// lifecycle (pod/) over a ContainerRuntime — host processes (host/) or podman containers (podman/).
export type { Executor, ImageConfigSource, PodRunOptions, PodUpdates, LogChunk, VolumeSources } from './executor.ts';
export { finalPhase, PodUpdateFeed } from './pod/index.ts';
