// step.ts: Step and Sidecar checks of task_validation.go (validateSteps, validateStep,
// validateSidecarNames) and container_validation.go (step `ref`), with Tekton's messages.
import { isDNS1123Label, type Sidecar, type Step, type StepResult } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import { formatGoDuration, parseGoDuration } from '../duration/index.ts';
import { validateArtifactsInStep } from './artifacts.ts';
import { validateEnabledAPIFields } from './feature-gate.ts';
import { FieldError, errInvalidValue, errMissingField, errMultipleOneOf } from '../errors/index.ts';
import { validateResultName } from './results.ts';
import { noUnknownVariables } from './variables.ts';

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** NAMES_URL is where Tekton's name errors send the user. */
export const NAMES_URL = 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names';
// pipeline.ReservedResultsSidecarName: the sidecar that reads results when results-from=sidecar-logs.
const RESERVED_SIDECAR = 'tekton-log-results';

/** validateSteps checks every (merged) step; paths are relative to `steps`. */
export function validateSteps(steps: Step[], config: Config): FieldError | undefined {
  const names = new Set<string>();
  return FieldError.merge(
    ...steps.map((s, i) => {
      let errs = validateStep(s, names, config)?.viaIndex(i);
      if (s.results) {
        errs = FieldError.merge(
          errs,
          validateStepResultsVariables(s.results, s.script)?.viaIndex(i),
          ...s.results.map((r, j) => validateStepResult(r)?.viaIndex(j).viaField('results').viaIndex(i)),
        );
      }
      return errs;
    }),
  )?.viaField('steps');
}

function validateStep(s: Step, names: Set<string>, config: Config): FieldError | undefined {
  const ff = config.featureFlags;
  const artifacts = validateArtifactsInStep(s, config);
  if (artifacts) return artifacts;
  const errs: (FieldError | undefined)[] = [];
  if (s.ref) {
    if (!ff.enableStepActions) return FieldError.of('feature flag enable-step-actions should be set to true to reference StepActions in Steps.', ['']);
    errs.push(validateStepRef(s.ref, config)?.viaField('ref'), ...refConflicts(s));
  } else {
    if (s.params?.length) errs.push(FieldError.of('params cannot be used without Ref', ['params']));
    if (s.results?.length && !ff.enableStepActions) {
      return FieldError.of('feature flag enable-step-actions should be set to true in order to use Results in Steps.', ['']);
    }
    if (s.when?.length && !ff.enableStepActions) {
      return FieldError.of('feature flag enable-step-actions should be set to true in order to use When in Steps.', ['']);
    }
    if (!s.image) errs.push(errMissingField('Image'));
    if (s.script && s.command?.length) errs.push(FieldError.of('script cannot be used with command', ['script']));
  }
  if (s.name) {
    // Every Tekton version reports a repeated step name as ErrInvalidValue(name, "name").
    if (names.has(s.name)) errs.push(errInvalidValue(s.name, 'name'));
    if (!isDNS1123Label(s.name)) {
      errs.push(FieldError.of(`invalid value ${JSON.stringify(s.name)}`, ['name'], `Task step name must be a valid DNS Label, For more info refer to ${NAMES_URL}`));
    }
    names.add(s.name);
  }
  if (s.timeout !== undefined) {
    const d = parseGoDuration(s.timeout);
    if (!d.ok) errs.push(errInvalidValue(s.timeout, 'timeout', d.error));
    // Tekton returns this one alone, dropping the step's other errors, with this odd path.
    else if (d.ms < 0) return errInvalidValue(formatGoDuration(d.ms), 'negative timeout');
  }
  (s.volumeMounts ?? []).forEach((vm, j) => errs.push(validateVolumeMount(vm)?.viaFieldIndex('volumeMounts', j)));
  if (s.onError && !s.onError.startsWith('$(params') && s.onError !== 'continue' && s.onError !== 'stopAndFail') {
    errs.push(FieldError.of(`invalid value: "${s.onError}"`, ['onError'], 'Task step onError must be either "continue" or "stopAndFail"'));
  }
  if (s.script?.trim().startsWith('#!win')) errs.push(validateEnabledAPIFields(config, 'windows script support', 'alpha')?.viaField('script'));
  if (s.stdoutConfig) errs.push(validateEnabledAPIFields(config, 'step stdout stream support', 'alpha')?.viaField('stdoutconfig'));
  if (s.stderrConfig) errs.push(validateEnabledAPIFields(config, 'step stderr stream support', 'alpha')?.viaField('stderrconfig'));
  return FieldError.merge(...errs);
}

