// prepare-resolve.ts: preparePipelineRun over the async Resolver (pipelinerun.go prepare with
// resources.GetPipelineFunc / GetTaskFunc): the Pipeline and every Task it names are looked up
// through src/resolution; the checks and messages are prepare.ts's.
import type { PipelineRun, PipelineSpec, PipelineTask, TaskSpec } from '../../api/index.ts';
import { PipelineRunReason } from '../../api/index.ts';
import { setTaskSpecDefaults } from '../../api/defaults/index.ts';
import type { Config } from '../../config/index.ts';
import type { Resolver } from '../../resolution/index.ts';
import { isChildPipeline } from '../../validation/index.ts';
import { checkPipelineSpec, childPipelineMissing, finishPrepare, taskMissing, type Prepared } from './prepare.ts';

/** resolvePipelineRun is preparePipelineRun with lookups through a Resolver. */
export async function resolvePipelineRun(pr: PipelineRun, resolver: Resolver, config: Config): Promise<Prepared> {
  const ns = pr.metadata.namespace!;
  const id = `${ns}/${pr.metadata.name}`;
  let spec: PipelineSpec | undefined = pr.spec.pipelineSpec;
  let pipelineName = pr.metadata.name!;
  if (!spec) {
    const ref = pr.spec.pipelineRef ?? {};
    const name = ref.name ?? '';
    const found = ref.resolver ? undefined : await resolver.pipeline(ref, ns);
    if (!found?.ok) {
      // A `resolver:` ref keeps today's text until remote resolution exists (prepare.ts).
      const detail = ref.resolver ? `resolver "${ref.resolver}" is not available yet in Tektite` : found!.message;
      return { ok: false, reason: PipelineRunReason.CouldntGetPipeline, message: `[User error] Error retrieving pipeline for pipelinerun ${id}: ${detail}` };
    }
    spec = found.object.spec as PipelineSpec;
    pipelineName = name;
  }
  const bad = checkPipelineSpec(pr, spec, pipelineName, config);
  if (bad) return bad;
  const taskSpecs = new Map<string, TaskSpec | undefined>();
  for (const pt of [...(spec.tasks ?? []), ...(spec.finally ?? [])]) {
    if (isChildPipeline(pt)) {
      const missing = await missingChildPipeline(pt, ns, resolver);
      if (missing) return childPipelineMissing(ns, pipelineName, missing);
      taskSpecs.set(pt.name, undefined);
      continue;
    }
    const resolved = await resolveTaskSpec(pt, ns, resolver);
    if (resolved === null) return taskMissing(ns, pipelineName, pt);
    taskSpecs.set(pt.name, resolved);
  }
  return finishPrepare(pr, spec, pipelineName, taskSpecs);
}

/** resolveTaskSpec: inline spec, a found Task, or null when none has that name; remote or parameterised refs are unknown (undefined). */
async function resolveTaskSpec(pt: PipelineTask, ns: string, resolver: Resolver): Promise<TaskSpec | undefined | null> {
  if (pt.taskSpec) return setTaskSpecDefaults(pt.taskSpec) as TaskSpec;
  if (pt.taskRef?.resolver) return undefined;
  if (pt.taskRef?.name?.includes('$(')) return undefined;
  const found = await resolver.task(pt.taskRef ?? {}, ns);
  if (found.ok) return setTaskSpecDefaults(found.object.spec) as TaskSpec;
  return found.notFound ? null : undefined;
}

/** missingChildPipeline is the PipelineNotFoundError text for a pipelineRef to nothing. */
async function missingChildPipeline(pt: PipelineTask, ns: string, resolver: Resolver): Promise<string | undefined> {
  const ref = pt.pipelineRef;
  if (!ref) return undefined;
  if (ref.resolver) return `Couldn't retrieve Pipeline ${JSON.stringify(ref.resolver)}: resolver ${JSON.stringify(ref.resolver)} is not available yet in Tektite`;
  const name = ref.name ?? '';
  const found = await resolver.pipeline(ref, ns);
  if (found.ok) return undefined;
  return `Couldn't retrieve Pipeline ${JSON.stringify(name)}: pipelines.tekton.dev ${JSON.stringify(name)} not found`;
}
