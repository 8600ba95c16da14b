// volume-sources.ts: the ConfigMaps and Secrets a Pod names (volumes, projected volumes, env and
// envFrom), read from the object store before the run, served through the executors' synchronous
// VolumeSources; PVCs are directories of the state dir (<stateDir>/pvc/<namespace>/<claim>),
// shared by every run that binds the claim, as the run store's dir('pvc', ...) was.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { ConfigMap, Secret } from '../api/index.ts';
import type { VolumeSources } from '../executors/index.ts';
import type { KObject, ObjectStore } from '../store/index.ts';

/** referencedObjects lists the names of the ConfigMaps and Secrets a Pod may read. */
export function referencedObjects(pod: V1Pod): { configMaps: Set<string>; secrets: Set<string> } {
  const configMaps = new Set<string>();
  const secrets = new Set<string>();
  const add = (set: Set<string>, name: string | undefined) => name && set.add(name);
  for (const v of pod.spec?.volumes ?? []) {
    add(configMaps, v.configMap?.name);
    add(secrets, v.secret?.secretName);
    for (const s of v.projected?.sources ?? []) {
      add(configMaps, s.configMap?.name);
      add(secrets, s.secret?.name);
    }
  }
  const containers: V1Container[] = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])];
  for (const c of containers) {
    for (const e of c.env ?? []) {
      add(configMaps, e.valueFrom?.configMapKeyRef?.name);
      add(secrets, e.valueFrom?.secretKeyRef?.name);
    }
    for (const e of c.envFrom ?? []) {
      add(configMaps, e.configMapRef?.name);
      add(secrets, e.secretRef?.name);
    }
  }
  return { configMaps, secrets };
}

/** prefetchVolumeSources reads what the Pod names from the store and serves it (and PVC dirs) synchronously. */
export async function prefetchVolumeSources(store: ObjectStore, pod: V1Pod, stateDir: string): Promise<VolumeSources> {
  const namespace = pod.metadata?.namespace ?? '';
  const refs = referencedObjects(pod);
  const read = async <T>(kind: string, names: Set<string>) => {
    const entries = await Promise.all([...names].map(async (name) => [name, await store.get<T & KObject>({ kind, namespace, name })] as const));
    return new Map(entries.filter((e): e is readonly [string, T & KObject] => e[1] !== undefined));
  };
  const [configMaps, secrets] = await Promise.all([read<ConfigMap>('ConfigMap', refs.configMaps), read<Secret>('Secret', refs.secrets)]);
  return {
    configMap(ns, name) {
      const cm = ns === namespace ? configMaps.get(name) : undefined;
      if (!cm) return undefined;
      const binary = Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
      return { ...binary, ...(cm.data ?? {}) };
    },
    secret(ns, name) {
      const s = ns === namespace ? secrets.get(name) : undefined;
      if (!s) return undefined;
      const out: Record<string, Buffer> = {};
      for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64');
      for (const [k, v] of Object.entries(s.stringData ?? {})) out[k] = Buffer.from(v, 'utf8');
      return out;
    },
    pvcDir(ns, claimName) {
      const dir = path.join(stateDir, 'pvc', ns, claimName);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
  };
}
