// task.ts: TaskSpec defaulting (task_defaults.go, param_types.go SetDefaults, result_defaults.go).
import type { ParamSpec, ParamType, ParamValue, TaskResult, TaskSpec } from '../v1/index.ts';
import type { Config } from '../../config/index.ts';

type Properties = Record<string, { type?: ParamType }>;

/** paramValueType is the type Go's ParamValue.UnmarshalJSON records for a value. */
export function paramValueType(v: ParamValue): ParamType {
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' && v !== null ? 'object' : 'string';
}

/**
 * setParamSpecDefaults infers a ParamSpec's type as ParamSpec.SetDefaults does: explicit type >
 * `properties` (object) > no default (string) > the default's own type; properties default to string.
 */
export function setParamSpecDefaults(p: ParamSpec): ParamSpec {
  const out: ParamSpec = { ...p };
  if (!out.type) {
    if (out.properties) out.type = 'object';
    else out.type = out.default === undefined ? 'string' : paramValueType(out.default);
  }
  if (out.properties) out.properties = stringProperties(out.properties);
  return out;
}

/** setResultDefaults types a result `object` when it has properties, else `string` (TaskResult.SetDefaults). */
export function setResultDefaults<R extends { type?: ParamType; properties?: Properties }>(r: R): R {
  const out: R = { ...r };
  if (!out.type) out.type = out.properties ? 'object' : 'string';
  if (out.properties) out.properties = stringProperties(out.properties);
  return out;
}

/**
 * setTaskSpecDefaults returns a defaulted copy of a TaskSpec (TaskSpec.SetDefaults): param and
 * result types, step result types, and the default resolver on step refs that name nothing. The
 * copy is made where defaults are set and shares the rest with spec (a reconcile defaults the same
 * spec many times; a deep clone was most of its cost): callers treat both as read-only.
 */
export function setTaskSpecDefaults(spec: TaskSpec, config?: Config): TaskSpec {
  const out: TaskSpec = { ...spec };
  if (out.params) out.params = out.params.map(setParamSpecDefaults);
  if (out.results) out.results = out.results.map((r: TaskResult) => setResultDefaults(r));
  const resolver = config?.defaults.defaultResolverType ?? '';
  if (out.steps) {
    out.steps = out.steps.map((step) => {
      const refResolver = step.ref && !step.ref.name && !step.ref.resolver && resolver;
      if (!step.results && !refResolver) return step;
      const s = { ...step };
      if (s.results) s.results = s.results.map((r) => setResultDefaults(r));
      if (refResolver && s.ref) s.ref = { ...s.ref, resolver };
      return s;
    });
  }
  return out;
}

function stringProperties(props: Properties): Properties {
  return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, { ...v, type: v.type ?? 'string' }]));
}
