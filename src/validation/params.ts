// params.ts: ParamSpec checks of task_validation.go and param_types.go: types and defaults,
// name formats, duplicates, enums, and how steps use params (unknown, array, object references).
import type { ParamSpec, Step } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import { paramValueType } from '../api/defaults/index.ts';
import { FieldError, errInvalidValue, errMissingField } from '../errors/index.ts';
import { escapeRegex, mayReference, noEntireProhibitedVariables, noProhibitedVariables, noUnknownVariables, variableIsIsolated } from './variables.ts';

const STRING_ARRAY_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;
const OBJECT_NAME = /^[_a-zA-Z][_a-zA-Z0-9-]*$/;

/** goList prints a string list as Go's fmt does: `[a b]`. */
export const goList = (xs: string[]) => `[${xs.join(' ')}]`;

/** validateParameterTypes is ParamSpec.ValidateType for each param; paths are relative to `params`. */
export function validateParameterTypes(params: ParamSpec[]): FieldError | undefined {
  return FieldError.merge(...params.map(validateParamType));
}

function validateParamType(p: ParamSpec): FieldError | undefined {
  if (!p.type || !['string', 'array', 'object'].includes(p.type)) return errInvalidValue(p.type ?? '', `${p.name}.type`);
  if (p.default !== undefined && paramValueType(p.default) !== p.type) {
    return FieldError.of(`"${p.type}" type does not match default value's type: "${paramValueType(p.default)}"`, [`${p.name}.type`, `${p.name}.default.type`]);
  }
  if (!p.properties) return undefined;
  const invalid = Object.entries(p.properties)
    .filter(([, s]) => s.type !== 'string')
    .map(([k]) => k);
  if (invalid.length) return FieldError.of(`The value type specified for these keys ${goList(invalid)} is invalid`, [`${p.name}.properties`]);
  return undefined;
}

/** validateParameterVariables: duplicates, enums, name formats and array use (paths from the spec). */
export function validateParameterVariables(steps: Step[], params: ParamSpec[], config: Config): FieldError | undefined {
  const arrays = new Set(params.filter((p) => p.type === 'array').map((p) => p.name));
  const stringsAndArrays = params.filter((p) => p.type !== 'object').map((p) => p.name);
  return FieldError.merge(
    ...dups(params.map((p) => p.name)).map((d) => FieldError.of('parameter appears more than once', ['']).viaFieldKey('params', d)),
    validateParamEnums(params, config)?.viaField('params'),
    validateNameFormat(
      stringsAndArrays,
      params.filter((p) => p.type === 'object'),
    ),
    cumulativeViaSteps(steps.map((s) => validateStepArrayUsage(s, arrays))),
  );
}

function validateParamEnums(params: ParamSpec[], config: Config): FieldError | undefined {
  const errs: FieldError[] = [];
  for (const p of params) {
    if (!p.enum?.length) continue;
    const at = (msg: string) => errs.push(FieldError.of(msg, ['']).viaKey(p.name));
    if (!config.featureFlags.enableParamEnum) at('feature flag `enable-param-enum` should be set to true to use Enum');
    if (p.type !== 'string') at('enum can only be set with string type param');
    for (const d of dups(p.enum)) at(`parameter enum value ${d} appears more than once`);
    if (typeof p.default === 'string' && p.default !== '' && !p.enum.includes(p.default)) {
      at(`param default value ${p.default} not in the enum list`);
    }
  }
  return FieldError.merge(...errs);
}

function validateNameFormat(stringsAndArrays: string[], objects: ParamSpec[]): FieldError | undefined {
  const errs: FieldError[] = [];
  const bad = stringsAndArrays.every((n) => STRING_ARRAY_NAME.test(n)) ? [] : [...new Set(stringsAndArrays)].sort().filter((n) => !STRING_ARRAY_NAME.test(n));
  if (bad.length) {
    errs.push(
      FieldError.of(
        `The format of following array and string variable names is invalid: ${goList(bad)}`,
        ['params'],
        'String/Array Names: \nMust only contain alphanumeric characters, hyphens (-), underscores (_), and dots (.)\nMust begin with a letter or an underscore (_)',
      ),
    );
  }
  const badObjects = new Map<string, string[]>();
  for (const o of objects) {
    if (!OBJECT_NAME.test(o.name)) badObjects.set(o.name, badObjects.get(o.name) ?? []);
    for (const k of Object.keys(o.properties ?? {})) {
      if (!OBJECT_NAME.test(k)) badObjects.set(o.name, [...(badObjects.get(o.name) ?? []), k]);
    }
  }
  if (badObjects.size) {
    // Go prints a map[string][]string sorted by key: map[obj:[k1 k2]].
    const text = [...badObjects.keys()]
      .sort()
      .map((k) => `${k}:${goList(badObjects.get(k)!)}`)
      .join(' ');
    errs.push(
      FieldError.of(
        `Object param name and key name format is invalid: map[${text}]`,
        ['params'],
        'Object Names: \nMust only contain alphanumeric characters, hyphens (-), underscores (_) \nMust begin with a letter or an underscore (_)',
      ),
    );
  }
  return FieldError.merge(...errs);
}

