// volumes.ts: the Pod's volumes as host directories, the way a kubelet sets them up (emptyDir 0777;
// configMap/secret/downwardAPI/projected files written with their items and modes and always mounted
// read-only; PVCs and hostPaths as given), and each container's volumeMounts as a list of
// (container path → host path) binds (pkg/kubelet/kubelet_pods.go, makeMounts), plus its termination file.
import { chmodSync, existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { V1Container, V1DownwardAPIVolumeFile, V1KeyToPath, V1Pod, V1Volume } from '@kubernetes/client-node';
import type { VolumeSources } from '../executor.ts';
import { expandKubeVars, fieldValue } from './env.ts';
import { resourceFieldValue } from './resource-field.ts';

/** Mount binds a host path at a container path, like a kubelet's mount of a volumeMount. */
export interface Mount {
  containerPath: string;
  hostPath: string;
  readOnly: boolean;
}

/** PodVolume is one volume of the Pod, set up on the host. */
export interface PodVolume {
  hostPath: string;
  /** readOnly is true for volumes a kubelet always mounts read-only (and a readOnly PVC). */
  readOnly: boolean;
}

/** PodVolumes are the Pod's volumes by name, plus a way to refresh downwardAPI files. */
export interface PodVolumes {
  byName: Map<string, PodVolume>;
  /** refreshDownward rewrites downwardAPI files from the given annotations (e.g. once tekton.dev/ready is set). */
  refreshDownward(annotations: Record<string, string>): void;
}

/** VolumeSetupResult is the Pod's volumes, or the kubelet's FailedMount message. */
export type VolumeSetupResult = { volumes: PodVolumes } | { mountError: string };

/**
 * smallInternalVolume names the Pod volumes Tekton declares for its own small files: step status and
 * post files, step links, the ready file, scripts, the entrypoint copy, results.
 */
export const smallInternalVolume = /^tekton-internal-(?:run-\d+|steps|downward|scripts|bin|results)$/;

type DownwardWriter = (annotations: Record<string, string>) => void;

/**
 * setUpVolumes materialises every volume of the Pod under workDir/volumes; Tekton's small internal
 * volumes go under smallDir/volumes instead (the host executor's tmpfs, host/scratch.ts).
 */
export function setUpVolumes(pod: V1Pod, workDir: string, sources: VolumeSources, smallDir = workDir): VolumeSetupResult {
  const byName = new Map<string, PodVolume>();
  const writers: DownwardWriter[] = [];
  for (const volume of pod.spec?.volumes ?? []) {
    const dir = path.join(smallInternalVolume.test(volume.name) ? smallDir : workDir, 'volumes', volume.name);
    const result = setUpVolume(volume, dir, pod, sources, writers);
    // The kubelet's event text (pkg/volume/util/operationexecutor/operation_generator.go).
    if (typeof result === 'string') return { mountError: `MountVolume.SetUp failed for volume "${volume.name}" : ${result}` };
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
  // A volume that names no source is an emptyDir (pkg/apis/core/v1/defaults.go, SetDefaults_Volume).
  if (volume.emptyDir || Object.entries(volume).every(([k, v]) => k === 'name' || v === undefined)) {
    // pkg/volume/emptydir/empty_dir.go makes emptyDirs 0777, so steps with any runAsUser can write in
    // /workspace, /tekton/run/<i>, /tekton/home...; chmod because mkdir's mode is cut by the umask.
    chmodSync(dir, 0o777);
    return { hostPath: dir, readOnly: false };
  }
  if (volume.configMap) return writeConfigMap(dir, namespace, volume.configMap.name ?? '', volume.configMap, sources) ?? { hostPath: dir, readOnly: true };
  if (volume.secret) return writeSecret(dir, namespace, volume.secret.secretName ?? '', volume.secret, sources) ?? { hostPath: dir, readOnly: true };
  if (volume.downwardAPI) {
    const items = volume.downwardAPI.items ?? [];
    const mode = volume.downwardAPI.defaultMode;
    writers.push((annotations) => writeDownward(dir, items, pod, annotations, mode));
    return { hostPath: dir, readOnly: true };
  }
  if (volume.projected) return setUpProjected(volume, dir, pod, sources, writers);
  return 'this volume type is not supported by this executor';
}

/** setUpProjected writes each projected source into the one directory (pkg/volume/projected/projected.go). */
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

/** writeConfigMap writes a ConfigMap's keys (or its items) as files; a string is a mount error (pkg/volume/configmap/configmap.go). */
function writeConfigMap(dir: string, ns: string, name: string, src: KeyedSource, sources: VolumeSources): string | undefined {
  const data = sources.configMap(ns, name);
  if (!data) return src.optional ? undefined : `configmap "${name}" not found`;
  const bytes = Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v)]));
  return writeKeys(dir, bytes, src, (key) => `configmap references non-existent config key: ${key}`);
}

