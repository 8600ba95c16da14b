// task-fields.ts: the TaskSpec fields Tekton substitutes (ApplyReplacements in
// pkg/reconciler/taskrun/resources/apply.go and pkg/container/*_replacements.go).
import type { EnvVar, Param, Sidecar, Step, StepTemplate, TaskSpec, Volume, VolumeMount, WhenExpression } from '../api/index.ts';
import type { ArrayReplacements, StringReplacements } from './replace.ts';
import { applyArrayReplacements, expandList, replaceVariables } from './replace.ts';

/** Replacements bundles the maps one substitution pass uses. */
export interface Replacements {
  strings: StringReplacements;
  arrays: ArrayReplacements;
  objects?: ReadonlyMap<string, Record<string, string>>;
}

type Container = Step | Sidecar | StepTemplate;

/** applyToTaskSpec returns a copy of spec with r applied to every field Tekton substitutes. */
export function applyToTaskSpec(spec: TaskSpec, r: Replacements): TaskSpec {
  const out: TaskSpec = structuredClone(spec);
  // out is a clone already: its steps and sidecars are substituted without cloning them again.
  if (out.steps) out.steps = out.steps.map((s) => substituteStep(s, r));
  if (out.stepTemplate) out.stepTemplate = applyToContainer(out.stepTemplate, r);
  if (out.volumes) out.volumes = out.volumes.map((v) => applyToVolume(v, r.strings));
  if (out.workspaces) {
    out.workspaces = out.workspaces.map((w) => (w.mountPath === undefined ? w : { ...w, mountPath: replaceVariables(w.mountPath, r.strings) }));
  }
  if (out.sidecars) out.sidecars = out.sidecars.map((s) => substituteSidecar(s, r));
  return out;
}

/** applyToStep substitutes a step: script, onError, std*Config paths, when, params and container fields. */
export function applyToStep(step: Step, r: Replacements): Step {
  return substituteStep(structuredClone(step), r);
}

function substituteStep(step: Step, r: Replacements): Step {
  const s = applyToContainer(step, r);
  if (s.script !== undefined) s.script = replaceVariables(s.script, r.strings);
  if (s.onError !== undefined) s.onError = replaceVariables(s.onError, r.strings);
  if (s.stdoutConfig?.path !== undefined) s.stdoutConfig.path = replaceVariables(s.stdoutConfig.path, r.strings);
  if (s.stderrConfig?.path !== undefined) s.stderrConfig.path = replaceVariables(s.stderrConfig.path, r.strings);
  if (s.when) s.when = s.when.map((w) => applyToWhen(w, r));
  if (s.params) s.params = s.params.map((p) => applyToParam(p, r));
  return s;
}

/** applyToSidecar substitutes a sidecar: script and container fields. */
export function applyToSidecar(sidecar: Sidecar, r: Replacements): Sidecar {
  return substituteSidecar(structuredClone(sidecar), r);
}

function substituteSidecar(sidecar: Sidecar, r: Replacements): Sidecar {
  const s = applyToContainer(sidecar, r);
  if (s.script !== undefined) s.script = replaceVariables(s.script, r.strings);
  return s;
}

// applyContainerReplacements: name, image, imagePullPolicy, args/command (array expansion),
// env value and valueFrom refs, envFrom prefix and refs, workingDir, volumeMounts.
function applyToContainer<C extends Container>(c: C, r: Replacements): C {
  const str = (v: string | undefined) => (v === undefined ? undefined : replaceVariables(v, r.strings));
  const out = { ...c } as C & { name?: string };
  if ('name' in c && c.name !== undefined) out.name = str(c.name);
  if (c.image !== undefined) out.image = str(c.image);
  if (c.imagePullPolicy !== undefined) out.imagePullPolicy = str(c.imagePullPolicy);
  if (c.args) out.args = expandList(c.args, r.strings, r.arrays);
  if (c.command) out.command = expandList(c.command, r.strings, r.arrays);
  if (c.env) out.env = c.env.map((e) => applyToEnv(e, r.strings));
  if (c.envFrom) out.envFrom = c.envFrom.map((e) => applyToEnvFrom(e, r.strings));
  if (c.workingDir !== undefined) out.workingDir = str(c.workingDir);
  if (c.volumeMounts) out.volumeMounts = c.volumeMounts.map((m) => applyToMount(m, r.strings));
  return out;
}

function applyToEnv(e: EnvVar, s: StringReplacements): EnvVar {
  const out: EnvVar = structuredClone(e);
  if (out.value !== undefined) out.value = replaceVariables(out.value, s);
  const from = out.valueFrom as Record<string, { name?: string; key?: string } | undefined> | undefined;
  for (const ref of [from?.secretKeyRef, from?.configMapKeyRef]) {
    if (!ref) continue;
    if (ref.name !== undefined) ref.name = replaceVariables(ref.name, s);
    if (ref.key !== undefined) ref.key = replaceVariables(ref.key, s);
  }
  return out;
}

