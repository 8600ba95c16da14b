// workspaces: TaskRun workspace bindings → `$(workspaces.*)` values, pod volumes (`ws-xxxxx`,
// one per PVC), volumeClaimTemplate PVC names, and the mounts added to steps and sidecars.
export { resolveWorkspaces } from './resolve.ts';
export type { ResolvedWorkspaceVolumes, WorkspaceOwner } from './resolve.ts';
export { applyWorkspaceMounts, addSidecarVolumeMount } from './apply.ts';
export { createVolumes, fnv32a, generateHashedName, pvcNameForTemplate } from './volumes.ts';
export type { ResolvedWorkspace } from '../substitution/index.ts';
