// proc: spawning host processes in their own process group, with AbortSignal-driven group kill
// (SIGTERM, then SIGKILL after a short grace), exit code + signal, and streamed stdout/stderr.
// Used by the host executor and the podman executor.
export { spawnGroup, killGroup, exitCodeOf } from './spawn.ts';
export type { ProcessExit, ProcessStartError, ProcessResult, SpawnOptions, SpawnedProcess } from './spawn.ts';