function refConflicts(s: Step): FieldError[] {
  const set: [string, boolean][] = [
    ['image', !!s.image],
    ['command', !!s.command?.length],
    ['args', !!s.args?.length],
    ['script', !!s.script],
    ['env', s.env !== undefined],
    ['workingDir', !!s.workingDir],
    ['volumeMounts', !!s.volumeMounts?.length],
    ['results', !!s.results?.length],
  ];
  const label = (f: string) => (f === 'workingDir' ? 'working dir' : f);
  return set.filter(([, on]) => on).map(([f]) => FieldError.of(`${label(f)} cannot be used with Ref`, [f]));
}

/** validateStepRef is Ref.Validate (container_validation.go); paths are relative to the ref. */
export function validateStepRef(ref: NonNullable<Step['ref']>, config: Config): FieldError | undefined {
  const errs: (FieldError | undefined)[] = [];
  if (ref.resolver || ref.params) {
    if (ref.resolver) {
      errs.push(validateEnabledAPIFields(config, 'resolver', 'beta')?.viaField('resolver'));
      if (ref.name) errs.push(errMultipleOneOf('name', 'resolver'));
    }
    if (ref.params) {
      errs.push(validateEnabledAPIFields(config, 'resolver params', 'beta')?.viaField('params'));
      if (ref.name) errs.push(errMultipleOneOf('name', 'params'));
      if (!ref.resolver) errs.push(errMissingField('resolver'));
    }
  } else if (ref.name) {
    if (!QUALIFIED_NAME.test(ref.name) || ref.name.length > 63) {
      errs.push(
        errInvalidValue(
          "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
          'name',
        ),
      );
    }
  } else errs.push(errMissingField('name'));
  return FieldError.merge(...errs);
}

function validateVolumeMount(vm: { name: string; mountPath: string }): FieldError | undefined {
  const errs: (FieldError | undefined)[] = [];
  if (vm.mountPath.startsWith('/tekton/') && !vm.mountPath.startsWith('/tekton/home')) {
    errs.push(FieldError.of(`volumeMount cannot be mounted under /tekton/ (volumeMount ${JSON.stringify(vm.name)} mounted at ${JSON.stringify(vm.mountPath)})`, ['mountPath']));
  }
  if (vm.name.startsWith('tekton-internal-')) {
    errs.push(FieldError.of(`volumeMount name ${JSON.stringify(vm.name)} cannot start with "tekton-internal-"`, ['name']));
  }
  return FieldError.merge(...errs);
}

/** validateStepResultsVariables: `$(step.results.x.path)` in a script names a declared result. */
export function validateStepResultsVariables(results: StepResult[], script: string | undefined): FieldError | undefined {
  const names = new Set(results.map((r) => r.name));
  // Tekton passes "step.results" unescaped, so its `.` matches any character.
  return FieldError.merge(noUnknownVariables(script, 'step.results', names)?.viaField('script'), noUnknownVariables(script, 'results', names)?.viaField('script'));
}

/** validateStepResult checks one step result declaration (name format, object properties). */
export function validateStepResult(r: StepResult): FieldError | undefined {
  const nameErr = validateResultName(r.name);
  if (nameErr) return nameErr;
  if (r.type === 'object' && !r.properties) return errMissingField(`${r.name}.properties`);
  return undefined;
}

/** validateSidecarNames rejects the reserved results sidecar name (validateSidecarNames). */
export function validateSidecarNames(sidecars: Sidecar[]): FieldError | undefined {
  if (!sidecars.length) return undefined;
  return FieldError.merge(
    ...sidecars.filter((sc) => sc.name === RESERVED_SIDECAR).map((sc) => FieldError.of(`Invalid: cannot use reserved sidecar name ${sc.name} `, ['sidecars'])),
  );
}
