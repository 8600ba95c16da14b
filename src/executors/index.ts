// executors: places a V1Pod runs (host processes, podman, kubernetes) behind one Executor interface.
export type { Executor, ImageConfigSource, PodRunOptions, LogChunk, VolumeSources } from './executor.ts';
