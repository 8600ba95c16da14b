// taskrun.ts: TaskRun defaulting (taskrun_defaults.go): timeout, service account, managed-by label,
// taskRef kind/resolver, default pod template, inline taskSpec defaults, reserved annotations.
import type { PodTemplate, TaskRun } from '../v1/index.ts';
import type { Config } from '../../config/index.ts';
import { formatGoDuration } from '../../duration/index.ts';
import { setTaskSpecDefaults } from './task.ts';

/** ManagedByLabelKey is the label Tekton stamps on every run it defaults. */
export const ManagedByLabelKey = 'app.kubernetes.io/managed-by';

/** RESERVED_ANNOTATION is pipeline.TektonReservedAnnotationExpr: users may not set these; they are dropped at create. */
export const RESERVED_ANNOTATION = /^(results|chains)\.tekton\.dev\/.*/;

/**
 * setTaskRunDefaults returns a defaulted copy of a TaskRun, as Tekton's defaulting webhook does at
 * create: `spec.timeout` ← default-timeout-minutes (Go text, e.g. `1h0m0s`), serviceAccountName ←
 * default-service-account, label app.kubernetes.io/managed-by, taskRef.kind ← `Task` when no resolver.
 */
export function setTaskRunDefaults(tr: TaskRun, config: Config): TaskRun {
  // Copied where defaults are set, shared elsewhere (status above all): a reconcile defaults its
  // TaskRun every time, and a deep clone was most of that. Callers treat both as read-only.
  const spec = { ...tr.spec };
  const out: TaskRun = { ...tr, metadata: { ...tr.metadata }, spec };
  const d = config.defaults;
  if (spec.taskRef) {
    const ref = { ...spec.taskRef };
    if (!ref.name && !ref.resolver && d.defaultResolverType) ref.resolver = d.defaultResolverType;
    if (!ref.kind && !ref.resolver) ref.kind = 'Task';
    spec.taskRef = ref;
  }
  if (spec.timeout === undefined) spec.timeout = formatGoDuration(d.defaultTimeoutMinutes * 60_000);
  if (!spec.serviceAccountName && d.defaultServiceAccount) spec.serviceAccountName = d.defaultServiceAccount;
  const podTemplate = mergePodTemplateWithDefault(spec.podTemplate, d.defaultPodTemplate as PodTemplate | undefined);
  if (podTemplate) spec.podTemplate = podTemplate;
  if (spec.taskSpec) spec.taskSpec = setTaskSpecDefaults(spec.taskSpec, config);
  if (out.metadata.annotations) {
    out.metadata.annotations = Object.fromEntries(Object.entries(out.metadata.annotations).filter(([k]) => !RESERVED_ANNOTATION.test(k)));
  }
  const labels = { ...out.metadata.labels };
  if (!(ManagedByLabelKey in labels)) labels[ManagedByLabelKey] = d.defaultManagedByLabelValue;
  out.metadata.labels = labels;
  return out;
}

/**
 * mergePodTemplateWithDefault is pod.MergePodTemplateWithDefault: fields unset in the run's
 * template come from the default; env and volumes are merged by name, the run's entries winning.
 */
export function mergePodTemplateWithDefault(tpl?: PodTemplate, def?: PodTemplate): PodTemplate | undefined {
  if (!def) return tpl;
  if (!tpl) return structuredClone(def);
  const merged: PodTemplate = { ...structuredClone(def), ...tpl };
  for (const key of ['env', 'volumes'] as const) {
    const mine = (tpl[key] ?? []) as { name: string }[];
    const theirs = ((def[key] ?? []) as { name: string }[]).filter((x) => !mine.some((m) => m.name === x.name));
    const all = [...mine, ...theirs];
    if (all.length) (merged as Record<string, unknown>)[key] = all;
  }
  return merged;
}
