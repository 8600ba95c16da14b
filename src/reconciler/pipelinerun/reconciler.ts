// reconciler.ts: the PipelineRun reconciler as a Kubernetes-style controller (pipelinerun.go
// ReconcileKind/reconcile): each call reads the PipelineRun and its children through listers
// (the informers' caches, as pipelinerun.go's c.pipelineRunLister and c.taskRunLister; never mutated),
// rebuilds the state of every PipelineTask, decides once (pass.ts), creates or cancels children,
// writes status (when it changed) with a compare-and-swap and returns when the next timeout falls
// due. Nothing that matters lives in memory between calls: skips are kept in status.skippedTasks,
// the Pipeline in status.pipelineSpec, the start of finally in status.finallyStartTime; only the
// graph of status.pipelineSpec is kept per run (reconciler-prepare.ts Graphs), derived from it.
import type { PipelineRun, PipelineRunStatus } from '../../api/index.ts';
import { PipelineRunReason, TektonLabel } from '../../api/index.ts';
import type { Config } from '../../config/index.ts';
import { splitKey, storeLister, type Clock, type Lister, type Reconcile, type ReconcileResult } from '../../controller/index.ts';
import type { Resolver } from '../../resolution/index.ts';
import { jsonEqual, type KObject, type ObjectStore } from '../../store/index.ts';
import { isChildPipeline } from '../../validation/index.ts';
import { isDone, k8sTime, setCondition } from '../taskrun/index.ts';
import { applyPatches, cancellations, createChildren } from './act.ts';
import { lineage, listChildren, resolvedTasks, type RunListers } from './children.ts';
import { PipelineRunSpecStatus, effectiveTimeouts, formatTimeout } from './control.ts';
import { childReferences } from './facts.ts';
import { Graphs, preparedRun, type PreparedRun } from './reconciler-prepare.ts';
import { runPass } from './pass.ts';
import { skippedTasks } from './state.ts';
import { nextTimeout } from './stops.ts';
import { pipelineParamReplacements } from './variables.ts';
import { cancelledVerdict, finalVerdict, regradeGracefulSkips, runningVerdict, type Verdict } from './verdict.ts';
import { workspacesBound } from './workspaces.ts';

export interface PipelineRunReconcilerDeps {
  store: ObjectStore;
  /** pipelineRuns and taskRuns read from the informers' caches; without them, from the store (unit tests). */
  pipelineRuns?: Lister;
  taskRuns?: Lister;
  /** resolver looks up Pipelines and Tasks (localResolver(store)). */
  resolver: Resolver;
  clock: Clock;
  config: Config;
  /** parallel bounds how many child TaskRuns of one PipelineRun run at once (today's engine.parallel); default unbounded. */
  parallel?: number;
  onWarning?(message: string): void;
}

type Stored = PipelineRun & KObject;

