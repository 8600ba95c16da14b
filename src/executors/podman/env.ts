// env.ts: a container's environment as the kubelet computes it (env, envFrom, valueFrom) and the
// kubelet's `$(VAR)` expansion of env values, command and args.
import type { V1Container } from '@kubernetes/client-node';
import type { VolumeSources } from '../executor.ts';
import { fieldValue, type PodMeta } from './volumes.ts';

/** resolveEnv returns the container's environment in order (envFrom first, then env), or the kubelet's config error. */
export function resolveEnv(c: V1Container, meta: PodMeta, sources: VolumeSources): Map<string, string> | { error: string } {
  const env = new Map<string, string>();
  for (const from of c.envFrom ?? []) {
    const data = from.configMapRef
      ? sources.configMap(meta.namespace, from.configMapRef.name ?? '')
      : from.secretRef
        ? bytesToText(sources.secret(meta.namespace, from.secretRef.name ?? ''))
        : {};
    if (!data) {
      const ref = from.configMapRef ?? from.secretRef!;
      if (ref.optional) continue;
      return { error: `${from.configMapRef ? 'configmap' : 'secret'} ${JSON.stringify(ref.name)} not found` };
    }
    for (const [k, v] of Object.entries(data)) env.set((from.prefix ?? '') + k, v);
  }
  for (const e of c.env ?? []) {
    if (e.valueFrom) {
      const v = valueFrom(e.valueFrom, meta, sources);
      if (typeof v === 'object') return v;
      if (v !== undefined) env.set(e.name, v);
    } else {
      // Kubernetes expands $(VAR) in an env value from the variables defined before it.
      env.set(e.name, expandKubeVars(e.value ?? '', env));
    }
  }
  return env;
}

function valueFrom(from: NonNullable<NonNullable<V1Container['env']>[number]['valueFrom']>, meta: PodMeta, sources: VolumeSources): string | undefined | { error: string } {
  if (from.fieldRef) return fieldValue(from.fieldRef.fieldPath, meta);
  const ref = from.configMapKeyRef ?? from.secretKeyRef;
  if (!ref) return undefined; // resourceFieldRef: not projected
  const kind = from.configMapKeyRef ? 'ConfigMap' : 'Secret';
  const data = from.configMapKeyRef ? sources.configMap(meta.namespace, ref.name ?? '') : bytesToText(sources.secret(meta.namespace, ref.name ?? ''));
  if (!data) return ref.optional ? undefined : { error: `${kind.toLowerCase()} ${JSON.stringify(ref.name)} not found` };
  const v = data[ref.key];
  if (v === undefined) return ref.optional ? undefined : { error: `couldn't find key ${ref.key} in ${kind} ${meta.namespace}/${ref.name}` };
  return v;
}

function bytesToText(data: Record<string, Buffer> | undefined): Record<string, string> | undefined {
  return data && Object.fromEntries(Object.entries(data).map(([k, b]) => [k, b.toString('utf8')]));
}

/**
 * expandKubeVars is Kubernetes' third_party/forked/golang/expansion: `$(NAME)` becomes the
 * variable's value when defined (left untouched otherwise) and `$$` escapes to `$`.
 */
export function expandKubeVars(text: string, vars: Map<string, string>): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '$' || i + 1 >= text.length) {
      out += ch;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = text.indexOf(')', i + 2);
      if (close < 0) {
        out += '$(';
        i++;
        continue;
      }
      const name = text.slice(i + 2, close);
      out += vars.has(name) ? vars.get(name) : `$(${name})`;
      i = close;
    } else {
      out += ch;
    }
  }
  return out;
}
