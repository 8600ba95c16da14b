// meta.ts: the API server's bookkeeping on create and update (k8s.io/apiserver/pkg/registry/rest/create.go,
// update.go): names, namespaces, uid, generation, creationTimestamp.
import { randomUUID } from 'node:crypto';
import { isDNS1123Subdomain } from '../../api/load/names.ts';
import { jsonEqual } from './json.ts';
import type { KObject, ObjectKey } from './types.ts';

// Cluster-scoped kinds Tektite may meet; every other kind is namespaced.
const clusterScoped = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'CustomResourceDefinition', 'Node', 'PriorityClass']);

/** keyOf gives an object's key, with the API server's namespace defaulting ("default" for namespaced kinds). */
export function keyOf(obj: { kind: string; metadata: { name?: string; namespace?: string } }): ObjectKey {
  return { kind: obj.kind, namespace: namespaceOf(obj.kind, obj.metadata.namespace), name: obj.metadata.name ?? '' };
}

/** namespaceOf is "" for cluster-scoped kinds, else the given namespace or "default". */
export function namespaceOf(kind: string, namespace: string | undefined): string {
  return clusterScoped.has(kind) ? '' : namespace || 'default';
}

/** describe names an object the way the API server's messages do: `taskruns "x"`. */
export function describe(key: ObjectKey): string {
  return `${key.kind} ${JSON.stringify(key.name)}${key.namespace ? ` in namespace ${JSON.stringify(key.namespace)}` : ''}`;
}

/** invalidName says why a name cannot be stored, or undefined. */
export function invalidName(name: string): string | undefined {
  if (!name) return 'metadata.name: Required value: name or generateName is required';
  // Every object name is a DNS-1123 subdomain (k8s.io/apimachinery/pkg/util/validation).
  if (!isDNS1123Subdomain(name)) {
    return `metadata.name: Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`;
  }
  return undefined;
}

/** fillCreate sets what the API server sets on create; the object is a private copy. */
export function fillCreate(obj: KObject, now: Date, rv: number): void {
  const m = obj.metadata;
  m.namespace = namespaceOf(obj.kind, m.namespace) || undefined;
  m.uid = randomUUID();
  m.resourceVersion = String(rv);
  m.generation = 1;
  m.creationTimestamp = timestamp(now);
  delete m.deletionTimestamp;
}

/** specChanged tells whether anything but metadata and status differs (the API server then bumps generation). */
export function specChanged(a: KObject, b: KObject): boolean {
  const body = (o: KObject) => ({ ...o, metadata: undefined, status: undefined });
  return !jsonEqual(body(a), body(b));
}

/** timestamp is Kubernetes' metav1.Time text: RFC 3339 in seconds, UTC. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// Byte order, as SQLite's ORDER BY (BINARY collation) and etcd's key order list them; localeCompare
// would order some names differently and costs far more on large lists.
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** byNamespaceName orders objects by namespace, then name: the order every store and cache lists in. */
export function byNamespaceName(a: KObject, b: KObject): number {
  return cmp(a.metadata.namespace ?? '', b.metadata.namespace ?? '') || cmp(a.metadata.name ?? '', b.metadata.name ?? '');
}