/** writeSecret writes a Secret's keys (or its items) as files; a string is a mount error (pkg/volume/secret/secret.go). */
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
    // A resourceFieldRef the kubelet could not resolve (no such container) is written empty.
    const resource = item.resourceFieldRef && resourceFieldValue(item.resourceFieldRef, pod);
    const value = item.fieldRef ? fieldValue(item.fieldRef.fieldPath, pod, annotations) : typeof resource === 'string' ? resource : '';
    writeFileAt(path.join(dir, item.path), Buffer.from(value), item.mode ?? defaultMode ?? 0o644);
  }
}

/** writeFileAt replaces a file atomically (readers never see it half-written, as with the kubelet's AtomicWriter), creating parents. */
function writeFileAt(file: string, data: Buffer, mode: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.tektite-${process.pid}`;
  writeFileSync(temp, data);
  chmodSync(temp, mode);
  renameSync(temp, file);
}

/** ContainerMounts are a container's volumeMounts as binds, or the kubelet's CreateContainerConfigError message. */
export type ContainerMounts = { mounts: Mount[] } | { configError: string };

/**
 * containerMounts binds each volumeMount to its volume's host path, as makeMounts does
 * (pkg/kubelet/kubelet_pods.go): subPathExpr expanded from the container's env (every name must
 * have a value), a subPath neither absolute nor with `..`, created if missing with its volume's
 * mode, and read-only when the mount or the volume says so.
 */
export function containerMounts(c: V1Container, volumes: PodVolumes, env: ReadonlyMap<string, string>): ContainerMounts {
  const mounts: Mount[] = [];
  for (const m of c.volumeMounts ?? []) {
    const volume = volumes.byName.get(m.name);
    if (!volume) return { configError: `cannot find volume "${m.name}" to mount into container "${c.name}"` };
    const subPath = m.subPathExpr ? expandSubPath(m.subPathExpr, env) : { subPath: m.subPath ?? '' };
    if ('configError' in subPath) return subPath;
    const sub = subPath.subPath;
    if (sub.startsWith('/')) return { configError: `error SubPath \`${sub}\` must not be an absolute path` };
    if (sub.split('/').includes('..')) return { configError: `unable to provision SubPath \`${sub}\`: must not contain '..'` };
    const hostPath = sub ? path.join(volume.hostPath, sub) : volume.hostPath;
    if (sub && !existsSync(hostPath)) {
      mkdirSync(hostPath, { recursive: true });
      chmodSync(hostPath, statSync(volume.hostPath).mode & 0o7777);
    }
    mounts.push({ containerPath: path.posix.resolve('/', m.mountPath), hostPath, readOnly: !!m.readOnly || volume.readOnly });
  }
  return { mounts };
}

/** expandSubPath is pkg/kubelet/container/helpers.go ExpandContainerVolumeMounts: an unset or empty variable is an error. */
function expandSubPath(expr: string, env: ReadonlyMap<string, string>): { subPath: string } | { configError: string } {
  const missing = new Set<string>();
  const subPath = expandKubeVars(expr, (name) => {
    if (!env.get(name)) missing.add(name);
    return env.get(name) ?? '';
  });
  if (missing.size > 0) return { configError: `missing value for ${[...missing].sort().join(', ')}` };
  return { subPath };
}

/** DEFAULT_TERMINATION_PATH is the terminationMessagePath Kubernetes defaults to. */
export const DEFAULT_TERMINATION_PATH = '/dev/termination-log';

/**
 * terminationMount backs the container's terminationMessagePath with a fresh file dir/<container>,
 * 0666 so that any runAsUser can write it (pkg/kubelet/kuberuntime/kuberuntime_container.go, makeMounts).
 */
export function terminationMount(dir: string, c: V1Container): Mount {
  mkdirSync(dir, { recursive: true });
  const hostPath = path.join(dir, c.name);
  writeFileSync(hostPath, '');
  chmodSync(hostPath, 0o666);
  return { containerPath: c.terminationMessagePath ?? DEFAULT_TERMINATION_PATH, hostPath, readOnly: false };
}

/**
 * hostPathOf maps a container path to the host path behind the deepest mount covering it (of mounts at
 * the same path the last wins, as it is mounted last), or undefined; mounts' container paths are absolute
 * and normalised (containerMounts makes them so).
 */
export function hostPathOf(containerPath: string, mounts: Mount[]): string | undefined {
  const p = path.posix.resolve('/', containerPath);
  let best: Mount | undefined;
  for (const m of mounts) {
    const dir = m.containerPath;
    const under = dir === '/' || p === dir || p.startsWith(`${dir}/`);
    if (under && (!best || dir.length >= best.containerPath.length)) best = m;
  }
  return best && path.join(best.hostPath, p.slice(best.containerPath.length));
}
