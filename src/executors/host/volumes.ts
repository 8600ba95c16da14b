// volumes.ts: the pod's volumes as host directories under the executor's workDir, the way a
// kubelet sets them up: emptyDir empty, configMap/secret/downwardAPI/projected files written with
// their items and modes (and always mounted read-only), PVCs and hostPaths as given.
import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { V1DownwardAPIVolumeFile, V1KeyToPath, V1Pod, V1Volume } from '@kubernetes/client-node';
import type { VolumeSources } from '../executor.ts';
import { smallInternalVolume } from './scratch.ts';

/** PodVolume is one volume of the pod, set up on the host. */
export interface PodVolume {
  hostPath: string;
  /** readOnly is true for volume kinds a kubelet always mounts read-only. */
  readOnly: boolean;
}

/** PodVolumes are the pod's volumes by name, plus a way to refresh downwardAPI files. */
export interface PodVolumes {
  byName: Map<string, PodVolume>;
  /** refreshDownward rewrites downwardAPI files from the given annotations (the controller's patch). */
  refreshDownward(annotations: Record<string, string>): void;
}

/** VolumeSetupResult is the pod's volumes, or the kubelet's FailedMount message. */
export type VolumeSetupResult = { volumes: PodVolumes } | { mountError: string };

type DownwardWriter = (annotations: Record<string, string>) => void;

/**
 * setUpVolumes materialises every volume of the pod under workDir/volumes; Tekton's small
 * internal volumes (smallInternalVolume) go under smallDir/volumes instead (a tmpfs, scratch.ts).
 */
export function setUpVolumes(pod: V1Pod, workDir: string, sources: VolumeSources, smallDir = workDir): VolumeSetupResult {
  const byName = new Map<string, PodVolume>();
  const writers: DownwardWriter[] = [];
  for (const volume of pod.spec?.volumes ?? []) {
    const dir = path.join(smallInternalVolume.test(volume.name) ? smallDir : workDir, 'volumes', volume.name);
    const result = setUpVolume(volume, dir, pod, sources, writers);
    if (typeof result === 'string') {
      return { mountError: `MountVolume.SetUp failed for volume "${volume.name}" : ${result}` };
    }
    byName.set(volume.name, result);
  }
  const refreshDownward = (annotations: Record<string, string>): void => writers.forEach((w) => w(annotations));
  refreshDownward(pod.metadata?.annotations ?? {});
  return { volumes: { byName, refreshDownward } };
}

/** setUpVolume sets up one volume; a string is a mount error. */
function setUpVolume(volume: V1Volume, dir: string, pod: V1Pod, sources: VolumeSources, writers: DownwardWriter[]): PodVolume | string {
  const namespace = pod.metadata?.namespace ?? 'default';
  if (volume.persistentVolumeClaim) {
    return { hostPath: sources.pvcDir(namespace, volume.persistentVolumeClaim.claimName), readOnly: !!volume.persistentVolumeClaim.readOnly };
  }
  if (volume.hostPath) {
    if (volume.hostPath.type === 'DirectoryOrCreate') mkdirSync(volume.hostPath.path, { recursive: true });
    return { hostPath: volume.hostPath.path, readOnly: false };
  }
  mkdirSync(dir, { recursive: true });
  if (volume.configMap) {
    const err = writeConfigMap(dir, namespace, volume.configMap.name ?? '', volume.configMap, sources);
    return err ?? { hostPath: dir, readOnly: true };
  }
  if (volume.secret) {
    const err = writeSecret(dir, namespace, volume.secret.secretName ?? '', volume.secret, sources);
    return err ?? { hostPath: dir, readOnly: true };
  }
  if (volume.downwardAPI) {
    const items = volume.downwardAPI.items ?? [];
    writers.push((annotations) => writeDownward(dir, items, pod, annotations, volume.downwardAPI?.defaultMode));
    return { hostPath: dir, readOnly: true };
  }
  if (volume.projected) return setUpProjected(volume, dir, pod, sources, writers);
  return { hostPath: dir, readOnly: false }; // emptyDir, and anything else the host cannot provide.
}

