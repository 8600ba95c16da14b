// stepaction.ts: StepAction admission (pkg/apis/pipeline/v1beta1/stepaction_validation.go), with
// Tekton's messages and paths.
import type { StepAction, StepActionSpec } from '../api/index.ts';
import { setParamSpecDefaults } from '../api/defaults/index.ts';
import type { Config } from '../config/index.ts';
import { validateEnabledAPIFields } from './feature-gate.ts';
import { FieldError, errInvalidValue, errMissingField } from '../errors/index.ts';
import { validateObjectMetadata } from './metadata.ts';
import { goList, validateParameterTypes } from './params.ts';
import { validateStepResult, validateStepResultsVariables } from './step.ts';
import { escapeRegex, extractVariables, noEntireProhibitedVariables, noProhibitedVariables, noUnknownVariables, variableIsIsolated } from './variables.ts';

const STRING_ARRAY_NAME = /^[_a-zA-Z][_a-zA-Z0-9.-]*$/;
const OBJECT_NAME = /^[_a-zA-Z][_a-zA-Z0-9-]*$/;

/** validateStepAction is StepAction.Validate: metadata, then the spec (after SetDefaults). */
export function validateStepAction(sa: StepAction, config: Config): FieldError | undefined {
  return FieldError.merge(validateObjectMetadata(sa.metadata)?.viaField('metadata'), validateStepActionSpec(sa.spec, config)?.viaField('spec'));
}

/** validateStepActionSpec is StepActionSpec.Validate; paths are relative to the spec. */
export function validateStepActionSpec(input: StepActionSpec, config: Config): FieldError | undefined {
  // StepActionSpec.SetDefaults gives every param a type before validation.
  const ss: StepActionSpec = { ...input, params: input.params?.map(setParamSpecDefaults) };
  const params = ss.params ?? [];
  const errs: (FieldError | undefined)[] = [];
  if (!ss.image) errs.push(errMissingField('Image'));
  if (ss.script) {
    if (ss.command?.length) errs.push(FieldError.of('script cannot be used with command', ['script']));
    if (ss.script.trim().startsWith('#!win')) errs.push(validateEnabledAPIFields(config, 'windows script support', 'alpha')?.viaField('script'));
    // validateNoParamSubstitutionsInScript: params reach a StepAction's script only through env.
    const found = extractVariables(ss.script, 'params');
    if (found.error || found.vars.length) errs.push(FieldError.of('param substitution in scripts is not allowed.', ['script']));
  }
  const objects = params.filter((p) => p.type === 'object');
  const arrays = new Set(params.filter((p) => p.type === 'array').map((p) => p.name));
  // validateUsageOfDeclaredParameters
  errs.push(fields(ss, (v) => noUnknownVariables(v, 'params', new Set(params.map((p) => p.name)))));
  for (const p of objects) errs.push(fields(ss, (v) => noUnknownVariables(v, `params\\.${escapeRegex(p.name)}`, new Set(Object.keys(p.properties ?? {})))));
  errs.push(fields(ss, (v) => noEntireProhibitedVariables(v, 'params', new Set(objects.map((p) => p.name)))));
  errs.push(...objects.filter((p) => !p.properties).map((p) => errMissingField(`${p.name}.properties`)));
  errs.push(validateParameterTypes(params)?.viaField('params'));
  // validateParameterVariables
  errs.push(...duplicates(params.map((p) => p.name)).map((d) => FieldError.of('parameter appears more than once', ['']).viaFieldKey('params', d)));
  errs.push(
    nameFormat(
      params.filter((p) => p.type !== 'object').map((p) => p.name),
      objects,
    ),
  );
  errs.push(
    fields(
      ss,
      (v) => noProhibitedVariables(v, 'params', arrays),
      (v) => variableIsIsolated(v, 'params', arrays),
    ),
  );
  errs.push(validateStepResultsVariables(ss.results ?? [], ss.script));
  errs.push(...(ss.results ?? []).map((r, i) => validateStepResult(r)?.viaIndex(i).viaField('results')));
  errs.push(validateVolumeMounts(ss)?.viaField('volumeMounts'));
  return FieldError.merge(...errs);
}

type Check = (value: string | undefined) => FieldError | undefined;

// validateStepActionVariables and friends: image, script, command[i], args[i], env[name], volumeMounts[i].
function fields(ss: StepActionSpec, check: Check, listCheck: Check = check): FieldError | undefined {
  return FieldError.merge(
    check(ss.image)?.viaField('image'),
    check(ss.script)?.viaField('script'),
    ...(ss.command ?? []).map((c, i) => listCheck(c)?.viaFieldIndex('command', i)),
    ...(ss.args ?? []).map((a, i) => listCheck(a)?.viaFieldIndex('args', i)),
    ...(ss.env ?? []).map((e) => check(e.value)?.viaFieldKey('env', e.name)),
    ...(ss.volumeMounts ?? []).map((vm, i) => check(vm.name)?.viaFieldIndex('volumeMounts', i)),
  );
}

// A StepAction's volumeMount name must be exactly one `$(params.x)` naming a declared param.
function validateVolumeMounts(ss: StepActionSpec): FieldError | undefined {
  const names = new Set((ss.params ?? []).map((p) => p.name));
  const errs: (FieldError | undefined)[] = [];
  for (const [i, vm] of (ss.volumeMounts ?? []).entries()) {
    const whole = /^\$\(params\.[^()]+\)$/.test(vm.name) && (vm.name.match(/\$\(/g) ?? []).length === 1;
    if (!whole) return FieldError.merge(...errs, errInvalidValue(vm.name, 'name', 'expect the Name to be a single param reference').viaIndex(i));
    errs.push(noUnknownVariables(vm.name, 'params', names)?.viaIndex(i));
  }
  return FieldError.merge(...errs);
}

function nameFormat(stringsAndArrays: string[], objects: { name: string; properties?: Record<string, unknown> }[]): FieldError | undefined {
  const errs: FieldError[] = [];
  const bad = [...new Set(stringsAndArrays)].sort().filter((n) => !STRING_ARRAY_NAME.test(n));
  if (bad.length) {
    errs.push(
      FieldError.of(
        `The format of following array and string variable names is invalid: ${goList(bad)}`,
        ['params'],
        'String/Array Names: \nMust only contain alphanumeric characters, hyphens (-), underscores (_), and dots (.)\nMust begin with a letter or an underscore (_)',
      ),
    );
  }
  const badObjects = objects.filter((o) => !OBJECT_NAME.test(o.name) || Object.keys(o.properties ?? {}).some((k) => !OBJECT_NAME.test(k)));
  if (badObjects.length) {
    const text = badObjects
      .map((o) => o.name)
      .sort()
      .map((n) => `${n}:${goList(Object.keys(badObjects.find((o) => o.name === n)!.properties ?? {}).filter((k) => !OBJECT_NAME.test(k)))}`)
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

function duplicates(xs: string[]): string[] {
  const seen = new Set<string>();
  const out = new Set<string>();
  for (const x of xs) (seen.has(x) ? out : seen).add(x);
  return [...out];
}
