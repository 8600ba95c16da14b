// prepare.ts: the checks of a PipelineRun's preparation (pipelinerun.go prepare) once its Pipeline
// and Tasks are found (prepare-resolve.ts): params and workspaces bound correctly, a valid graph.
import type { PipelineRun, PipelineSpec, PipelineTask, TaskSpec } from '../../api/index.ts';
import { PipelineRunReason } from '../../api/index.ts';
import type { Config } from '../../config/index.ts';
import { buildGraph, type Graph } from '../../dag/index.ts';
import { validatePipelineSpec } from '../../validation/index.ts';

/** Prepared is everything the run loop needs, or the failed condition. */
export type Prepared =
  | { ok: true; spec: PipelineSpec; pipelineName: string; graph: Graph; taskSpecs: Map<string, TaskSpec | undefined> }
  | { ok: false; reason: string; message: string };

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
