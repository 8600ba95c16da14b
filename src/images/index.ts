// images: what an image runs when a step or sidecar names no command (Tekton's entrypoint lookup,
// pkg/pod/entrypoint_lookup.go). It owns the lookup order — podman's local storage, the state
// dir's cache of registry answers, the registry (src/oci), then on the host executor a table of
// common base images with host-runnable equivalents — and the cache. The Tekton rule that turns an
// image's Entrypoint/Cmd into a step's command lives in src/pod (entrypoint-lookup.ts).
export { ImageLookup, type ImageLookupOptions, type ImageSource, type LookupResult } from './lookup.ts';
export { HOST_TABLE, hostTableCommand, tableKey, type TableEntry } from './host-table.ts';
export { DiskCache, TAG_TTL_MS } from './cache.ts';
export { hasPodman, inspectLocalImage, PODMAN_TIMEOUT_MS } from './podman-storage.ts';
