// prepare.ts: what a PipelineRun needs before any TaskRun starts (pipelinerun.go prepare):
// the Pipeline, every Task it names, params and workspaces bound correctly, a valid graph.
import type { Pipeline, PipelineRun, PipelineSpec, PipelineTask, Task, TaskSpec } from '../../api/index.ts';
import { PipelineRunReason } from '../../api/index.ts';
import { setTaskSpecDefaults } from '../../api/defaults/index.ts';
import type { Config } from '../../config/index.ts';
import { buildGraph, type Graph } from '../../dag/index.ts';
import type { Store } from '../../store/index.ts';
import { isChildPipeline, validatePipelineSpec } from '../../validation/index.ts';

/** Prepared is everything the run loop needs, or the failed condition. */
export type Prepared =
  | { ok: true; spec: PipelineSpec; pipelineName: string; graph: Graph; taskSpecs: Map<string, TaskSpec | undefined> }
  | { ok: false; reason: string; message: string };

/** preparePipelineRun resolves and checks; messages follow Tekton's `[User error] ...` texts. */
export function preparePipelineRun(pr: PipelineRun, store: Store, config: Config): Prepared {
  const ns = pr.metadata.namespace!;
  const id = `${ns}/${pr.metadata.name}`;
  let spec = pr.spec.pipelineSpec;
  let pipelineName = pr.metadata.name!;
  if (!spec) {
    const name = pr.spec.pipelineRef?.name ?? '';
    if (pr.spec.pipelineRef?.resolver) {
      return {
        ok: false,
        reason: PipelineRunReason.CouldntGetPipeline,
        message: `[User error] Error retrieving pipeline for pipelinerun ${id}: resolver "${pr.spec.pipelineRef.resolver}" is not available yet in Tektite`,
      };
    }
    const p = store.get<Pipeline & { metadata: { name: string } }>('Pipeline', ns, name);
    if (!p)
      return {
        ok: false,
        reason: PipelineRunReason.CouldntGetPipeline,
        message: `[User error] Error retrieving pipeline for pipelinerun ${id}: pipelines.tekton.dev ${JSON.stringify(name)} not found`,
      };
    spec = p.spec;
    pipelineName = name;
  }
  const bad = checkPipelineSpec(pr, spec, pipelineName, config);
  if (bad) return bad;
  const taskSpecs = new Map<string, TaskSpec | undefined>();
  for (const pt of [...(spec.tasks ?? []), ...(spec.finally ?? [])]) {
    if (isChildPipeline(pt)) {
      const missingChild = missingChildPipeline(pt, ns, store);
      if (missingChild) return childPipelineMissing(ns, pipelineName, missingChild);
      taskSpecs.set(pt.name, undefined);
      continue;
    }
    const resolved = resolveTaskSpec(pt, ns, store);
    if (resolved === null) return taskMissing(ns, pipelineName, pt);
    taskSpecs.set(pt.name, resolved);
  }
  return finishPrepare(pr, spec, pipelineName, taskSpecs);
}

/** PrepareFailure is a failed condition of preparation. */
export type PrepareFailure = Extract<Prepared, { ok: false }>;

/** checkPipelineSpec checks the found Pipeline against the run: valid spec, params, workspaces. */
export function checkPipelineSpec(pr: PipelineRun, spec: PipelineSpec, pipelineName: string, config: Config): PrepareFailure | undefined {
  const ns = pr.metadata.namespace!;
  const id = `${ns}/${pr.metadata.name}`;
  const invalid = validatePipelineSpec(spec, config);
  if (invalid) {
    return {
      ok: false,
      reason: PipelineRunReason.ValidationFailed,
      message: `[User error] Pipeline ${ns}/${pipelineName} can't be Run; it has an invalid spec: ${invalid.viaField('spec').toString()}`,
    };
  }
  const missing = (spec.params ?? []).filter((p) => p.default === undefined && !(pr.spec.params ?? []).some((x) => x.name === p.name)).map((p) => p.name);
  if (missing.length) {
    return {
      ok: false,
      reason: PipelineRunReason.ParameterMissing,
      message: `[User error] PipelineRun ${id} is missing some parameters required by Pipeline ${ns}/${pipelineName}: pipelineRun missing parameters: [${missing.join(' ')}]`,
    };
  }
  const mismatched = (pr.spec.params ?? [])
    .filter((p) => {
      const decl = spec!.params?.find((d) => d.name === p.name);
      return decl && typeOf(p.value) !== (decl.type ?? (decl.properties ? 'object' : decl.default !== undefined ? typeOf(decl.default) : 'string'));
    })
    .map((p) => p.name);
  if (mismatched.length) {
    return {
      ok: false,
      reason: PipelineRunReason.ParameterTypeMismatch,
      message: `[User error] PipelineRun ${id} parameters have mismatching types with Pipeline ${ns}/${pipelineName}'s parameters: parameters have inconsistent types : [${mismatched.join(' ')}]`,
    };
  }
  for (const w of spec.workspaces ?? []) {
    if (!w.optional && !(pr.spec.workspaces ?? []).some((b) => b.name === w.name)) {
      return {
        ok: false,
        reason: PipelineRunReason.InvalidWorkspaceBindings,
        message: `[User error] PipelineRun ${id} doesn't bind Pipeline ${ns}/${pipelineName}'s Workspaces correctly: pipeline requires workspace with name ${JSON.stringify(w.name)} be provided by pipelinerun`,
      };
    }
  }
  return undefined;
}

