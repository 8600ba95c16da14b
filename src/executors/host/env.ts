// env.ts: a container's environment as a kubelet builds it (envFrom, then env in order, with
// $(VAR) expansion against what is already defined), plus what the host must add: PATH from the
// host and, for host tools that break without it, HOME=/tekton/home when that is mounted.
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { VolumeSources } from '../executor.ts';
import { fieldValue } from './volumes.ts';

/** EnvResult is the environment, or the kubelet's CreateContainerConfigError message. */
export type EnvResult = { env: Record<string, string> } | { configError: string };

/**
 * expandVariables implements Kubernetes' $(VAR) expansion (third_party/forked/golang/expansion):
 * `$$` is an escaped `$`, an unknown `$(VAR)` is left as written.
 */
export function expandVariables(input: string, lookup: (name: string) => string | undefined): string {
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

/** containerEnv builds the environment a kubelet would give the container. */
export function containerEnv(container: V1Container, pod: V1Pod, sources: VolumeSources, hostPath: string): EnvResult {
  const ns = pod.metadata?.namespace ?? 'default';
  const env: Record<string, string> = { PATH: hostPath, HOSTNAME: pod.metadata?.name ?? '' };
  for (const from of container.envFrom ?? []) {
    const prefix = from.prefix ?? '';
    if (from.configMapRef) {
      const data = sources.configMap(ns, from.configMapRef.name ?? '');
      if (!data && !from.configMapRef.optional) return { configError: `configmap "${from.configMapRef.name}" not found` };
      for (const [k, v] of Object.entries(data ?? {})) env[prefix + k] = v;
    }
    if (from.secretRef) {
      const data = sources.secret(ns, from.secretRef.name ?? '');
      if (!data && !from.secretRef.optional) return { configError: `secret "${from.secretRef.name}" not found` };
      for (const [k, v] of Object.entries(data ?? {})) env[prefix + k] = v.toString();
    }
  }
  for (const e of container.env ?? []) {
    const value = envValue(e, pod, ns, sources, env);
    if (typeof value === 'object') return value;
    if (value !== undefined) env[e.name] = value;
  }
  const mountsHome = (container.volumeMounts ?? []).some((m) => m.mountPath.replace(/\/+$/, '') === '/tekton/home');
  if (mountsHome && env.HOME === undefined) env.HOME = '/tekton/home';
  return { env };
}

type EnvVar = NonNullable<V1Container['env']>[number];

/** envValue resolves one env entry; undefined means "not set" (an optional missing reference). */
function envValue(e: EnvVar, pod: V1Pod, ns: string, sources: VolumeSources, env: Record<string, string>): string | undefined | { configError: string } {
  if (e.value !== undefined) return expandVariables(e.value, (name) => env[name]);
  const from = e.valueFrom;
  if (from?.fieldRef) return fieldValue(from.fieldRef.fieldPath, pod);
  if (from?.configMapKeyRef) {
    const ref = from.configMapKeyRef;
    const data = sources.configMap(ns, ref.name ?? '');
    if (!data) return ref.optional ? undefined : { configError: `configmap "${ref.name}" not found` };
    if (data[ref.key] === undefined) return ref.optional ? undefined : { configError: `couldn't find key ${ref.key} in ConfigMap ${ns}/${ref.name}` };
    return data[ref.key];
  }
  if (from?.secretKeyRef) {
    const ref = from.secretKeyRef;
    const data = sources.secret(ns, ref.name ?? '');
    if (!data) return ref.optional ? undefined : { configError: `secret "${ref.name}" not found` };
    if (data[ref.key] === undefined) return ref.optional ? undefined : { configError: `couldn't find key ${ref.key} in Secret ${ns}/${ref.name}` };
    return data[ref.key].toString();
  }
  return '';
}
