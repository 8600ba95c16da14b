// reconciler-prepare.ts: the Pipeline a reconcile works from. The first reconcile resolves and
// checks it (prepare-resolve.ts) and evaluates every CEL when expression (pipelinerun.go: before
// anything runs); later ones take status.pipelineSpec, as Tekton's GetPipelineFunc does once a
// run has started, so an edited or deleted Pipeline does not change a running PipelineRun.
import type { PipelineRun, PipelineRunStatus, PipelineSpec } from '../../api/index.ts';
import { PipelineRunReason } from '../../api/index.ts';
import type { Config } from '../../config/index.ts';
import { buildGraph, type Graph } from '../../dag/index.ts';
import type { Resolver } from '../../resolution/index.ts';
import { celFailedMessage, celFailure, loadCel, usesCel } from './cel.ts';
import { resolvePipelineRun } from './prepare-resolve.ts';
import { applyToPipelineTask, mergeReplacements, pipelineParamReplacements, pipelineTaskContext } from './variables.ts';
import { workspacesBound } from './workspaces.ts';

/** PreparedRun is the Pipeline and its graph, or the failed condition. */
export type PreparedRun = { ok: true; spec: PipelineSpec; pipelineName: string; graph: Graph } | { ok: false; reason: string; message: string; spec?: PipelineSpec };

/**
 * Graphs keeps the graph of each running PipelineRun's status.pipelineSpec by uid: Tekton stores
 * that spec once and never changes it (pipelinerun.go storePipelineSpecAndMergeMeta: only when
 * status.pipelineSpec is nil), so the graph a reconcile would rebuild from it is the same. Derived
 * state only: a process without it builds the graph again.
 */
export class Graphs {
  private readonly byUid = new Map<string, ReturnType<typeof buildGraph>>();
  constructor(private readonly max = 256) {}

  async of(uid: string | undefined, spec: PipelineSpec): Promise<ReturnType<typeof buildGraph>> {
    const known = uid === undefined ? undefined : this.byUid.get(uid);
    if (known) return known;
    // Scheduling evaluates the CEL when expressions of this spec (when.ts); once loaded, CEL stays loaded.
    if (usesCel([...(spec.tasks ?? []), ...(spec.finally ?? [])])) await loadCel();
    const graph = buildGraph(spec.tasks ?? []);
    if (uid === undefined) return graph;
    if (this.byUid.size >= this.max) this.byUid.delete(this.byUid.keys().next().value!);
    this.byUid.set(uid, graph);
    return graph;
  }

  /** forget drops a run's graph (the run is over or gone). */
  forget(uid: string | undefined): void {
    if (uid !== undefined) this.byUid.delete(uid);
  }
}

/** preparedRun: status.pipelineSpec when the run has one, else resolve, check and evaluate CEL. */
export async function preparedRun(pr: PipelineRun, status: PipelineRunStatus, deps: { resolver: Resolver; config: Config; graphs: Graphs }): Promise<PreparedRun> {
  if (status.pipelineSpec) {
    const spec = status.pipelineSpec;
    const graph = await deps.graphs.of(pr.metadata.uid, spec);
    const pipelineName = pr.spec.pipelineSpec ? pr.metadata.name! : (pr.spec.pipelineRef?.name ?? pr.metadata.name!);
    if ('error' in graph) return { ok: false, reason: PipelineRunReason.InvalidGraph, message: graph.error };
    return { ok: true, spec, pipelineName, graph: graph.graph };
  }
  const p = await resolvePipelineRun(pr, deps.resolver, deps.config);
  if (!p.ok) return p;
  const vars = pipelineParamReplacements(p.spec.params, pr.spec.params ?? [], {
    prName: pr.metadata.name!,
    namespace: pr.metadata.namespace!,
    uid: pr.metadata.uid!,
    pipelineName: p.pipelineName,
  });
  const tasks = [...(p.spec.tasks ?? []), ...(p.spec.finally ?? [])].map(workspacesBound(p.spec, pr));
  if (usesCel(tasks)) await loadCel();
  const cel = celFailure(tasks.map((t) => applyToPipelineTask(t, mergeReplacements(vars, pipelineTaskContext(t)))));
  if (cel !== undefined) return { ok: false, reason: PipelineRunReason.CELEvaluationFailed, message: celFailedMessage(pr.metadata.name!, cel), spec: p.spec };
  return { ok: true, spec: p.spec, pipelineName: p.pipelineName, graph: p.graph };
}