/** childPipelineMissing is the failure for a pipelineRef task whose Pipeline cannot be found. */
export function childPipelineMissing(ns: string, pipelineName: string, detail: string): PrepareFailure {
  return {
    ok: false,
    reason: PipelineRunReason.CouldntGetPipeline,
    message: `[User error] Pipeline ${ns}/${pipelineName} can't be Run; it contains child Pipelines that don't exist: ${detail}`,
  };
}

/** taskMissing is the failure for a taskRef to a Task that does not exist. */
export function taskMissing(ns: string, pipelineName: string, pt: PipelineTask): PrepareFailure {
  const name = JSON.stringify(pt.taskRef?.name ?? '');
  return {
    ok: false,
    reason: PipelineRunReason.CouldntGetTask,
    message: `[User error] Pipeline ${ns}/${pipelineName} can't be Run; it contains Tasks that don't exist: Couldn't retrieve Task ${name}: tasks.tekton.dev ${name} not found`,
  };
}

/** finishPrepare checks result references against the resolved Tasks and builds the graph. */
export function finishPrepare(pr: PipelineRun, spec: PipelineSpec, pipelineName: string, taskSpecs: Map<string, TaskSpec | undefined>): Prepared {
  const id = `${pr.metadata.namespace}/${pr.metadata.name}`;
  const badRef = undeclaredResultReference(spec, taskSpecs);
  if (badRef) return { ok: false, reason: PipelineRunReason.InvalidTaskResultReference, message: `[User error] ${badRef}` };
  const graph = buildGraph(spec.tasks ?? []);
  if ('error' in graph) return { ok: false, reason: PipelineRunReason.InvalidGraph, message: `[User error] PipelineRun ${id}'s Pipeline DAG is invalid: ${graph.error}` };
  return { ok: true, spec, pipelineName, graph: graph.graph, taskSpecs };
}

/** resolveTaskSpec: inline spec, a Task from the store, or null when it does not exist. Remote refs resolve to undefined (unknown results). */
function resolveTaskSpec(pt: PipelineTask, ns: string, store: Store): TaskSpec | undefined | null {
  if (pt.taskSpec) return setTaskSpecDefaults(pt.taskSpec) as TaskSpec;
  if (pt.taskRef?.resolver) return undefined;
  if (pt.taskRef?.name?.includes('$(')) return undefined;
  const t = store.get<Task & { metadata: { name: string } }>('Task', ns, pt.taskRef?.name ?? '');
  return t ? (setTaskSpecDefaults(t.spec) as TaskSpec) : null;
}

/** missingChildPipeline is setChildPipelineRunsAndResolvedPipeline's PipelineNotFoundError text for a pipelineRef to nothing. */
function missingChildPipeline(pt: PipelineTask, ns: string, store: Store): string | undefined {
  const ref = pt.pipelineRef;
  if (!ref) return undefined;
  if (ref.resolver) return `Couldn't retrieve Pipeline ${JSON.stringify(ref.resolver)}: resolver ${JSON.stringify(ref.resolver)} is not available yet in Tektite`;
  const name = ref.name ?? '';
  if (store.get('Pipeline', ns, name)) return undefined;
  return `Couldn't retrieve Pipeline ${JSON.stringify(name)}: pipelines.tekton.dev ${JSON.stringify(name)} not found`;
}

/** undeclaredResultReference is ValidatePipelineTaskResults: a referenced result the Task does not declare. */
function undeclaredResultReference(spec: PipelineSpec, taskSpecs: Map<string, TaskSpec | undefined>): string | undefined {
  const text = JSON.stringify([spec.tasks, spec.finally, spec.results]);
  for (const m of text.matchAll(/\$\((?:tasks|finally)\.([^.()]+)\.results\.([^.()[\]]+)/g)) {
    const [, task, result] = m;
    const ts = taskSpecs.get(task);
    if (ts && !(ts.results ?? []).some((r) => r.name === result)) {
      return `invalid result reference in pipeline task ${JSON.stringify(task)}: result ${JSON.stringify(result)} is not declared by the task`;
    }
  }
  return undefined;
}

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : 'string';
}
