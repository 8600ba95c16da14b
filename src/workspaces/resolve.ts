// resolve.ts: a TaskRun's workspace bindings resolved against the Task's declarations: the values
// of `$(workspaces.<w>.*)` and the pod volumes (pkg/reconciler/taskrun: ApplyParametersToWorkspaceBindings,
// volumeClaimTemplate → PVC, workspace.CreateVolumes, ApplyWorkspaces).
import type { V1Volume } from '@kubernetes/client-node';
import type { Param, ParamSpec, WorkspaceBinding, WorkspaceDeclaration } from '../api/index.ts';
import { applyParametersToWorkspaceBindings, type ResolvedWorkspace } from '../substitution/index.ts';
import { createVolumes, pvcNameForTemplate } from './volumes.ts';

/** ResolvedWorkspaceVolumes is everything the substitution and the pod builder need about workspaces. */
export interface ResolvedWorkspaceVolumes {
  /** workspaces: one per declaration, then one per bound-but-undeclared workspace. */
  workspaces: ResolvedWorkspace[];
  /** bindings after param substitution, volumeClaimTemplates turned into persistentVolumeClaims. */
  bindings: WorkspaceBinding[];
  /** volumes: the distinct pod volumes, in binding order. */
  volumes: V1Volume[];
  /** volumeFor maps a bound workspace's name to its pod volume's name. */
  volumeFor: Record<string, string>;
}

/** WorkspaceOwner is the run the bindings belong to (its UID names volumeClaimTemplate PVCs). */
export interface WorkspaceOwner {
  metadata: { name?: string; uid?: string };
  spec?: { params?: Param[] };
}

/** resolveWorkspaces resolves bindings against declarations (TEKTON-FACTS §2.7). */
export function resolveWorkspaces(decls: WorkspaceDeclaration[], bindings: WorkspaceBinding[], owner: WorkspaceOwner, paramSpecs?: ParamSpec[]): ResolvedWorkspaceVolumes {
  const substituted = applyParametersToWorkspaceBindings(bindings, paramSpecs, owner.spec?.params ?? []);
  const converted = substituted.map((b) => toPersistentVolumeClaim(b, owner.metadata.uid ?? ''));
  const byName = createVolumes(converted);
  const bound = new Map(converted.map((b) => [b.name, b]));
  const workspaces: ResolvedWorkspace[] = decls.map((d) => {
    const isBound = !(d.optional && !bound.has(d.name));
    return resolved(d.name, isBound ? d.mountPath || `/workspace/${d.name}` : '', isBound, bound.get(d.name), byName.get(d.name));
  });
  const declared = new Set(decls.map((d) => d.name));
  for (const b of converted) {
    if (!declared.has(b.name)) workspaces.push(resolved(b.name, `/workspace/${b.name}`, true, b, byName.get(b.name)));
  }
  const volumes: V1Volume[] = [];
  for (const b of converted) {
    const v = byName.get(b.name);
    if (v && !volumes.some((x) => x.name === v.name)) volumes.push(v);
  }
  const volumeFor = Object.fromEntries([...byName].map(([ws, v]) => [ws, v.name]));
  return { workspaces, bindings: converted, volumes, volumeFor };
}

function resolved(name: string, path: string, bound: boolean, b: WorkspaceBinding | undefined, v: V1Volume | undefined): ResolvedWorkspace {
  return { name, path, bound, claim: b?.persistentVolumeClaim?.claimName ?? '', volume: v?.name ?? '' };
}

// A volumeClaimTemplate binding is realised as a PVC named after the template and the owner.
function toPersistentVolumeClaim(b: WorkspaceBinding, ownerUID: string): WorkspaceBinding {
  if (!b.volumeClaimTemplate) return b;
  const { volumeClaimTemplate: _template, ...rest } = b;
  return { ...rest, persistentVolumeClaim: { claimName: pvcNameForTemplate(b, ownerUID) } };
}
