// reconcile.ts: the PipelineRun state machine: prepare, schedule the DAG (every ready task at
// once, bounded), skip by Tekton's rules, run finally tasks, and compute the final status.
// Cancel requests (spec.status, also written later by `tektite cancel`) and timeouts go
// through a RunControl (control.ts).
import type { PipelineRun, PipelineTask } from '../../api/index.ts';
import { PipelineRunReason, TektonLabel } from '../../api/index.ts';
import { Scheduler } from '../../dag/index.ts';
import { isChildPipeline } from '../../validation/index.ts';
import { watchSpecStatus, runTaskRunWatched, type SpecStatusWatch } from '../watch.ts';
import { celFailedMessage, celFailure } from './cel.ts';
import { makeChildTaskRun } from './child.ts';
import { followParent, makeChildPipelineRuns, pipelineRefCycle } from './child-pipeline.ts';
import { PipelineRunSpecStatus, RunControl, effectiveTimeouts, formatTimeout } from './control.ts';
import { childReferences, finallyStatusReplacements, ignoreFailure, missingResult, recordResults, setCond } from './facts.ts';
import { hasEmptyMatrixParam, matrixCombinations } from './matrix.ts';
import { preparePipelineRun } from './prepare.ts';
import { pipelineResults } from './results.ts';
import { SkippingReason, countTasks, finalMessage, finalReason, isFailed, runningMessage, skippedTasks, type ResolvedPipelineTask } from './state.ts';
import { applyToPipelineTask, emptyReplacements, mergeReplacements, pipelineParamReplacements, pipelineTaskContext, type Replacements } from './variables.ts';
import { evaluateWhen } from './when.ts';
import { applyWorkspacesBound, propagateWorkspaces } from './workspaces.ts';
import { k8sTime, type TaskRunEngine } from '../taskrun/index.ts';

/** PipelineRunEngine is a TaskRunEngine plus how many TaskRuns may run at once. */
export interface PipelineRunEngine extends TaskRunEngine {
  parallel: number;
}

type Skip = ResolvedPipelineTask['skip'];

/**
 * runPipelineRun drives one PipelineRun to completion and returns it with its final status.
 * `owners` are the `tekton.dev/pipeline` labels of the PipelineRuns that own it, nearest first
 * (for a child PipelineRun of a pipelineRef/pipelineSpec task, which this runs recursively).
 */
