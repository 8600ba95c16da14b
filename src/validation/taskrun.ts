// taskrun.ts: TaskRun validation (taskrun_validation.go, taskref_validation.go,
// workspace_validation.go): ref/spec, inline params, bindings, gates, status, retries, timeout.
import type { Param, ParamSpec, TaskRef, TaskRun, TaskRunSpec, WorkspaceBinding } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import { paramValueType, setTaskSpecDefaults } from '../api/defaults/index.ts';
import { formatGoDuration, parseGoDuration } from '../duration/index.ts';
import { validateEnabledAPIFields } from './feature-gate.ts';
import { FieldError, errDisallowedFields, errInvalidValue, errMissingField, errMissingOneOf, errMultipleOneOf } from '../errors/index.ts';
import { validateObjectMetadata } from './metadata.ts';
import { validateParameterTypes, validateParameterVariables, validateUsageOfDeclaredParameters } from './params.ts';
import { validateTaskSpec } from './task.ts';

/** validateTaskRun validates a TaskRun as Tekton's webhook does, including an inline spec.taskSpec. */
export function validateTaskRun(tr: TaskRun, config: Config): FieldError | undefined {
  return FieldError.merge(validateObjectMetadata(tr.metadata)?.viaField('metadata'), validateTaskRunSpec(tr.spec, config)?.viaField('spec'));
}

/** validateTaskRunSpec is TaskRunSpec.Validate; paths are relative to the spec. */
export function validateTaskRunSpec(ts: TaskRunSpec, config: Config): FieldError | undefined {
  const errs: (FieldError | undefined)[] = [];
  if (!ts.taskRef && !ts.taskSpec) errs.push(errMissingOneOf('taskRef', 'taskSpec'));
  if (ts.taskRef && ts.taskSpec) errs.push(errMultipleOneOf('taskRef', 'taskSpec'));
  if (ts.taskRef) errs.push(validateTaskRef(ts.taskRef, config)?.viaField('taskRef'));
  if (ts.taskSpec) {
    if (config.featureFlags.disableInlineSpec.includes('taskrun')) errs.push(errDisallowedFields('taskSpec'));
    errs.push(validateTaskSpec(ts.taskSpec, config)?.viaField('taskSpec'));
  }
  errs.push(validateParameters(ts.params ?? [])?.viaField('params'), validateInlineParameters(ts, config));
  errs.push(validateWorkspaceBindings(ts.workspaces ?? [], config)?.viaField('workspaces'));
  if (ts.debug) {
    errs.push(validateEnabledAPIFields(config, 'debug', 'alpha')?.viaField('debug'));
    const onFailure = ts.debug.breakpoints?.onFailure;
    if (onFailure && onFailure !== 'enabled') {
      errs.push(
        errInvalidValue(`${onFailure} is not a valid onFailure breakpoint value, onFailure breakpoint is only allowed to be set as enabled`, 'breakpoints.onFailure').viaField(
          'debug',
        ),
      );
    }
  }
  for (const key of ['stepSpecs', 'sidecarSpecs'] as const) {
    if (!ts[key]) continue;
    errs.push(validateEnabledAPIFields(config, key, 'beta')?.viaField(key), validateNamedSpecs(ts[key]!)?.viaField(key));
  }
  if (ts.computeResources) {
    errs.push(validateEnabledAPIFields(config, 'computeResources', 'beta')?.viaField('computeResources'));
    if ((ts.stepSpecs ?? []).some((s) => Object.keys(s.computeResources ?? {}).length)) {
      errs.push(errMultipleOneOf('stepSpecs.resources', 'computeResources'));
    }
  }
  if (ts.status && ts.status !== 'TaskRunCancelled' && ts.status !== 'TaskRunPending') {
    errs.push(errInvalidValue(`${ts.status} should be TaskRunCancelled or TaskRunPending`, 'status'));
  }
  if (!ts.status && ts.statusMessage) {
    errs.push(errInvalidValue(`statusMessage should not be set if status is not set, but it is currently set to ${ts.statusMessage}`, 'statusMessage'));
  }
  if (ts.retries !== undefined && ts.retries < 0) errs.push(errInvalidValue(`${ts.retries} should be >= 0`, 'retries'));
  if (ts.timeout !== undefined) errs.push(validateTimeout(ts.timeout));
  if (ts.podTemplate) errs.push(validatePodTemplateEnv(ts.podTemplate.env ?? [], config));
  return FieldError.merge(...errs);
}

function validateTimeout(text: string): FieldError | undefined {
  const d = parseGoDuration(text);
  if (!d.ok) return errInvalidValue(text, 'timeout', d.error);
  return d.ms < 0 ? errInvalidValue(`${formatGoDuration(d.ms)} should be >= 0`, 'timeout') : undefined;
}

/** validateTaskRef is TaskRef.Validate; paths are relative to the ref. */
export function validateTaskRef(ref: TaskRef, config: Config): FieldError | undefined {
  const errs: (FieldError | undefined)[] = [];
  if (ref.resolver || ref.params) {
    if (ref.params) {
      errs.push(validateEnabledAPIFields(config, 'resolver params', 'beta')?.viaField('params'));
      if (ref.name) errs.push(errMultipleOneOf('name', 'params'));
      if (!ref.resolver) errs.push(errMissingField('resolver'));
      errs.push(validateParameters(ref.params));
    }
    if (ref.resolver) {
      errs.push(validateEnabledAPIFields(config, 'resolver', 'beta')?.viaField('resolver'));
      // A URL-like name is the concise resolver syntax (alpha flag); any other name conflicts.
      if (ref.name && !(config.featureFlags.enableConciseResolverSyntax && ref.name.includes('://'))) {
        errs.push(errMultipleOneOf('name', 'resolver'));
      }
    }
  } else if (!ref.name) errs.push(errMissingField('name'));
  return FieldError.merge(...errs);
}