function applyToEnvFrom(e: Record<string, unknown>, s: StringReplacements): Record<string, unknown> {
  const out = structuredClone(e) as { prefix?: string; configMapRef?: { name?: string }; secretRef?: { name?: string } };
  if (out.prefix !== undefined) out.prefix = replaceVariables(out.prefix, s);
  for (const ref of [out.configMapRef, out.secretRef]) if (ref?.name !== undefined) ref.name = replaceVariables(ref.name, s);
  return out;
}

function applyToMount(m: VolumeMount, s: StringReplacements): VolumeMount {
  const out = { ...m, name: replaceVariables(m.name, s), mountPath: replaceVariables(m.mountPath, s) };
  if (m.subPath !== undefined) out.subPath = replaceVariables(m.subPath, s);
  return out;
}

function applyToWhen(w: WhenExpression, r: Replacements): WhenExpression {
  const out = { ...w };
  if (w.input !== undefined) out.input = replaceVariables(w.input, r.strings);
  if (w.values) out.values = expandList(w.values, r.strings, r.arrays);
  if (w.cel !== undefined) out.cel = replaceVariables(w.cel, r.strings);
  return out;
}

// Params.ReplaceVariables: strings get string replacements; an array item or a whole string
// that is exactly an array or object reference takes that value.
function applyToParam(p: Param, r: Replacements): Param {
  const v = p.value;
  if (Array.isArray(v)) return { ...p, value: v.flatMap((x) => applyArrayReplacements(x, r.strings, r.arrays)) };
  if (typeof v !== 'string') return { ...p, value: Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceVariables(x, r.strings)])) };
  if (v.startsWith('$(') && v.endsWith(')')) {
    const key = v.slice(2, -1).replace(/\[\*\]$/, '');
    const arr = r.arrays.get(key);
    if (arr) return { ...p, value: [...arr] };
    const obj = r.objects?.get(key);
    if (obj) return { ...p, value: { ...obj } };
  }
  return { ...p, value: replaceVariables(v, r.strings) };
}

// Volumes: name, configMap/secret names and items, PVC claimName, projected source names, CSI secret ref.
function applyToVolume(v: Volume, s: StringReplacements): Volume {
  // biome-ignore lint/suspicious/noExplicitAny: loose Kubernetes volume/projection shapes, walked field by field
  const out = structuredClone(v) as Volume & Record<string, any>;
  const str = (x: string | undefined) => (x === undefined ? undefined : replaceVariables(x, s));
  out.name = replaceVariables(v.name, s);
  if (out.configMap) {
    out.configMap.name = str(out.configMap.name);
    out.configMap.items = out.configMap.items?.map((i) => ({ ...i, key: replaceVariables(i.key, s), path: replaceVariables(i.path, s) }));
  }
  if (out.secret) {
    out.secret.secretName = str(out.secret.secretName);
    out.secret.items = out.secret.items?.map((i) => ({ ...i, key: replaceVariables(i.key, s), path: replaceVariables(i.path, s) }));
  }
  if (out.persistentVolumeClaim) out.persistentVolumeClaim.claimName = replaceVariables(out.persistentVolumeClaim.claimName, s);
  // biome-ignore lint/suspicious/noExplicitAny: loose Kubernetes volume/projection shapes, walked field by field
  for (const src of (out.projected?.sources ?? []) as Record<string, any>[]) {
    if (src.configMap?.name !== undefined) src.configMap.name = str(src.configMap.name);
    if (src.secret?.name !== undefined) src.secret.name = str(src.secret.name);
    if (src.serviceAccountToken?.audience !== undefined) src.serviceAccountToken.audience = str(src.serviceAccountToken.audience);
  }
  const csi = out.csi as { nodePublishSecretRef?: { name?: string }; volumeAttributes?: Record<string, string> } | undefined;
  if (csi?.nodePublishSecretRef?.name !== undefined) csi.nodePublishSecretRef.name = str(csi.nodePublishSecretRef.name);
  if (csi?.volumeAttributes) {
    csi.volumeAttributes = Object.fromEntries(Object.entries(csi.volumeAttributes).map(([k, x]) => [k, replaceVariables(x, s)]));
  }
  return stripUndefined(out);
}

// biome-ignore lint/suspicious/noExplicitAny: loose Kubernetes volume/projection shapes, walked field by field
function stripUndefined<T extends Record<string, any>>(v: T): T {
  for (const src of [v.configMap, v.secret]) {
    if (!src) continue;
    for (const k of Object.keys(src)) if (src[k] === undefined) delete src[k];
  }
  return v;
}
