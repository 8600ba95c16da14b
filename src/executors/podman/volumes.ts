// volumes.ts: a Pod's volumes as host directories under the executor's workDir, as a kubelet would
// materialise them (emptyDir, configMap, secret, persistentVolumeClaim, hostPath, downwardAPI, projected).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { V1DownwardAPIVolumeFile, V1KeyToPath, V1Pod, V1Volume } from '@kubernetes/client-node';
import type { VolumeSources } from '../executor.ts';

/** HostVolume is one Pod volume backed by a host path. */
export interface HostVolume {
  name: string;
  path: string;
  /** readOnly is forced for configMap, secret, downwardAPI and projected volumes, as the kubelet mounts them. */
  readOnly: boolean;
}

/** PodVolumes are the materialised volumes of one Pod, plus how to refresh its downward API files. */
export interface PodVolumes {
  byName: Map<string, HostVolume>;
  /** refreshDownward rewrites every downwardAPI file from the given metadata (e.g. once tekton.dev/ready is set). */
  refreshDownward(meta: PodMeta): void;
}

/** PodMeta is the metadata a downwardAPI volume can project. */
export interface PodMeta {
  name: string;
  namespace: string;
  uid: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

/** podMeta reads the projectable metadata of a Pod. */
export function podMeta(pod: V1Pod): PodMeta {
  const m = pod.metadata ?? {};
  return { name: m.name ?? '', namespace: m.namespace ?? 'default', uid: m.uid ?? '', labels: { ...m.labels }, annotations: { ...m.annotations } };
}

/** materializeVolumes creates a host directory for every volume of the Pod; a missing ConfigMap/Secret is an error value (kubelet: FailedMount). */
export function materializeVolumes(pod: V1Pod, workDir: string, sources: VolumeSources): PodVolumes | { error: string } {
  const byName = new Map<string, HostVolume>();
  const downward: Array<{ dir: string; items: V1DownwardAPIVolumeFile[]; mode?: number }> = [];
  const ns = pod.metadata?.namespace ?? 'default';
  for (const v of pod.spec?.volumes ?? []) {
    const dir = join(workDir, 'volumes', v.name);
    const made = materializeOne(v, dir, ns, sources, downward);
    if (typeof made === 'object') return made;
    byName.set(v.name, { name: v.name, path: made, readOnly: !!(v.configMap || v.secret || v.downwardAPI || v.projected) });
  }
  const refreshDownward = (meta: PodMeta) => {
    for (const d of downward) writeDownwardFiles(d.dir, d.items, meta, d.mode);
  };
  refreshDownward(podMeta(pod));
  return { byName, refreshDownward };
}

type DownwardList = Array<{ dir: string; items: V1DownwardAPIVolumeFile[]; mode?: number }>;

function materializeOne(v: V1Volume, dir: string, ns: string, sources: VolumeSources, downward: DownwardList): string | { error: string } {
  if (v.persistentVolumeClaim) return sources.pvcDir(ns, v.persistentVolumeClaim.claimName);
  if (v.hostPath) return v.hostPath.path;
  mkdirSync(dir, { recursive: true });
  if (v.emptyDir) {
    // The kubelet makes emptyDirs 0777 (pkg/volume/emptydir/empty_dir.go), so steps with any runAsUser can write
    // in /workspace, /tekton/run/<i>, /tekton/home...; chmod because mkdir's mode is cut by the umask.
    chmodSync(dir, 0o777);
    return dir;
  }
  if (v.configMap) return writeSource('configmap', dir, ns, v.configMap.name ?? '', v.configMap, v.configMap.defaultMode, sources) ?? dir;
  if (v.secret) return writeSource('secret', dir, ns, v.secret.secretName ?? '', v.secret, v.secret.defaultMode, sources) ?? dir;
  if (v.downwardAPI) {
    downward.push({ dir, items: v.downwardAPI.items ?? [], mode: v.downwardAPI.defaultMode });
    return dir;
  }
  if (v.projected) {
    for (const s of v.projected.sources ?? []) {
      const err = s.configMap
        ? writeSource('configmap', dir, ns, s.configMap.name ?? '', s.configMap, v.projected.defaultMode, sources)
        : s.secret
          ? writeSource('secret', dir, ns, s.secret.name ?? '', s.secret, v.projected.defaultMode, sources)
          : undefined;
      if (err) return err;
      if (s.downwardAPI) downward.push({ dir, items: s.downwardAPI.items ?? [], mode: v.projected.defaultMode });
    }
    return dir;
  }
  return { error: `volume ${JSON.stringify(v.name)}: this volume type is not supported by the podman executor` };
}

/** writeSource materialises a ConfigMap's or Secret's keys; a missing one is an error unless optional. */
function writeSource(
  kind: 'configmap' | 'secret',
  dir: string,
  ns: string,
  name: string,
  src: { items?: V1KeyToPath[]; optional?: boolean },
  mode: number | undefined,
  sources: VolumeSources,
): { error: string } | undefined {
  const what = `${kind} ${JSON.stringify(name)}`;
  const data = kind === 'secret' ? sources.secret(ns, name) : utf8(sources.configMap(ns, name));
  if (!data) return src.optional ? undefined : { error: `${what} not found` };
  return writeKeys(dir, data, src.items, mode, what);
}

function utf8(data: Record<string, string> | undefined): Record<string, Buffer> | undefined {
  return data && Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'utf8')]));
}

// Kubernetes' defaultMode is 0644; `items` select and rename keys, each with an optional mode.
function writeKeys(dir: string, data: Record<string, Buffer>, items: V1KeyToPath[] | undefined, defaultMode = 0o644, what: string): { error: string } | undefined {
  const chosen = items ?? Object.keys(data).map((key) => ({ key, path: key }) as V1KeyToPath);
  for (const item of chosen) {
    const value = data[item.key];
    if (value === undefined) return { error: `${what}: key ${JSON.stringify(item.key)} not found` };
    writeFileMode(join(dir, item.path), value, item.mode ?? defaultMode);
  }
  return undefined;
}

function writeFileMode(path: string, data: Buffer | string, mode: number): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, data);
  chmodSync(path, mode);
}

function writeDownwardFiles(dir: string, items: V1DownwardAPIVolumeFile[], meta: PodMeta, defaultMode = 0o644): void {
  for (const item of items) {
    const value = item.fieldRef ? fieldValue(item.fieldRef.fieldPath, meta) : '';
    writeFileMode(join(dir, item.path), value, item.mode ?? defaultMode);
  }
}

/** fieldValue resolves a downward API / env fieldPath (metadata.name, metadata.annotations['k'], ...) against Pod metadata. */
export function fieldValue(fieldPath: string, meta: PodMeta): string {
  const keyed = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (keyed) return (keyed[1] === 'labels' ? meta.labels : meta.annotations)[keyed[2]] ?? '';
  switch (fieldPath) {
    case 'metadata.name':
      return meta.name;
    case 'metadata.namespace':
      return meta.namespace;
    case 'metadata.uid':
      return meta.uid;
    // Whole maps are rendered as sorted `key="value"` lines, as the kubelet does.
    case 'metadata.labels':
      return formatMap(meta.labels);
    case 'metadata.annotations':
      return formatMap(meta.annotations);
    default:
      return '';
  }
}

function formatMap(m: Record<string, string>): string {
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${JSON.stringify(m[k])}`)
    .join('\n');
}
