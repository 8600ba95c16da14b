// apply.ts: workspace mounts and volumes added to a TaskSpec (pkg/workspace/apply.go Apply):
// shared workspaces go into stepTemplate.volumeMounts (all steps) and every sidecar; isolated ones
// (listed in a step's or sidecar's own `workspaces:`) only into those containers.
import type { Sidecar, TaskSpec, VolumeMount } from '../api/index.ts';
import type { ResolvedWorkspaceVolumes } from './resolve.ts';

/** applyWorkspaceMounts returns spec with the bound workspaces mounted and their volumes appended. */
export function applyWorkspaceMounts(spec: TaskSpec, ws: ResolvedWorkspaceVolumes): TaskSpec {
  if (ws.bindings.length === 0) return spec;
  const ts: TaskSpec = structuredClone(spec);
  ts.stepTemplate ??= {};
  ts.workspaces ??= [];
  const isolated = new Set([...(ts.steps ?? []), ...(ts.sidecars ?? [])].flatMap((c) => (c.workspaces ?? []).map((u) => u.name)));
  const added = new Set<string>();
  for (const b of ws.bindings) {
    if (!ts.workspaces.some((d) => d.name === b.name)) ts.workspaces.push({ name: b.name });
    const decl = ts.workspaces.find((d) => d.name === b.name)!;
    const volume = ws.volumes.find((v) => v.name === ws.volumeFor[b.name]);
    const mount: VolumeMount = { name: volume?.name ?? '', mountPath: decl.mountPath || `/workspace/${decl.name}` };
    if (b.subPath) mount.subPath = b.subPath;
    if (decl.readOnly) mount.readOnly = true;
    if (isolated.has(decl.name)) mountIsolated(ts, decl.name, mount);
    else mountShared(ts, mount);
    if (volume && !added.has(volume.name)) {
      ts.volumes = [...(ts.volumes ?? []), structuredClone(volume) as NonNullable<TaskSpec['volumes']>[number]];
      added.add(volume.name);
    }
  }
  return ts;
}

function mountShared(ts: TaskSpec, mount: VolumeMount): void {
  ts.stepTemplate!.volumeMounts = [...(ts.stepTemplate!.volumeMounts ?? []), mount];
  for (const s of ts.sidecars ?? []) addSidecarVolumeMount(s, mount);
}

function mountIsolated(ts: TaskSpec, name: string, mount: VolumeMount): void {
  for (const c of [...(ts.steps ?? []), ...(ts.sidecars ?? [])]) {
    const usage = c.workspaces?.find((u) => u.name === name);
    if (!usage) continue;
    c.volumeMounts = [...(c.volumeMounts ?? []), usage.mountPath ? { ...mount, mountPath: usage.mountPath } : { ...mount }];
  }
}

/** addSidecarVolumeMount adds mount unless the sidecar already mounts something at that path. */
export function addSidecarVolumeMount(sidecar: Sidecar, mount: VolumeMount): void {
  if (sidecar.volumeMounts?.some((m) => m.mountPath === mount.mountPath)) return;
  sidecar.volumeMounts = [...(sidecar.volumeMounts ?? []), { ...mount }];
}
