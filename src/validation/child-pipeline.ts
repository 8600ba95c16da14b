// child-pipeline.ts: Pipelines in Pipelines (TEP-0056, alpha) in Pipeline validation
// (pipeline_validation.go validateRefOrSpec, validateEnabledInlineSpec, validateTask and
// validatePipelineRefResultReferencesDisallowed): which of taskRef/taskSpec/pipelineRef/pipelineSpec
// a PipelineTask sets, the alpha gate, the embedded child spec, and result references to a child.
import type { PipelineSpec, PipelineTask, TaskRef } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import { findVariables, parseReference } from '../substitution/index.ts';
import { validateEnabledAPIFields } from './feature-gate.ts';
import { FieldError, errDisallowedFields, errInvalidValue, errMissingOneOf } from '../errors/index.ts';
import { validateTaskRef } from './taskrun.ts';

/** isChildPipeline: the PipelineTask runs a child PipelineRun (IsChildPipeline). */
export function isChildPipeline(pt: PipelineTask): boolean {
  return pt.pipelineRef !== undefined || pt.pipelineSpec !== undefined;
}

/**
 * validateRefOrSpec: exactly one of the four; pipelineRef/pipelineSpec need enable-api-fields
 * "alpha"; with none set, the message names the four fields only when alpha is on.
 */
export function validateRefOrSpec(pt: PipelineTask, config: Config): FieldError | undefined {
  const set: string[] = [];
  let errs: FieldError | undefined;
  if (pt.taskRef) set.push('taskRef');
  if (pt.taskSpec) set.push('taskSpec');
  if (pt.pipelineRef) {
    errs = FieldError.merge(errs, validateEnabledAPIFields(config, 'pipelineRef', 'alpha'));
    set.push('pipelineRef');
  }
  if (pt.pipelineSpec) {
    errs = FieldError.merge(errs, validateEnabledAPIFields(config, 'pipelineSpec', 'alpha'));
    set.push('pipelineSpec');
  }
  if (set.length > 1) errs = FieldError.merge(errs, FieldError.of('expected exactly one, got multiple', set));
  else if (!set.length) {
    errs = FieldError.merge(
      errs,
      config.featureFlags.enableApiFields === 'alpha' ? errMissingOneOf('taskRef', 'taskSpec', 'pipelineRef', 'pipelineSpec') : errMissingOneOf('taskRef', 'taskSpec'),
    );
  }
  return errs;
}

/**
 * validateChildPipeline checks what a child pipeline task embeds or names: the inline spec (fully,
 * as a PipelineSpec), the ref (validateRef), and disable-inline-spec "pipeline".
 */
export function validateChildPipeline(pt: PipelineTask, config: Config, validateSpec: (s: PipelineSpec, c: Config) => FieldError | undefined): FieldError | undefined {
  let errs: FieldError | undefined;
  if (pt.pipelineSpec && config.featureFlags.disableInlineSpec.includes('pipeline')) errs = errDisallowedFields('pipelineSpec');
  if (pt.pipelineRef) errs = FieldError.merge(errs, validateTaskRef(pt.pipelineRef as TaskRef, config)?.viaField('pipelineRef'));
  if (pt.pipelineSpec) errs = FieldError.merge(errs, validateSpec(pt.pipelineSpec, config)?.viaField('pipelineSpec'));
  return errs;
}

/**
 * validateChildResultReferences: results of a child Pipeline are not propagated at Tekton's
 * commit, so the webhook refuses `$(tasks.<child>.results.<r>)` in tasks and finally
 * (docs/pipelines-in-pipelines.md#results-from-child-pipelines-are-not-propagated).
 */
export function validateChildResultReferences(spec: PipelineSpec): FieldError | undefined {
  const children = new Set((spec.tasks ?? []).filter(isChildPipeline).map((t) => t.name));
  if (!children.size) return undefined;
  let errs: FieldError | undefined;
  const check = (pts: PipelineTask[], field: string) =>
    pts.forEach((pt, i) => {
      for (const name of resultRefTasks(pt)) {
        if (!children.has(name)) continue;
        errs = FieldError.merge(
          errs,
          errInvalidValue(
            `result reference to pipelineTask ${JSON.stringify(name)} is not supported: referenced task uses pipelineRef or pipelineSpec and result propagation from child Pipelines is not yet implemented`,
            '',
          ).viaFieldIndex(field, i),
        );
      }
    });
  check(spec.tasks ?? [], 'tasks');
  check(spec.finally ?? [], 'finally');
  return errs;
}

/** resultRefTasks lists the tasks of every `$(tasks.<t>.results.<r>)` in a PipelineTask (PipelineTaskResultRefs). */
function resultRefTasks(pt: PipelineTask): string[] {
  const { pipelineSpec: _nested, ...own } = pt; // a child's own graph refers to its own tasks
  const out: string[] = [];
  for (const v of findVariables(JSON.stringify(own))) {
    const ref = parseReference(v.expression);
    if (ref?.prefix === 'tasks' && ref.rest[0] === 'results' && ref.rest.length > 1) out.push(ref.name);
  }
  return out;
}
