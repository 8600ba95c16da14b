// artifacts.ts: the enable-artifacts gate (TEP-0147): artifact references in steps
// (pkg/apis/pipeline/v1/container_validation.go validateArtifactsReferencesInStep) and in
// PipelineTask params (pipeline_validation.go validateArtifactReference) need the flag.
import type { Param, PipelineTask, Step } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import { FieldError } from '../errors/index.ts';

const MESSAGE = 'feature flag enable-artifacts should be set to true to use artifacts feature.';
// internal/artifactref: step and task artifact usage patterns, and the two path variables.
const STEP_ARTIFACT = /\$\(steps\.([^.]+)\.(?:inputs|outputs)\.([^.)]+)\)/;
const TASK_ARTIFACT = /\$\(tasks\.([^.]+)\.(?:inputs|outputs)\.([^.)]+)\)/;

function stepReference(s: string): boolean {
  return STEP_ARTIFACT.test(s) || s.includes('$(step.artifacts.path)');
}

function taskReference(s: string): boolean {
  return TASK_ARTIFACT.test(s) || s.includes('$(artifacts.path)');
}

/** validateArtifactsInStep: script, command, args and env values may not use artifacts without the flag. */
export function validateArtifactsInStep(s: Step, config: Config): FieldError | undefined {
  if (config.featureFlags.enableArtifacts) return undefined;
  const uses = (t: string | undefined) => !!t && t.includes('$(') && (stepReference(t) || taskReference(t));
  let used = uses(s.script);
  for (const t of s.command ?? []) used ||= uses(t);
  for (const t of s.args ?? []) used ||= uses(t);
  for (const e of s.env ?? []) used ||= uses(e.value);
  return used ? FieldError.of(MESSAGE, ['']) : undefined;
}

/** validateArtifactReference: PipelineTask params may not reference task artifacts without the flag (first one only, as Tekton). */
export function validateArtifactReference(tasks: PipelineTask[], fin: PipelineTask[], config: Config): FieldError | undefined {
  if (config.featureFlags.enableArtifacts) return undefined;
  for (const [field, list] of [
    ['tasks', tasks],
    ['finally', fin],
  ] as const) {
    const i = list.findIndex((t) => t.params?.some((p) => paramTexts(p).some((v) => v.includes('$(tasks.') && TASK_ARTIFACT.test(v))));
    if (i >= 0) return FieldError.of(MESSAGE, ['']).viaField('params').viaFieldIndex(field, i);
  }
  return undefined;
}

function paramTexts(p: Param): readonly string[] {
  return typeof p.value === 'string' ? [p.value] : Array.isArray(p.value) ? p.value : Object.values(p.value);
}
