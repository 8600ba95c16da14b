// executors: places a V1Pod runs (host processes, podman, kubernetes) behind one Executor interface.
export type { Executor, ImageConfigSource, PodRunOptions, PodUpdates, LogChunk, VolumeSources } from './executor.ts';
export { followPodUpdates, PodUpdateFeed } from './pod/updates.ts';
