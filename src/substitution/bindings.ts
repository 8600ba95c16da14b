// bindings.ts: params in a TaskRun's workspace bindings (ApplyParametersToWorkspaceBindings,
// pkg/workspace/apply.go ReplaceWorkspaceBindingsVars): subPath, claimName, configMap/secret
// names and items, projected sources, CSI driver and secret ref. Only string params apply.
import type { Param, ParamSpec, WorkspaceBinding } from '../api/index.ts';
import { paramReplacements } from './params.ts';
import { replaceVariables, type StringReplacements } from './replace.ts';

/** applyParametersToWorkspaceBindings returns copies of bindings with `$(params...)` replaced. */
export function applyParametersToWorkspaceBindings(bindings: WorkspaceBinding[], specs: ParamSpec[] | undefined, params: Param[]): WorkspaceBinding[] {
  const s = paramReplacements(specs, params).strings;
  return bindings.map((b) => applyToBinding(structuredClone(b), s));
}

type Items = { key: string; path: string }[] | undefined;

// biome-ignore lint/suspicious/noExplicitAny: loose Kubernetes volume/projection shapes, walked field by field
function applyToBinding(b: WorkspaceBinding & Record<string, any>, s: StringReplacements): WorkspaceBinding {
  const str = (x: string) => replaceVariables(x, s);
  const items = (list: Items) => list?.map((i) => ({ ...i, key: str(i.key), path: str(i.path) }));
  if (b.subPath !== undefined) b.subPath = str(b.subPath);
  if (b.persistentVolumeClaim) b.persistentVolumeClaim.claimName = str(b.persistentVolumeClaim.claimName);
  if (b.configMap) {
    if (b.configMap.name !== undefined) b.configMap.name = str(b.configMap.name);
    if (b.configMap.items) b.configMap.items = items(b.configMap.items);
  }
  if (b.secret) {
    if (b.secret.secretName !== undefined) b.secret.secretName = str(b.secret.secretName);
    if (b.secret.items) b.secret.items = items(b.secret.items);
  }
  // biome-ignore lint/suspicious/noExplicitAny: loose Kubernetes volume/projection shapes, walked field by field
  for (const src of (b.projected?.sources ?? []) as Record<string, any>[]) {
    for (const ref of [src.configMap, src.secret]) {
      if (!ref) continue;
      if (ref.name !== undefined) ref.name = str(ref.name);
      if (ref.items) ref.items = items(ref.items);
    }
  }
  const csi = b.csi as { driver?: string; nodePublishSecretRef?: { name?: string } } | undefined;
  if (csi) {
    if (csi.driver !== undefined) csi.driver = str(csi.driver);
    if (csi.nodePublishSecretRef?.name !== undefined) csi.nodePublishSecretRef.name = str(csi.nodePublishSecretRef.name);
  }
  return b;
}
