// reconcile.ts: the PipelineRun state machine: prepare, schedule the DAG (every ready task at
// once, bounded), skip by Tekton's rules, run finally tasks, and compute the final status.
import type { PipelineRun, PipelineRunStatus, PipelineTask, TaskRun } from '../../api/index.ts';
import { PipelineRunReason, TaskRunReason } from '../../api/index.ts';
import { formatGoDuration, parseGoDuration } from '../../duration/index.ts';
import { Scheduler } from '../../dag/index.ts';
import { runTaskRun, type TaskRunEngine } from '../taskrun/index.ts';
import { makeChildTaskRun } from './child.ts';
import { hasEmptyMatrixParam, matrixCombinations } from './matrix.ts';
import { preparePipelineRun } from './prepare.ts';
import { pipelineResults } from './results.ts';
import {
  SkippingReason, aggregateStatus, countTasks, finalMessage, finalReason, isFailed, runningMessage, skippedTasks, taskStatus,
  type ResolvedPipelineTask,
} from './state.ts';
import {
  addTaskResults, applyToPipelineTask, emptyReplacements, mergeReplacements, pipelineParamReplacements, pipelineTaskContext, type Replacements,
} from './variables.ts';
import { evaluateWhen } from './when.ts';
import { findVariables } from '../../substitution/index.ts';

/** PipelineRunEngine is a TaskRunEngine plus how many TaskRuns may run at once. */
export interface PipelineRunEngine extends TaskRunEngine {
  parallel: number;
}

const CANCEL_MSG = 'TaskRun cancelled as the PipelineRun it belongs to has been cancelled.';
const TIMEOUT_MSG = 'TaskRun cancelled as the PipelineRun it belongs to has timed out.';