/**
 * validateUsageOfDeclaredParameters: every `$(params.x)` in the steps names a declared param, object
 * keys exist, whole objects are not used as strings, object params declare properties.
 */
export function validateUsageOfDeclaredParameters(steps: Step[], params: ParamSpec[]): FieldError | undefined {
  const objects = params.filter((p) => p.type === 'object');
  const noProperties = () => objects.filter((p) => !p.properties).map((p) => errMissingField(`${p.name}.properties`));
  // Steps that never say `$(params` pass every check but the properties one (most Tasks' steps).
  if (!steps.some((s) => stepMayReference(s, 'params'))) return FieldError.merge(...noProperties());
  const objectNames = new Set(objects.map((p) => p.name));
  return FieldError.merge(
    validateVariables(steps, 'params', new Set(params.map((p) => p.name))),
    ...objects.map((p) => validateVariables(steps, `params\\.${escapeRegex(p.name)}`, new Set(Object.keys(p.properties ?? {})))),
    cumulativeViaSteps(steps.map((s) => stepFields(s, 'params', (v) => noEntireProhibitedVariables(v, 'params', objectNames), 'entire'))),
    ...noProperties(),
  );
}

/** validateVariables checks references under prefix in every step field Tekton checks. */
export function validateVariables(steps: Step[], prefix: string, vars: Set<string>): FieldError | undefined {
  let errs: FieldError | undefined;
  steps.forEach((s, i) => {
    errs = FieldError.merge(errs, stepFields(s, prefix, (v) => noUnknownVariables(v, prefix, vars), 'unknown')?.viaFieldIndex('steps', i));
  });
  return errs;
}

function validateStepArrayUsage(s: Step, arrays: Set<string>): FieldError | undefined {
  return stepFields(
    s,
    'params',
    (v) => noProhibitedVariables(v, 'params', arrays),
    'array',
    (v) => variableIsIsolated(v, 'params', arrays),
  );
}

type Check = (value: string | undefined) => FieldError | undefined;

/**
 * stepFields applies a check to the step fields Tekton scans (validateStepVariables and friends):
 * name, image, workingDir, script, command[i], args[i], env[name], volumeMount[i].*; onError only
 * for unknown-variable checks; arrays may stand alone in command/args (`listCheck`). The checks
 * look for references under prefix: a step that never mentions it passes without them.
 */
function stepFields(s: Step, prefix: string, check: Check, kind: 'unknown' | 'array' | 'entire', listCheck: Check = check): FieldError | undefined {
  if (!stepMayReference(s, prefix)) return undefined;
  // Tekton spells the volume mount fields differently in the two checks.
  const [mp, sp] = kind === 'unknown' ? ['MountPath', 'SubPath'] : ['mountPath', 'subPath'];
  return FieldError.merge(
    check(s.name)?.viaField('name'),
    check(s.image)?.viaField('image'),
    check(s.workingDir)?.viaField('workingDir'),
    check(s.script)?.viaField('script'),
    ...(s.command ?? []).map((c, i) => listCheck(c)?.viaFieldIndex('command', i)),
    ...(s.args ?? []).map((a, i) => listCheck(a)?.viaFieldIndex('args', i)),
    ...(s.env ?? []).map((e) => check(e.value)?.viaFieldKey('env', e.name)),
    ...(s.volumeMounts ?? []).flatMap((v, i) => [
      check(v.name)?.viaField('name').viaFieldIndex('volumeMount', i),
      check(v.mountPath)?.viaField(mp).viaFieldIndex('volumeMount', i),
      check(v.subPath)?.viaField(sp).viaFieldIndex('volumeMount', i),
    ]),
    kind === 'unknown' ? check(s.onError)?.viaField('onError') : undefined,
  );
}

/** stepMayReference: some field stepFields scans may hold a `$(prefix...)` reference. */
function stepMayReference(s: Step, prefix: string): boolean {
  if (mayReference(s.name, prefix) || mayReference(s.image, prefix) || mayReference(s.workingDir, prefix) || mayReference(s.script, prefix)) return true;
  if (mayReference(s.onError, prefix)) return true;
  for (const c of s.command ?? []) if (mayReference(c, prefix)) return true;
  for (const a of s.args ?? []) if (mayReference(a, prefix)) return true;
  for (const e of s.env ?? []) if (mayReference(e.value, prefix)) return true;
  for (const v of s.volumeMounts ?? []) if (mayReference(v.name, prefix) || mayReference(v.mountPath, prefix) || mayReference(v.subPath, prefix)) return true;
  return false;
}

/**
 * cumulativeViaSteps reproduces validateArrayUsage / validateObjectUsageAsWhole, which apply
 * ViaFieldIndex("steps", i) to the errors gathered so far: an error in step 0 of a two-step
 * Task is reported at `steps[1].steps[0]...`, exactly as Tekton prints it.
 */
function cumulativeViaSteps(perStep: (FieldError | undefined)[]): FieldError | undefined {
  let errs: FieldError | undefined;
  perStep.forEach((e, i) => {
    errs = FieldError.merge(errs, e)?.viaFieldIndex('steps', i);
  });
  return errs;
}

function dups(xs: string[]): string[] {
  const seen = new Set<string>();
  const out = new Set<string>();
  for (const x of xs) (seen.has(x) ? out : seen).add(x);
  return [...out];
}
