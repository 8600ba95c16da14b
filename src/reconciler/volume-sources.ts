// volume-sources.ts: ConfigMaps, Secrets and PVC directories for executors, read from the store.
import type { ConfigMap, Secret } from '../api/index.ts';
import type { VolumeSources } from '../executors/index.ts';
import type { Store } from '../store/index.ts';

/** storeVolumeSources serves a Pod's configMap/secret/PVC volumes from the run store. */
export function storeVolumeSources(store: Store): VolumeSources {
  return {
    configMap(namespace, name) {
      const cm = store.get<ConfigMap & { metadata: { name: string } }>('ConfigMap', namespace, name);
      if (!cm) return undefined;
      const binary = Object.fromEntries(Object.entries(cm.binaryData ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
      return { ...binary, ...(cm.data ?? {}) };
    },
    secret(namespace, name) {
      const s = store.get<Secret & { metadata: { name: string } }>('Secret', namespace, name);
      if (!s) return undefined;
      const out: Record<string, Buffer> = {};
      for (const [k, v] of Object.entries(s.data ?? {})) out[k] = Buffer.from(v, 'base64');
      for (const [k, v] of Object.entries(s.stringData ?? {})) out[k] = Buffer.from(v, 'utf8');
      return out;
    },
    pvcDir(namespace, claimName) {
      // A PVC outlives runs: a named directory in the state dir, shared by every run that binds it.
      return store.dir('pvc', namespace, claimName);
    },
  };
}
