// env.ts: a container's environment as the kubelet builds it (pkg/kubelet/kubelet_pods.go,
// makeEnvironmentVariables): envFrom first, then env in order, each value's `$(VAR)` expanded
// against what is defined before it; valueFrom read from the Pod (fieldRef, resourceFieldRef),
// ConfigMaps and Secrets. What the runtime itself adds (an image's ENV, HOSTNAME) is the backend's business.
import type { V1Container, V1EnvVarSource, V1Pod } from '@kubernetes/client-node';
import type { VolumeSources } from '../executor.ts';
import { resourceFieldValue } from './resource-field.ts';

/** ContainerEnv is the environment in definition order, or the kubelet's CreateContainerConfigError message. */
export type ContainerEnv = { env: Map<string, string> } | { configError: string };

/** containerEnv builds the environment a kubelet gives the container. */
export function containerEnv(c: V1Container, pod: V1Pod, sources: VolumeSources): ContainerEnv {
  const ns = pod.metadata?.namespace ?? 'default';
  const env = new Map<string, string>();
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef ?? from.secretRef;
    if (!ref) continue;
    const data = from.configMapRef ? sources.configMap(ns, ref.name ?? '') : text(sources.secret(ns, ref.name ?? ''));
    if (!data) {
      if (ref.optional) continue;
      return { configError: `${from.configMapRef ? 'configmap' : 'secret'} "${ref.name}" not found` };
    }
    for (const [k, v] of Object.entries(data)) env.set((from.prefix ?? '') + k, v);
  }
  for (const e of c.env ?? []) {
    const value = e.valueFrom ? valueFrom(e.valueFrom, c, pod, ns, sources) : expandKubeVars(e.value ?? '', env);
    if (typeof value === 'object') return value;
    if (value !== undefined) env.set(e.name, value);
  }
  return { env };
}

/** valueFrom resolves one env source; undefined means "not set" (an optional reference that is missing). */
function valueFrom(from: V1EnvVarSource, c: V1Container, pod: V1Pod, ns: string, sources: VolumeSources): string | undefined | { configError: string } {
  if (from.fieldRef) return fieldValue(from.fieldRef.fieldPath, pod);
  if (from.resourceFieldRef) {
    const value = resourceFieldValue(from.resourceFieldRef, pod, c);
    return typeof value === 'string' ? value : { configError: value.error };
  }
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (!ref) return '';
  const kind = from.configMapKeyRef ? 'ConfigMap' : 'Secret';
  const data = from.configMapKeyRef ? sources.configMap(ns, ref.name ?? '') : text(sources.secret(ns, ref.name ?? ''));
  if (!data) return ref.optional ? undefined : { configError: `${kind.toLowerCase()} "${ref.name}" not found` };
  const value = data[ref.key];
  if (value === undefined) return ref.optional ? undefined : { configError: `couldn't find key ${ref.key} in ${kind} ${ns}/${ref.name}` };
  return value;
}

function text(data: Record<string, Buffer> | undefined): Record<string, string> | undefined {
  return data && Object.fromEntries(Object.entries(data).map(([k, b]) => [k, b.toString('utf8')]));
}

/**
 * expandKubeVars is Kubernetes' third_party/forked/golang/expansion Expand: `$(NAME)` becomes the
 * variable's value when defined (left as written otherwise), `$$` escapes to `$`, any other `$` is kept.
 */
export function expandKubeVars(input: string, vars: ReadonlyMap<string, string> | ((name: string) => string | undefined)): string {
  const lookup = typeof vars === 'function' ? vars : (name: string) => vars.get(name);
  let out = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$' || i + 1 >= input.length) {
      out += input[i];
      continue;
    }
    const next = input[i + 1];
    const close = next === '(' ? input.indexOf(')', i + 2) : -1;
    if (next === '$') {
      out += '$';
    } else if (close >= 0) {
      const name = input.slice(i + 2, close);
      out += lookup(name) ?? `$(${name})`;
      i = close - 1;
    } else {
      out += `$${next}`;
    }
    i++;
  }
  return out;
}

/**
 * fieldValue reads a fieldRef path from the Pod (pkg/kubelet/kubelet_pods.go podFieldSelectorRuntimeValue,
 * pkg/fieldpath ExtractFieldPathAsString), for env and downwardAPI files; annotations can be given
 * newer than the Pod's (the controller's patch of tekton.dev/ready).
 */
export function fieldValue(fieldPath: string, pod: V1Pod, annotations = pod.metadata?.annotations ?? {}): string {
  const meta = pod.metadata ?? {};
  const keyed = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(fieldPath);
  if (keyed) return (keyed[1] === 'labels' ? (meta.labels ?? {}) : annotations)[keyed[2]] ?? '';
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
    // The Pod runs on this machine: its node is localhost and its IPs the loopback.
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? 'localhost';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.hostIP':
      return '127.0.0.1';
    default:
      return '';
  }
}

/** formatMap is pkg/fieldpath FormatMap: sorted `key="value"` lines (Go's %q; JSON's quoting matches it for text). */
function formatMap(m: Record<string, string>): string {
  return Object.keys(m)
    .sort()
    .map((k) => `${k}=${JSON.stringify(m[k])}`)
    .join('\n');
}
