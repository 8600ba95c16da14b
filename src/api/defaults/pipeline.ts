// pipeline.ts: Pipeline and PipelineRun defaulting (pipeline_defaults.go, pipelinerun_defaults.go),
// as pure functions returning copies.
import type { PipelineRun, PipelineSpec, PipelineTask, PodTemplate } from '../v1/index.ts';
import type { Config } from '../../config/index.ts';
import { formatGoDuration } from '../../duration/index.ts';
import { setParamSpecDefaults, setTaskSpecDefaults } from './task.ts';
import { mergePodTemplateWithDefault, RESERVED_ANNOTATION } from './taskrun.ts';

/**
 * setPipelineSpecDefaults returns a defaulted copy of a PipelineSpec (PipelineSpec.SetDefaults):
 * param types, and for every task and finally task its taskRef's kind/resolver and inline taskSpec.
 */
export function setPipelineSpecDefaults(spec: PipelineSpec, config?: Config): PipelineSpec {
  // Copied where defaults are set, shared elsewhere (as setTaskSpecDefaults).
  const out = { ...spec };
  if (out.params) out.params = out.params.map(setParamSpecDefaults);
  if (out.tasks) out.tasks = out.tasks.map((t) => setPipelineTaskDefaults(t, config));
  if (out.finally) out.finally = out.finally.map((t) => setPipelineTaskDefaults(t, config));
  return out;
}

/** setPipelineTaskDefaults is PipelineTask.SetDefaults (the ref's resolver, then kind `Task`). */
function setPipelineTaskDefaults(pt: PipelineTask, config?: Config): PipelineTask {
  const out = { ...pt };
  if (out.taskRef) {
    const ref = { ...out.taskRef };
    const resolver = config?.defaults.defaultResolverType ?? '';
    if (!ref.name && !ref.resolver && resolver) ref.resolver = resolver;
    if (!ref.kind && !ref.resolver) ref.kind = 'Task';
    out.taskRef = ref;
  }
  if (out.taskSpec) out.taskSpec = setTaskSpecDefaults(out.taskSpec as never, config) as PipelineTask['taskSpec'];
  return out;
}

/**
 * setPipelineRunDefaults returns a defaulted copy of a PipelineRun, as Tekton's defaulting webhook
 * does at create (PipelineRun.SetDefaults): `spec.timeouts.pipeline` ← default-timeout-minutes (Go
 * text, e.g. `1h0m0s`), the pipelineRef's default resolver, taskRunTemplate's service account and
 * pod template, the inline pipelineSpec's defaults, and reserved annotations dropped.
 */
export function setPipelineRunDefaults(pr: PipelineRun, config: Config): PipelineRun {
  const out = structuredClone(pr);
  const d = config.defaults;
  const spec = out.spec;
  if (spec.pipelineRef && !spec.pipelineRef.name && !spec.pipelineRef.resolver && d.defaultResolverType) spec.pipelineRef.resolver = d.defaultResolverType;
  spec.timeouts = { ...spec.timeouts };
  if (spec.timeouts.pipeline === undefined) spec.timeouts.pipeline = formatGoDuration(d.defaultTimeoutMinutes * 60_000);
  const template = { ...spec.taskRunTemplate };
  if (!template.serviceAccountName && d.defaultServiceAccount) template.serviceAccountName = d.defaultServiceAccount;
  const podTemplate = mergePodTemplateWithDefault(template.podTemplate, d.defaultPodTemplate as PodTemplate | undefined);
  if (podTemplate) template.podTemplate = podTemplate;
  if (Object.keys(template).length) spec.taskRunTemplate = template;
  if (spec.pipelineSpec) spec.pipelineSpec = setPipelineSpecDefaults(spec.pipelineSpec, config);
  if (out.metadata.annotations) {
    out.metadata.annotations = Object.fromEntries(Object.entries(out.metadata.annotations).filter(([k]) => !RESERVED_ANNOTATION.test(k)));
  }
  return out;
}