/** setUpProjected writes each projected source into the one directory. */
function setUpProjected(volume: V1Volume, dir: string, pod: V1Pod, sources: VolumeSources, writers: DownwardWriter[]): PodVolume | string {
  const namespace = pod.metadata?.namespace ?? 'default';
  const mode = volume.projected?.defaultMode;
  for (const source of volume.projected?.sources ?? []) {
    const err = source.configMap
      ? writeConfigMap(dir, namespace, source.configMap.name ?? '', { ...source.configMap, defaultMode: mode }, sources)
      : source.secret
        ? writeSecret(dir, namespace, source.secret.name ?? '', { ...source.secret, defaultMode: mode }, sources)
        : undefined;
    if (err) return err;
    const items = source.downwardAPI?.items;
    if (items) writers.push((annotations) => writeDownward(dir, items, pod, annotations, mode));
  }
  return { hostPath: dir, readOnly: true };
}

interface KeyedSource {
  items?: V1KeyToPath[];
  defaultMode?: number;
  optional?: boolean;
}

/** writeConfigMap writes a ConfigMap's keys (or its items) as files; a string is a mount error. */
function writeConfigMap(dir: string, ns: string, name: string, src: KeyedSource, sources: VolumeSources): string | undefined {
  const data = sources.configMap(ns, name);
  if (!data) return src.optional ? undefined : `configmap "${name}" not found`;
  const bytes = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v)]));
  return writeKeys(dir, bytes, src, (key) => `configmap references non-existent config key: ${key}`);
}

/** writeSecret writes a Secret's keys (or its items) as files; a string is a mount error. */
function writeSecret(dir: string, ns: string, name: string, src: KeyedSource, sources: VolumeSources): string | undefined {
  const data = sources.secret(ns, name);
  if (!data) return src.optional ? undefined : `secret "${name}" not found`;
  return writeKeys(dir, data, src, (key) => `references non-existent secret key: ${key}`);
}

/** writeKeys writes data[key] to item paths (all keys when no items), with modes (default 0644). */
function writeKeys(dir: string, data: Record<string, Buffer>, src: KeyedSource, missing: (key: string) => string): string | undefined {
  const items = src.items ?? Object.keys(data).map((key) => ({ key, path: key }) as V1KeyToPath);
  for (const item of items) {
    const value = data[item.key];
    if (value === undefined) {
      if (src.optional) continue;
      return missing(item.key);
    }
    writeFileAt(path.join(dir, item.path), value, item.mode ?? src.defaultMode ?? 0o644);
  }
  return undefined;
}

/** writeDownward writes downwardAPI items (metadata fields; annotations as currently patched). */
function writeDownward(dir: string, items: V1DownwardAPIVolumeFile[], pod: V1Pod, annotations: Record<string, string>, defaultMode?: number): void {
  for (const item of items) {
    const value = fieldValue(item.fieldRef?.fieldPath ?? '', pod, annotations);
    writeFileAt(path.join(dir, item.path), Buffer.from(value), item.mode ?? defaultMode ?? 0o644);
  }
}

/** fieldValue reads a fieldRef path; used by downwardAPI volumes and env. */
export function fieldValue(fieldPath: string, pod: V1Pod, annotations = pod.metadata?.annotations ?? {}): string {
  const meta = pod.metadata ?? {};
  const keyed = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (keyed) return (keyed[1] === 'labels' ? (meta.labels ?? {}) : annotations)[keyed[2]] ?? '';
  const formatMap = (m: Record<string, string>): string =>
    Object.keys(m)
      .sort()
      .map((k) => `${k}="${m[k]}"`)
      .join('\n');
  switch (fieldPath) {
    case 'metadata.name':
      return meta.name ?? '';
    case 'metadata.namespace':
      return meta.namespace ?? 'default';
    case 'metadata.uid':
      return meta.uid ?? '';
    case 'metadata.labels':
      return formatMap(meta.labels ?? {});
    case 'metadata.annotations':
      return formatMap(annotations);
    case 'spec.nodeName':
      return 'localhost';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.hostIP':
      return '127.0.0.1';
    default:
      return '';
  }
}

/** writeFileAt replaces a file atomically (readers never see it half-written), creating parents. */
function writeFileAt(file: string, data: Buffer, mode: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.tektite-${process.pid}`;
  writeFileSync(temp, data);
  chmodSync(temp, mode);
  renameSync(temp, file);
}