/** runPipelineRun drives one PipelineRun to completion and returns it with its final status. */
export async function runPipelineRun(input: PipelineRun, engine: PipelineRunEngine, signal: AbortSignal): Promise<PipelineRun> {
  const pr = structuredClone(input) as PipelineRun;
  const now = () => engine.now();
  const name = pr.metadata.name!;
  pr.metadata.namespace ??= 'default';
  pr.metadata.uid ??= engine.newUID();
  pr.metadata.creationTimestamp ??= iso(now());
  pr.spec.timeouts = { ...pr.spec.timeouts, pipeline: pr.spec.timeouts?.pipeline ?? formatGoDuration(engine.config.defaults.defaultTimeoutMinutes * 60_000) };
  pr.status = { startTime: iso(now()) };
  setCond(pr, 'Unknown', PipelineRunReason.Started, '');
  const save = () => { engine.store.put(pr as never); engine.emit({ type: 'pipelinerun', pipelineRun: pr }); };
  save();
  const finish = (status: 'True' | 'False', reason: string, message: string) => {
    setCond(pr, status, reason, message);
    pr.status!.completionTime = iso(now());
    save();
    return pr;
  };
  if (pr.spec.status === 'PipelineRunPending') {
    setCond(pr, 'Unknown', PipelineRunReason.Pending, `PipelineRun ${JSON.stringify(name)} is pending`);
    save();
    return pr;
  }
  if (pr.spec.status === 'Cancelled') return finish('False', PipelineRunReason.Cancelled, `PipelineRun ${JSON.stringify(name)} was cancelled`);

  const prepared = preparePipelineRun(pr, engine.store, engine.config);
  if (!prepared.ok) return finish('False', prepared.reason, prepared.message);
  const { spec, graph } = prepared;
  pr.status.pipelineSpec = spec;
  const dag: ResolvedPipelineTask[] = (spec.tasks ?? []).map((task) => ({ task, isFinally: false, taskRuns: [], running: false, done: false }));
  const fin: ResolvedPipelineTask[] = (spec.finally ?? []).map((task) => ({ task, isFinally: true, taskRuns: [], running: false, done: false }));
  const byName = new Map([...dag, ...fin].map((t) => [t.task.name, t]));
  const vars = pipelineParamReplacements(spec.params, pr.spec.params ?? [], {
    prName: name, namespace: pr.metadata.namespace, uid: pr.metadata.uid, pipelineName: prepared.pipelineName,
  });

  // Children are cancelled through one controller; its reason becomes their statusMessage.
  const children = new AbortController();
  let ended: 'cancel' | 'pipeline-timeout' | 'tasks-timeout' | undefined;
  const stop = (why: typeof ended, msg: string) => { ended ??= why; if (!children.signal.aborted) children.abort(msg); };
  const onCancel = () => stop('cancel', CANCEL_MSG);
  signal.addEventListener('abort', onCancel, { once: true });
  if (signal.aborted) onCancel();
  const timers = [
    timer(pr.spec.timeouts.pipeline, () => stop('pipeline-timeout', TIMEOUT_MSG)),
    timer(pr.spec.timeouts.tasks, () => { if (!dag.every((t) => t.done)) stop('tasks-timeout', TIMEOUT_MSG); }),
  ];
  let stopping = false;
  const validationFailures: string[] = [];
  const refresh = () => {
    setCond(pr, 'Unknown', stopping ? PipelineRunReason.Stopping : PipelineRunReason.Running, runningMessage(countTasks([...dag, ...fin])));
    pr.status!.childReferences = childReferences([...dag, ...fin]);
    pr.status!.skippedTasks = skippedTasks([...dag, ...fin]);
    save();
  };

  const runOne = async (rpt: ResolvedPipelineTask, extra: Replacements): Promise<void> => {
    const pt = applyToPipelineTask(rpt.task, mergeReplacements(mergeReplacements(vars, extra), pipelineTaskContext(rpt.task)));
    const combos = pt.matrix ? matrixCombinations(pt.matrix) : undefined;
    const trs = (combos ?? [undefined]).map((params, index) => makeChildTaskRun({
      pr, pipelineName: prepared.pipelineName, pt, isFinally: rpt.isFinally, config: engine.config,
      matrix: params && combos ? { index, count: combos.length, params } : undefined,
    }));
    rpt.running = true;
    const finals = await Promise.all(trs.map((tr) => runTaskRun(tr, { ...engine, pipelineTask: pt.name }, children.signal)));
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
    while (queue.length && running.size < engine.parallel) {
      const rpt = byName.get(queue.shift()!)!;
      const skip = dagSkip(rpt);
      if (skip || rpt.validationFailed) {
        rpt.skip = skip; rpt.done = true; scheduler.markDone(rpt.task.name);
        queue.push(...scheduler.takeReady());
        continue;
      }
      const p: Promise<void> = runOne(rpt, emptyReplacements()).then(() => {
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

  // Finally: once every DAG task is done; not after a hard cancel or a pipeline timeout.
  if (fin.length) {
    pr.status.finallyStartTime = iso(now());
    const statusVars = finallyStatusReplacements(dag);
    const started: Promise<void>[] = [];
    for (const rpt of fin) {
      const skip = finallySkip(rpt, statusVars);
      if (skip) { rpt.skip = skip; rpt.done = true; continue; }
      started.push(runOne(rpt, statusVars).then(refresh));
    }
    refresh();
    await Promise.all(started);
  }
  timers.forEach((t) => t?.cancel());
  signal.removeEventListener('abort', onCancel);

  const all = [...dag, ...fin];
  pr.status.childReferences = childReferences(all);
  pr.status.skippedTasks = skippedTasks(all);
  const counts = countTasks(all);
  if (validationFailures.length) {
    return finish('False', PipelineRunReason.ValidationFailed, `${finalMessage(counts)}, Failed Validation: ${validationFailures.length} (${validationFailures.join(', ')})`);
  }
  if (ended === 'cancel') return finish('False', PipelineRunReason.Cancelled, `PipelineRun ${JSON.stringify(name)} was cancelled`);
  if (ended === 'pipeline-timeout') return finish('False', PipelineRunReason.TimedOut, `PipelineRun ${JSON.stringify(name)} failed to finish within ${JSON.stringify(pr.spec.timeouts.pipeline)}`);
  if (ended === 'tasks-timeout') return finish('False', PipelineRunReason.TimedOut, `PipelineRun ${JSON.stringify(name)} failed due to tasks failed to finish within ${JSON.stringify(pr.spec.timeouts.tasks)}`);
  const results = pipelineResults(spec.results ?? [], byName, vars);
  if ('error' in results) return finish('False', PipelineRunReason.CouldntGetPipelineResult, results.error);
  if (results.results.length) pr.status.results = results.results;
  const verdict = finalReason(counts, false);
  return finish(verdict.status, verdict.reason, finalMessage(counts));

  /** dagSkip is Skip() for DAG tasks, in Tekton's order (TEKTON-FACTS §4.3). */
  function dagSkip(rpt: ResolvedPipelineTask): ResolvedPipelineTask['skip'] {
    if (ended === 'pipeline-timeout') return { reason: SkippingReason.PipelineTimeout };
    if (ended === 'tasks-timeout') return { reason: SkippingReason.TasksTimeout };
    if (ended === 'cancel' || stopping || validationFailures.length) return { reason: SkippingReason.Stopping };
    const pt = applyToPipelineTask(rpt.task, vars);
    const when = evaluateWhen(pt.when);
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
      validationFailures.push(`task ${JSON.stringify(missing.task)} completed successfully but did not emit the result ${JSON.stringify(missing.result)}, which is referenced by task ${JSON.stringify(rpt.task.name)}`);
      // Tekton puts it in ValidationFailedTask: no TaskRun is created and nothing new is scheduled.
      rpt.validationFailed = true;
      return undefined;
    }
    if (hasEmptyMatrixParam(pt.matrix)) return { reason: SkippingReason.EmptyMatrix };
    return undefined;
  }

  function finallySkip(rpt: ResolvedPipelineTask, statusVars: Replacements): ResolvedPipelineTask['skip'] {
    if (ended === 'cancel') return { reason: SkippingReason.Stopping };
    const pt = applyToPipelineTask(rpt.task, mergeReplacements(vars, statusVars));
    if (missingResult(pt)) return { reason: SkippingReason.MissingResults };
    const when = evaluateWhen(pt.when);
    if ('allowed' in when && !when.allowed) return { reason: SkippingReason.When, whenExpressions: pt.when };
    if (ended === 'pipeline-timeout') return { reason: SkippingReason.PipelineTimeout };
    if (hasEmptyMatrixParam(pt.matrix)) return { reason: SkippingReason.EmptyMatrix };
    return undefined;
  }

  function finallyStatusReplacements(tasks: ResolvedPipelineTask[]): Replacements {
    const r = emptyReplacements();
    for (const t of tasks) {
      r.strings.set(`tasks.${t.task.name}.status`, taskStatus(t));
      const reason = t.taskRuns[0]?.status?.conditions?.find((c) => c.type === 'Succeeded')?.reason;
      r.strings.set(`tasks.${t.task.name}.reason`, t.skip ? 'None' : reason ?? 'None');
    }
    r.strings.set('tasks.status', aggregateStatus(tasks));
    return r;
  }
}

/** missingResult finds a `$(tasks.<t>.results.<r>)` left after substitution: the result was never produced. */
function missingResult(pt: PipelineTask): { task: string; result: string } | undefined {
  const texts = JSON.stringify([pt.params, pt.matrix, pt.when, pt.taskSpec?.steps, pt.taskSpec?.sidecars]);
  for (const v of findVariables(texts)) {
    const m = /^tasks\.([^.]+)\.results\.([^.[\]]+)/.exec(v.expression);
    if (m) return { task: m[1], result: m[2] };
  }
  return undefined;
}

/** recordResults makes a finished task's results available as `$(tasks.<t>.results...)`. */
function recordResults(vars: Replacements, rpt: ResolvedPipelineTask): void {
  const prefix = rpt.isFinally ? 'finally' : 'tasks';
  if (rpt.task.matrix) {
    // A matrixed task's string results aggregate into arrays, in combination order.
    const agg = new Map<string, string[]>();
    for (const tr of rpt.taskRuns) for (const r of tr.status?.results ?? []) if (typeof r.value === 'string') agg.set(r.name, [...(agg.get(r.name) ?? []), r.value]);
    addTaskResults(vars, rpt.task.name, [...agg].map(([n, value]) => ({ name: n, type: 'array', value })), prefix);
    vars.strings.set(`tasks.${rpt.task.name}.matrix.length`, String(rpt.taskRuns.length));
    for (const [n, values] of agg) vars.strings.set(`tasks.${rpt.task.name}.matrix.${n}.length`, String(values.length));
    return;
  }
  addTaskResults(vars, rpt.task.name, rpt.taskRuns[0]?.status?.results ?? [], prefix);
}

/** ignoreFailure: a failed TaskRun of a PipelineTask with onError continue gets reason FailureIgnored. */
function ignoreFailure(tr: TaskRun, pt: PipelineTask, engine: TaskRunEngine): TaskRun {
  const c = tr.status?.conditions?.find((x) => x.type === 'Succeeded');
  if (pt.onError !== 'continue' || c?.status !== 'False' || c.reason === TaskRunReason.Cancelled) return tr;
  c.reason = TaskRunReason.FailureIgnored;
  engine.store.put(tr as never);
  return tr;
}

function childReferences(all: ResolvedPipelineTask[]): PipelineRunStatus['childReferences'] {
  const refs = all.flatMap((t) => t.taskRuns.map((tr) => ({
    apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: tr.metadata.name!, pipelineTaskName: t.task.name,
    ...(t.task.displayName ? { displayName: t.task.displayName } : {}),
    ...(t.task.when?.length ? { whenExpressions: t.task.when } : {}),
  })));
  return refs.length ? refs : undefined;
}

function setCond(pr: PipelineRun, status: 'True' | 'False' | 'Unknown', reason: string, message: string): void {
  const prev = pr.status!.conditions?.[0];
  const same = prev && prev.status === status && prev.reason === reason && prev.message === message;
  pr.status!.conditions = [{ type: 'Succeeded', status, reason, message, lastTransitionTime: same ? prev.lastTransitionTime : iso(new Date()) }];
}

function timer(text: string | undefined, fn: () => void): { cancel(): void } | undefined {
  if (!text) return undefined;
  const d = parseGoDuration(text);
  if (!d.ok || d.ms <= 0) return undefined;
  const t = setTimeout(fn, Math.min(d.ms, 2 ** 31 - 1));
  return { cancel: () => clearTimeout(t) };
}

function iso(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