/** pipelineRunReconciler returns the Reconcile of the PipelineRun controller. */
export function pipelineRunReconciler(deps: PipelineRunReconcilerDeps): Reconcile {
  const parallel = deps.parallel && deps.parallel > 0 ? deps.parallel : Number.POSITIVE_INFINITY;
  const fresh: RunListers = { taskRuns: storeLister(deps.store, 'TaskRun'), pipelineRuns: storeLister(deps.store, 'PipelineRun') };
  const read: RunListers = { taskRuns: deps.taskRuns ?? fresh.taskRuns, pipelineRuns: deps.pipelineRuns ?? fresh.pipelineRuns };
  const cached = deps.taskRuns !== undefined || deps.pipelineRuns !== undefined;
  const graphs = new Graphs();
  return async (key) => {
    const { namespace, name } = splitKey(key);
    let pr = (await read.pipelineRuns.get(namespace, name)) as Stored | undefined;
    if (!pr || pr.metadata.deletionTimestamp || isDone(pr.status)) {
      graphs.forget(pr?.metadata.uid);
      return undefined;
    }
    const now = deps.clock.now();
    // The webhook's SetDefaults: spec.timeouts.pipeline is default-timeout-minutes when unset.
    if (pr.spec.timeouts?.pipeline === undefined) {
      const pipeline = formatTimeout(deps.config.defaults.defaultTimeoutMinutes * 60_000);
      const r = await deps.store.update<Stored>({ ...pr, spec: { ...pr.spec, timeouts: { ...pr.spec.timeouts, pipeline } } });
      if (!r.ok) return refused(r.reason, r.message);
      pr = r.object;
    }
    const write = async (status: PipelineRunStatus, requeueAfterMs?: number): Promise<ReconcileResult | undefined> => {
      // An unchanged status is not written, as knative's generated reconciler skips it
      // (pkg/client/injection/reconciler/pipeline/v1/pipelinerun/reconciler.go updateStatus:
      // equality.Semantic.DeepEqual); a newer PipelineRun than the one read has its own watch
      // event, so it is reconciled again anyway.
      if (!jsonEqual(status, pr!.status)) {
        const r = await deps.store.updateStatus<Stored>({ ...pr!, status });
        if (!r.ok) return refused(r.reason, r.message);
      }
      return requeueAfterMs === undefined ? undefined : { requeueAfterMs };
    };
    const cond = pr.status?.conditions?.find((c) => c.type === 'Succeeded');
    const wasPending = cond?.reason === PipelineRunReason.Pending;
    // A first reconcile, or a pending run just released, starts now.
    // A shallow copy: only top-level fields are set below, and the rest (status.pipelineSpec above
    // all) stays shared with the cached object, which is never mutated.
    let status: PipelineRunStatus = pr.status?.startTime && !wasPending ? { ...pr.status } : { startTime: k8sTime(now) };
    if (!pr.status?.startTime || wasPending) status = setCondition(status, { status: 'Unknown', reason: PipelineRunReason.Started, message: '' }, now);
    const finish = (v: Verdict, extra: Partial<PipelineRunStatus> = {}) =>
      write({ ...setCondition({ ...status, ...extra }, { status: v.status, reason: v.reason, message: v.message }, now), completionTime: k8sTime(now) });

    if (pr.spec.status === PipelineRunSpecStatus.Pending) {
      if (wasPending) return undefined;
      return write(setCondition(status, { status: 'Unknown', reason: PipelineRunReason.Pending, message: `PipelineRun ${JSON.stringify(name)} is pending` }, now));
    }
    const children = await listChildren(read, pr, cached ? fresh : undefined);
    const started = children.taskRuns.length + children.pipelineRuns.length > 0;
    if (pr.spec.status === PipelineRunSpecStatus.Cancelled && !started) return finish(cancelledVerdict(name));

    const prepared: PreparedRun = await preparedRun(pr, status, { ...deps, graphs });
    if (!prepared.ok) return finish({ status: 'False', reason: prepared.reason, message: prepared.message }, prepared.spec ? { pipelineSpec: prepared.spec } : {});
    const { spec, graph, pipelineName } = prepared;
    status.pipelineSpec = spec;
    // The run as this reconcile sees it: a run released from pending starts afresh.
    const current: Stored = { ...pr, status };
    const all = resolvedTasks(spec, current, children, workspacesBound(spec, pr));
    const vars = pipelineParamReplacements(spec.params, pr.spec.params ?? [], {
      prName: name,
      namespace,
      uid: pr.metadata.uid!,
      pipelineName,
    });
    const timeouts = effectiveTimeouts(pr.spec.timeouts ?? {});
    const hasChildPipelines = [...(spec.tasks ?? []), ...(spec.finally ?? [])].some(isChildPipeline);
    const chain = hasChildPipelines ? await lineage(read.pipelineRuns, pr, pipelineName) : [pr.metadata.labels?.[TektonLabel.Pipeline] ?? pipelineName];
    const pass = runPass({ pr: current, spec, pipelineName, graph, all, vars, config: deps.config, parallel, now, timeouts, lineage: chain });

    for (const act of [() => createChildren(deps.store, pass.create), () => applyPatches(deps.store, cancellations(all, pass.stops))]) {
      const r = await act();
      if (!r.ok) {
        deps.onWarning?.(`PipelineRun ${key}: ${r.message}`);
        return { retry: r.conflict ? 'conflict' : r.message };
      }
    }
    if (pass.startFinally) status.finallyStartTime = k8sTime(now);
    if (pass.over) regradeGracefulSkips(all);
    status.childReferences = childReferences(all);
    status.skippedTasks = skippedTasks(all);
    if (pass.over) {
      const v = finalVerdict(name, spec, all, pass, timeouts, vars);
      return finish(v, v.results ? { results: v.results } : {});
    }
    const v = runningVerdict(all, pass);
    return write(setCondition(status, { status: v.status, reason: v.reason, message: v.message }, now), nextTimeout(current, timeouts, pass.stops, now.getTime()));
  };
}

/** refused turns a store refusal into the controller's answer: a conflict is retried, a deleted run is over. */
function refused(reason: string, message: string): ReconcileResult | undefined {
  if (reason === 'NotFound') return undefined;
  return { retry: reason === 'Conflict' ? 'conflict' : message };
}