export async function runPipelineRun(input: PipelineRun, engine: PipelineRunEngine, signal: AbortSignal, owners: readonly string[] = []): Promise<PipelineRun> {
  const pr = structuredClone(input) as PipelineRun;
  const now = () => engine.now();
  const name = pr.metadata.name!;
  pr.metadata.namespace ??= 'default';
  pr.metadata.uid ??= engine.newUID();
  pr.metadata.creationTimestamp ??= k8sTime(now());
  pr.spec.timeouts = { ...pr.spec.timeouts, pipeline: pr.spec.timeouts?.pipeline ?? formatTimeout(engine.config.defaults.defaultTimeoutMinutes * 60_000) };
  pr.status = { startTime: k8sTime(now()) };
  setCond(pr, 'Unknown', PipelineRunReason.Started, '', now());
  let watch: SpecStatusWatch | undefined;
  // A request written by another process since our last write is read before we overwrite it.
  // Intermediate saves are atomic but not fsynced; the final one (completionTime set) is.
  const save = () => {
    watch?.check();
    engine.store.put(pr as never, { sync: pr.status?.completionTime !== undefined });
    engine.emit({ type: 'pipelinerun', pipelineRun: pr });
  };
  save();
  const ctl = new RunControl();
  const finish = (status: 'True' | 'False', reason: string, message: string) => {
    watch?.stop();
    watch = undefined;
    ctl.stopTimers();
    signal.removeEventListener('abort', onInterrupt);
    setCond(pr, status, reason, message, now());
    pr.status!.completionTime = k8sTime(now());
    save();
    return pr;
  };
  const onInterrupt = () => ctl.cancel();
  if (pr.spec.status === PipelineRunSpecStatus.Pending) {
    setCond(pr, 'Unknown', PipelineRunReason.Pending, `PipelineRun ${JSON.stringify(name)} is pending`, now());
    save();
    return pr;
  }
  const cancelled = () => finish('False', PipelineRunReason.Cancelled, `PipelineRun ${JSON.stringify(name)} was cancelled`);
  if (pr.spec.status === PipelineRunSpecStatus.Cancelled) return cancelled();

  const prepared = preparePipelineRun(pr, engine.store, engine.config);
  if (!prepared.ok) return finish('False', prepared.reason, prepared.message);
  const { spec, graph } = prepared;
  pr.status.pipelineSpec = spec;
  const bound = (task: PipelineTask) => applyWorkspacesBound(task, spec, pr);
  const dag: ResolvedPipelineTask[] = (spec.tasks ?? []).map((task) => ({ task: bound(task), isFinally: false, taskRuns: [], running: false, done: false }));
  const fin: ResolvedPipelineTask[] = (spec.finally ?? []).map((task) => ({ task: bound(task), isFinally: true, taskRuns: [], running: false, done: false }));
  const all = [...dag, ...fin];
  const byName = new Map(all.map((t) => [t.task.name, t]));
  const vars = pipelineParamReplacements(spec.params, pr.spec.params ?? [], {
    prName: name,
    namespace: pr.metadata.namespace,
    uid: pr.metadata.uid,
    pipelineName: prepared.pipelineName,
  });
  // Tekton evaluates every CEL after parameter substitution before anything runs (pipelinerun.go).
  const celAtStart = celFailure(all.map((t) => applyToPipelineTask(t.task, mergeReplacements(vars, pipelineTaskContext(t.task)))));
  if (celAtStart !== undefined) return finish('False', PipelineRunReason.CELEvaluationFailed, celFailedMessage(name, celAtStart));

  let celError: string | undefined;
  let createRunFailed: string | undefined;
  let stopping = false;
  const lineage = [pr.metadata.labels?.[TektonLabel.Pipeline] ?? prepared.pipelineName, ...owners];
  const validationFailures: string[] = [];
  const halted = () => ctl.ended === 'cancel' || celError !== undefined || createRunFailed !== undefined;
  const refresh = () => {
    setCond(pr, 'Unknown', runningReason(), runningMessage(countTasks(all)), now());
    pr.status!.childReferences = childReferences(all);
    pr.status!.skippedTasks = skippedTasks(all);
    save();
  };
  ctl.applySpecStatus(pr.spec.status);
  watch = watchSpecStatus(engine.store, pr as never, pr.spec.status, (s) => {
    pr.spec.status = s.status;
    ctl.applySpecStatus(s.status);
    refresh(); // the request shows at once (e.g. StoppedRunningFinally)
  });
  signal.addEventListener('abort', onInterrupt, { once: true });
  if (signal.aborted) onInterrupt();
  const timeouts = effectiveTimeouts(pr.spec.timeouts);
  ctl.startTimers(timeouts, () => dag.every((t) => t.done));

  const runOne = async (rpt: ResolvedPipelineTask, extra: Replacements, group: AbortSignal): Promise<void> => {
    const pt = propagateWorkspaces(applyToPipelineTask(rpt.task, mergeReplacements(vars, mergeReplacements(pipelineTaskContext(rpt.task), extra))));
    const combos = pt.matrix ? matrixCombinations(pt.matrix) : undefined;
    if (isChildPipeline(pt)) return runChildPipelines(rpt, pt, combos?.length);
    const trs = (combos ?? [undefined]).map((params, index) =>
      makeChildTaskRun({
        pr,
        pipelineName: prepared.pipelineName,
        pt,
        isFinally: rpt.isFinally,
        config: engine.config,
        matrix: params && combos ? { index, count: combos.length, params } : undefined,
      }),
    );
    rpt.running = true;
    const finals = await Promise.all(trs.map((tr) => runTaskRunWatched(tr, { ...engine, pipelineTask: pt.name }, group)));
    rpt.taskRuns = finals.map((tr) => ignoreFailure(tr, pt, engine));
    rpt.running = false;
    rpt.done = true;
    recordResults(vars, rpt);
  };

  // The DAG: start every ready task at once (bounded by engine.parallel), skip by Tekton's rules.
  const scheduler = new Scheduler(graph);
  const queue: string[] = [];
  const running = new Set<Promise<void>>();
  for (;;) {
    queue.push(...scheduler.takeReady());
    while (queue.length && (running.size < engine.parallel || halted())) {
      const rpt = byName.get(queue.shift()!)!;
      // A cancelled or CEL-failed PipelineRun is over at once: Tekton records no further skips.
      const skip = halted() ? undefined : dagSkip(rpt);
      if (skip || rpt.validationFailed || halted()) {
        rpt.skip = skip;
        rpt.done = skip !== undefined || !!rpt.validationFailed;
        scheduler.markDone(rpt.task.name);
        queue.push(...scheduler.takeReady());
        continue;
      }
      const p: Promise<void> = runOne(rpt, emptyReplacements(), ctl.dag.signal).then(() => {
        if (isFailed(rpt)) stopping = true;
        scheduler.markDone(rpt.task.name);
        running.delete(p);
        refresh();
      });
      running.add(p);
    }
    if (!running.size && !queue.length) break;
    refresh();
    if (running.size) await Promise.race(running);
  }

  // Finally: once every DAG task is done; not after a cancel, bounded like the DAG.
  if (fin.length && !halted()) await runFinally();

  pr.status.childReferences = childReferences(all);
  regradeGracefulSkips();
  pr.status.skippedTasks = skippedTasks(all);
  const counts = countTasks(all);
  if (celError !== undefined) return finish('False', PipelineRunReason.CELEvaluationFailed, celFailedMessage(name, celError));
  if (createRunFailed !== undefined) return finish('False', PipelineRunReason.CreateRunFailed, createRunFailed);
  if (ctl.ended === 'cancel') return cancelled();
  if (ctl.ended === 'pipeline-timeout')
    return finish('False', PipelineRunReason.TimedOut, `PipelineRun ${JSON.stringify(name)} failed to finish within ${JSON.stringify(formatTimeout(timeouts.pipeline))}`);
  if (ctl.tasksTimedOut)
    return finish(
      'False',
      PipelineRunReason.TimedOut,
      `PipelineRun ${JSON.stringify(name)} failed due to tasks failed to finish within ${JSON.stringify(formatTimeout(timeouts.tasks))}`,
    );
  if (validationFailures.length) {
    return finish('False', PipelineRunReason.ValidationFailed, `${finalMessage(counts)}, Failed Validation: ${validationFailures.length} (${validationFailures.join(', ')})`);
  }
  const results = pipelineResults(spec.results ?? [], byName, vars);
  if ('error' in results) return finish('False', PipelineRunReason.CouldntGetPipelineResult, results.error);
  if (results.results.length) pr.status.results = results.results;
  const verdict = finalReason(counts, ctl.graceful !== undefined, name);
  return finish(verdict.status, verdict.reason, verdict.message);

  /** runChildPipelines runs the child PipelineRuns of a pipelineRef/pipelineSpec task with this same reconciler. */
  async function runChildPipelines(rpt: ResolvedPipelineTask, pt: PipelineTask, combinations: number | undefined): Promise<void> {
    const cycle = pipelineRefCycle(pt, lineage);
    if (cycle) {
      createRunFailed = cycle;
      rpt.done = true;
      return;
    }
    const children = makeChildPipelineRuns({ pr, pipelineLabel: lineage[0], pt, isFinally: rpt.isFinally, config: engine.config }, combinations);
    rpt.running = true;
    rpt.pipelineRuns = children;
    rpt.pipelineRuns = await Promise.all(
      children.map(async (child) => {
        const follow = followParent(child, ctl, rpt.isFinally, engine.store);
        try {
          return await runPipelineRun(child, engine, follow.signal, lineage);
        } finally {
          follow.stop();
        }
      }),
    );
    rpt.running = false;
    rpt.done = true;
  }

  /** runningReason is GetPipelineConditionStatus for an unfinished run (pipelinerunstate.go). */
  function runningReason(): string {
    if (ctl.graceful === 'cancel') return PipelineRunReason.CancelledRunningFinally;
    if (ctl.graceful === 'stop') return PipelineRunReason.StoppedRunningFinally;
    if (ctl.tasksTimedOut && fin.length) return PipelineRunReason.TimeoutRunningFinally;
    const c = countTasks(all);
    // With finally tasks, a DAG failure alone keeps Running until they are done.
    if (c.cancelled > 0 || (c.failed - c.ignored > 0 && fin.every((t) => t.done))) return PipelineRunReason.Stopping;
    return PipelineRunReason.Running;
  }

  async function runFinally(): Promise<void> {
    pr.status!.finallyStartTime = k8sTime(now());
    ctl.startFinallyTimer(timeouts, () => fin.every((t) => t.done));
    const statusVars = finallyStatusReplacements(dag);
    const pending = [...fin];
    const active = new Set<Promise<void>>();
    while (pending.length || active.size) {
      while (pending.length && active.size < engine.parallel && !halted()) {
        const rpt = pending.shift()!;
        const skip = finallySkip(rpt, statusVars);
        if (celError !== undefined) break;
        if (skip) {
          rpt.skip = skip;
          rpt.done = true;
          continue;
        }
        const p: Promise<void> = runOne(rpt, statusVars, ctl.finally.signal).then(() => {
          active.delete(p);
          refresh();
        });
        active.add(p);
      }
      if (halted()) pending.length = 0;
      refresh();
      if (active.size) await Promise.race(active);
    }
  }

  /** dagSkip is Skip() for DAG tasks, in Tekton's order (TEKTON-FACTS §4.3). */
  function dagSkip(rpt: ResolvedPipelineTask): Skip {
    if (ctl.ended === 'pipeline-timeout') return { reason: SkippingReason.PipelineTimeout };
    if (ctl.tasksTimedOut) return { reason: SkippingReason.TasksTimeout };
    if (stopping || validationFailures.length) return { reason: SkippingReason.Stopping };
    if (ctl.graceful === 'cancel') return { reason: SkippingReason.GracefullyCancelled };
    if (ctl.graceful === 'stop') return { reason: SkippingReason.GracefullyStopped };
    const pt = applyToPipelineTask(rpt.task, vars);
    const when = evaluateWhen(pt.when);
    if ('celError' in when) {
      celError = when.celError;
      return undefined;
    }
    if ('allowed' in when && !when.allowed) return { reason: SkippingReason.When, whenExpressions: pt.when };
    const parentSkipped = graph.parents(rpt.task.name).some((p) => {
      const s = byName.get(p)!.skip;
      return s && s.reason !== SkippingReason.When;
    });
    if (parentSkipped) return { reason: SkippingReason.ParentSkipped };
    const missing = missingResult(pt);
    if (missing) {
      const producer = byName.get(missing.task);
      if (rpt.task.onError === 'continue' || producer?.skip) return { reason: SkippingReason.MissingResults };
      validationFailures.push(
        `task ${JSON.stringify(missing.task)} completed successfully but did not emit the result ${JSON.stringify(missing.result)}, which is referenced by task ${JSON.stringify(rpt.task.name)}`,
      );
      // Tekton puts it in ValidationFailedTask: no TaskRun is created and nothing new is scheduled.
      rpt.validationFailed = true;
      return undefined;
    }
    if (hasEmptyMatrixParam(pt.matrix)) return { reason: SkippingReason.EmptyMatrix };
    return undefined;
  }

  /** finallySkip is IsFinallySkipped: results missing, when, pipeline timeout, finally timeout, empty matrix. */
  function finallySkip(rpt: ResolvedPipelineTask, statusVars: Replacements): Skip {
    const pt = applyToPipelineTask(rpt.task, mergeReplacements(vars, statusVars));
    if (missingResult(pt)) return { reason: SkippingReason.MissingResults };
    const when = evaluateWhen(pt.when);
    if ('celError' in when) {
      celError = when.celError;
      return undefined;
    }
    if ('allowed' in when && !when.allowed) return { reason: SkippingReason.When, whenExpressions: pt.when };
    if (ctl.ended === 'pipeline-timeout') return { reason: SkippingReason.PipelineTimeout };
    if (ctl.finallyTimedOut) return { reason: SkippingReason.FinallyTimeout };
    if (hasEmptyMatrixParam(pt.matrix)) return { reason: SkippingReason.EmptyMatrix };
    return undefined;
  }

  /**
   * regradeGracefulSkips: Tekton recomputes skip reasons on its last reconcile, and "stopping"
   * (a DAG task failed or was cancelled) is checked before graceful cancel/stop.
   */
  function regradeGracefulSkips(): void {
    if (!dag.some(isFailed)) return;
    for (const t of dag) {
      if (t.skip?.reason === SkippingReason.GracefullyCancelled || t.skip?.reason === SkippingReason.GracefullyStopped) t.skip = { reason: SkippingReason.Stopping };
    }
  }
}
