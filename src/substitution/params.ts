// params.ts: parameter values and the replacement keys Tekton derives from them
// (pkg/reconciler/taskrun/resources/apply.go: replacementsFromDefaultParams, replacementsFromParams).
import type { Param, ParamSpec, ParamValue } from '../api/index.ts';
import { findVariables } from './scan.ts';

/** The key forms every param is reachable by; `inputs.params.<n>` is v1beta1's legacy form. */
const PARAM_PATTERNS: ((name: string) => string)[] = [(n) => `params.${n}`, (n) => `params[${JSON.stringify(n)}]`, (n) => `params['${n}']`, (n) => `inputs.params.${n}`];

/** ParamReplacements are the string, array and object replacements of a set of params. */
export interface ParamReplacements {
  strings: Map<string, string>;
  arrays: Map<string, string[]>;
  objects: Map<string, Record<string, string>>;
}

/**
 * resolveParamValues returns every param's effective value: the TaskRun's value, else the default.
 * Object params get missing keys filled from the default object; params the Task does not declare
 * are kept (inline specs may use propagated params without declaring them).
 */
export function resolveParamValues(specs: ParamSpec[] | undefined, params: Param[]): Map<string, ParamValue> {
  const out = new Map<string, ParamValue>();
  for (const s of specs ?? []) if (s.default !== undefined) out.set(s.name, s.default);
  for (const p of params) {
    const prev = out.get(p.name);
    out.set(p.name, isObject(p.value) && isObject(prev) ? { ...prev, ...p.value } : p.value);
  }
  return out;
}

/** paramReplacements builds the replacement maps Tekton uses for a Task's params (defaults, then run values). */
export function paramReplacements(specs: ParamSpec[] | undefined, params: Param[]): ParamReplacements {
  const r: ParamReplacements = { strings: new Map(), arrays: new Map(), objects: new Map() };
  const defaults = specs ?? [];
  // First pass: defaults that do not reference other params.
  for (const s of defaults) {
    if (s.default !== undefined && !referencesParams(s.default)) addParam(r, s.name, s.default);
  }
  // Second pass: string defaults referencing other params, `$(params.x)` form only.
  for (const s of defaults) {
    if (typeof s.default !== 'string' || !referencesParams(s.default)) continue;
    let resolved = s.default;
    for (const v of findVariables(s.default)) {
      if (!v.expression.startsWith('params.')) continue;
      const value = r.strings.get(v.expression);
      if (value !== undefined) resolved = resolved.split(v.text).join(value);
    }
    for (const key of PARAM_PATTERNS) r.strings.set(key(s.name), resolved);
  }
  for (const p of params) {
    const prev = r.objects.get(`params.${p.name}`);
    addParam(r, p.name, p.value);
    if (isObject(p.value) && prev) for (const key of PARAM_PATTERNS) r.objects.set(key(p.name), { ...prev, ...p.value });
  }
  return r;
}

function addParam(r: ParamReplacements, name: string, value: ParamValue): void {
  if (Array.isArray(value)) {
    for (const key of PARAM_PATTERNS) {
      value.forEach((v, i) => r.strings.set(`${key(name)}[${i}]`, v));
      r.arrays.set(key(name), value);
    }
  } else if (isObject(value)) {
    for (const key of PARAM_PATTERNS) r.objects.set(key(name), value);
    for (const [k, v] of Object.entries(value)) r.strings.set(`params.${name}.${k}`, v);
  } else {
    for (const key of PARAM_PATTERNS) r.strings.set(key(name), value);
  }
}

function referencesParams(v: ParamValue): boolean {
  return typeof v === 'string' && v.includes('$(params.');
}

function isObject(v: ParamValue | undefined): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
