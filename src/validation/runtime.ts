// runtime.ts: checks the TaskRun reconciler makes once the Task is resolved
// (reconciler/taskrun/validate_taskrun.go validateParams, workspace/validate.go ValidateBindings).
// Tekton returns plain Go errors here, so these are FieldError.bare: the message alone.
import type { Param, TaskSpec, WorkspaceBinding, WorkspaceDeclaration } from '../api/index.ts';
import { defaultConfig } from '../config/index.ts';
import { paramValueType, setParamSpecDefaults } from '../api/defaults/index.ts';
import { FieldError } from '../errors/index.ts';
import { goList } from './params.ts';
import { validateWorkspaceBinding } from './taskrun.ts';

// v1.VariableSubstitutionRegex: a string that is a `$(...)` reference may stand for an array/object.
const VARIABLE_SUBSTITUTION = /\$\([_a-zA-Z0-9.-]+(\.[_a-zA-Z0-9.-]+)*(\[([0-9]+|\*)\])?\)/;

/**
 * validateTaskRunParams checks a run's params against the Task's (defaulted) ParamSpecs: missing
 * values without defaults, type mismatches, missing object keys, and values outside an enum.
 * Params the Task does not declare are ignored, as in Tekton.
 */
export function validateTaskRunParams(spec: TaskSpec, params: Param[]): FieldError | undefined {
  const specs = (spec.params ?? []).map(setParamSpecDefaults);
  const provided = new Set(params.map((p) => p.name));
  const missing = specs.filter((s) => !provided.has(s.name) && s.default === undefined).map((s) => s.name);
  if (missing.length) return FieldError.bare(`missing values for these params which have no default values: ${goList(missing)}`);

  const types = new Map(specs.map((s) => [s.name, s.type]));
  const wrongType = params
    .filter((p) => {
      const want = types.get(p.name);
      if (!want) return false;
      const got = paramValueType(p.value);
      if (got === 'string' && want !== 'string' && VARIABLE_SUBSTITUTION.test(p.value as string)) return false;
      return got !== want;
    })
    .map((p) => p.name);
  if (wrongType.length) return FieldError.bare(`param types don't match the user-specified type: ${goList(wrongType)}`);

  const missingKeys = missingObjectKeys(specs, params);
  if (missingKeys.size) {
    // Go prints map[string][]string sorted by key.
    const text = [...missingKeys.keys()]
      .sort()
      .map((k) => `${k}:${goList(missingKeys.get(k)!)}`)
      .join(' ');
    return FieldError.bare(`missing keys for these params which are required in ParamSpec's properties map[${text}]`);
  }
  for (const p of params) {
    const s = specs.find((x) => x.name === p.name);
    if (s?.enum?.length && typeof p.value === 'string' && !s.enum.includes(p.value)) {
      return FieldError.bare(`param \`${p.name}\` value: ${p.value} is not in the enum list`);
    }
  }
  return undefined;
}

function missingObjectKeys(specs: ReturnType<typeof setParamSpecDefaults>[], params: Param[]): Map<string, string[]> {
  const needed = new Map<string, string[]>();
  const provided = new Map<string, string[]>();
  const add = (m: Map<string, string[]>, k: string, keys: string[]) => m.set(k, [...(m.get(k) ?? []), ...keys]);
  for (const s of specs) {
    if (s.type !== 'object') continue;
    add(needed, s.name, Object.keys(s.properties ?? {}));
    if (s.default !== undefined && paramValueType(s.default) === 'object') add(provided, s.name, Object.keys(s.default));
  }
  for (const p of params) if (paramValueType(p.value) === 'object') add(provided, p.name, Object.keys(p.value));
  const out = new Map<string, string[]>();
  for (const [name, keys] of provided) {
    if (!needed.has(name)) continue;
    const miss = needed
      .get(name)!
      .filter((k) => !keys.includes(k))
      .sort();
    if (miss.length) out.set(name, miss);
  }
  return out;
}

/**
 * validateTaskRunWorkspaces is workspace.ValidateBindings: each binding valid, every non-optional
 * declared workspace bound, and every binding matching a declared workspace. embedded is true when
 * the TaskRun carries its own taskSpec: then every binding also counts as a declaration.
 */
export function validateTaskRunWorkspaces(spec: TaskSpec, bindings: WorkspaceBinding[], embedded = false): FieldError | undefined {
  for (const b of bindings) {
    // At runtime the webhook has already gated csi; check with a permissive config.
    const err = validateWorkspaceBinding(b, defaultConfig());
    if (err) return FieldError.bare(`binding ${JSON.stringify(b.name)} is invalid: ${err.toString()}`);
  }
  // Propagated workspaces (TEP-0111, reconciler/taskrun/taskrun.go prepare): "Propagating workspaces
  // allows users to skip declarations ... We only allow this feature for embedded taskSpec."
  const propagated: WorkspaceDeclaration[] = embedded ? bindings.map((b) => ({ name: b.name })) : [];
  const decls = [...propagated, ...(spec.workspaces ?? [])];
  const bound = new Set(bindings.map((b) => b.name));
  const declared = new Set(decls.map((d) => d.name));
  const unbound = decls.find((d) => !d.optional && !bound.has(d.name));
  if (unbound) return FieldError.bare(`declared workspace ${JSON.stringify(unbound.name)} is required but has not been bound`);
  const extra = bindings.find((b) => !declared.has(b.name));
  if (extra) return FieldError.bare(`workspace binding ${JSON.stringify(extra.name)} does not match any declared workspace`);
  return undefined;
}