/** validateParameters rejects repeated run params (case-insensitive): `params[<n>].name`. */
export function validateParameters(params: Param[]): FieldError | undefined {
  return noDuplicateNames(
    params.map((p) => p.name),
    false,
  );
}

function noDuplicateNames(names: string[], byIndex: boolean): FieldError | undefined {
  const seen = new Set<string>();
  return FieldError.merge(
    ...names.map((n, i) => {
      const dup = seen.has(n.toLowerCase());
      seen.add(n.toLowerCase());
      if (!dup) return undefined;
      return byIndex ? errMultipleOneOf('name').viaIndex(i) : errMultipleOneOf('name').viaKey(n);
    }),
  );
}

function validateNamedSpecs(specs: { name: string }[]): FieldError | undefined {
  return FieldError.merge(
    ...specs.map((s, i) => (s.name ? undefined : errMissingField('name').viaIndex(i))),
    noDuplicateNames(
      specs.map((s) => s.name).filter((n) => n),
      true,
    ),
  );
}

/**
 * validateInlineParameters: params used by an inline taskSpec may come from the run (propagation),
 * so the run's params and the spec's are combined before the usage checks. Paths are at spec level.
 */
function validateInlineParameters(ts: TaskRunSpec, config: Config): FieldError | undefined {
  if (!ts.taskSpec) return undefined;
  const spec = setTaskSpecDefaults(ts.taskSpec, config);
  const combined = new Map<string, ParamSpec>();
  for (const p of ts.params ?? []) combined.set(p.name, paramSpecFromParam(p));
  const errs: (FieldError | undefined)[] = [];
  for (const p of spec.params ?? []) {
    const fromRun = combined.get(p.name);
    if (!fromRun) {
      combined.set(p.name, p);
      continue;
    }
    if (p.default !== undefined && paramValueType(p.default) === 'object' && !p.properties) {
      errs.push(errMissingField(`${p.name}.properties`));
      continue;
    }
    if (fromRun.type === 'object') {
      if (!p.properties) {
        errs.push(errMissingField(`${p.name}.properties`));
        continue;
      }
      fromRun.properties = p.properties;
    }
  }
  if (!spec.steps) return FieldError.merge(...errs);
  const params = [...combined.values()];
  return FieldError.merge(...errs, validateParameterTypes(params), validateParameterVariables(spec.steps, params, config), validateUsageOfDeclaredParameters(spec.steps, params));
}

function paramSpecFromParam(p: Param): ParamSpec {
  const spec: ParamSpec = { name: p.name, type: paramValueType(p.value), default: p.value };
  if (spec.type === 'object') {
    spec.properties = Object.fromEntries(Object.keys(p.value).map((k) => [k, { type: 'string' as const }]));
  }
  return spec;
}

/** validateWorkspaceBindings checks each binding and repeated names; paths are relative to `workspaces`. */
export function validateWorkspaceBindings(bindings: WorkspaceBinding[], config: Config): FieldError | undefined {
  return FieldError.merge(
    ...bindings.map((b, i) => validateWorkspaceBinding(b, config)?.viaIndex(i)),
    noDuplicateNames(
      bindings.map((b) => b.name),
      true,
    ),
  );
}

const VOLUME_SOURCE_FIELDS = ['persistentvolumeclaim', 'volumeclaimtemplate', 'emptydir', 'configmap', 'secret'];

/** validateWorkspaceBinding is WorkspaceBinding.Validate: exactly one volume source, with its name. */
export function validateWorkspaceBinding(b: WorkspaceBinding, config: Config): FieldError | undefined {
  const sources = [b.volumeClaimTemplate, b.persistentVolumeClaim, b.emptyDir, b.configMap, b.secret, b.projected, b.csi];
  const n = sources.filter((s) => s !== undefined).length;
  if (n === 0 && !b.name && !b.subPath) return errMissingField('');
  if (n > 1) return errMultipleOneOf(...VOLUME_SOURCE_FIELDS);
  if (n === 0) return errMissingOneOf(...VOLUME_SOURCE_FIELDS);
  if (b.persistentVolumeClaim && !b.persistentVolumeClaim.claimName) return errMissingField('persistentvolumeclaim.claimname');
  if (b.configMap && !b.configMap.name) return errMissingField('configmap.name');
  if (b.secret && !b.secret.secretName) return errMissingField('secret.secretName');
  if (b.projected && !(b.projected.sources as unknown[] | undefined)?.length) return errMissingField('projected.sources');
  if (b.csi) {
    const gate = validateEnabledAPIFields(config, 'csi workspace type', 'beta')?.viaField('workspaces');
    if (gate) return gate;
    if (!b.csi.driver) return errMissingField('csi.driver');
  }
  return undefined;
}

function validatePodTemplateEnv(env: { name: string }[], config: Config): FieldError | undefined {
  const forbidden = config.defaults.defaultForbiddenEnv;
  return FieldError.merge(...env.filter((e) => forbidden.includes(e.name)).map((e) => errInvalidValue(`PodTemplate cannot update a forbidden env: ${e.name}`, 'PodTemplate.Env')));
}
