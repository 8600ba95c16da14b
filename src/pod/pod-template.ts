// pod-template.ts: the TaskRun podTemplate fields Tekton copies onto the PodSpec (pkg/pod/pod.go Build)
// and podTemplate env appended to every step (minus default-forbidden-env).
import type { V1Container, V1EnvVar, V1PodSpec } from '@kubernetes/client-node';
import type { PodTemplate } from '../api/index.ts';

const COPIED = [
  'nodeSelector',
  'tolerations',
  'affinity',
  'securityContext',
  'runtimeClassName',
  'automountServiceAccountToken',
  'schedulerName',
  'hostNetwork',
  'dnsPolicy',
  'dnsConfig',
  'enableServiceLinks',
  'priorityClassName',
  'imagePullSecrets',
  'hostAliases',
  'topologySpreadConstraints',
] as const;

/** podTemplateSpecFields returns the PodSpec fields set by the podTemplate (unset ones are absent). */
export function podTemplateSpecFields(template: PodTemplate | undefined): Partial<V1PodSpec> {
  const out: Record<string, unknown> = {};
  for (const k of COPIED) if (template?.[k] !== undefined) out[k] = structuredClone(template[k]);
  return out as Partial<V1PodSpec>;
}

/** appendPodTemplateEnv appends podTemplate env (minus forbidden names) to every step: it overrides step env. */
export function appendPodTemplateEnv(steps: V1Container[], template: PodTemplate | undefined, forbidden: string[] = []): V1Container[] {
  const env = (template?.env ?? []) as V1EnvVar[];
  if (env.length === 0) return steps;
  const allowed = env.filter((e) => !forbidden.includes(e.name));
  if (allowed.length === 0) return steps;
  return steps.map((s) => ({ ...s, env: [...(s.env ?? []), ...structuredClone(allowed)] }));
}
