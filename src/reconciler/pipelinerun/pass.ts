// pass.ts: one reconcile's decisions for a PipelineRun (pipelinerun.go runNextSchedulableTask
// with pipelinerunstate.go's DAGExecutionQueue and GetFinalTasks): which children are done and
// which results they give, why the run is stopping, which ready tasks are skipped and which start,
// and whether the run is over. Pure: it reads the state rebuilt from the store and returns what
// to create; the caller writes.
import { isDone } from '../taskrun/index.ts';
import type { PipelineRun, PipelineSpec, TaskRun } from '../../api/index.ts';
import type { Config } from '../../config/index.ts';
import { Scheduler, type Graph } from '../../dag/index.ts';
import { isChildPipeline } from '../../validation/index.ts';
import { childTaskRunName, makeChildTaskRun } from './child.ts';
import { makeChildPipelineRuns, pipelineRefCycle } from './child-pipeline.ts';
import type { Timeouts } from './control.ts';
import { finallyStatusReplacements, recordResults } from './facts.ts';
import { matrixCombinations } from './matrix.ts';
import { dagSkip, finallySkip } from './skip.ts';
import { isFailed, runsOf, type ResolvedPipelineTask } from './state.ts';
import { deriveStops, type Stops } from './stops.ts';
import { applyToPipelineTask, emptyReplacements, mergeReplacements, pipelineTaskContext, type Replacements } from './variables.ts';
import { propagateWorkspaces } from './workspaces.ts';

/** PassInput is the rebuilt state and what the decisions need. */
export interface PassInput {
  pr: PipelineRun;
  spec: PipelineSpec;
  pipelineName: string;
  graph: Graph;
  /** all is every PipelineTask, DAG tasks first (children.ts resolvedTasks); the pass updates it. */
  all: ResolvedPipelineTask[];
  /** vars are the pipeline params and context; the pass adds the results of done tasks. */
  vars: Replacements;
  config: Config;
  parallel: number;
  now: Date;
  timeouts: Timeouts;
  /** lineage is the `tekton.dev/pipeline` chain for the pipelineRef cycle check (children.ts lineage). */
  lineage: readonly string[];
}

/** Pass is what one reconcile decided. */
export interface Pass {
  stops: Stops;
  celError?: string;
  createRunFailed?: string;
  validationFailures: string[];
  /** create lists the child runs to create (names are deterministic: a second creator gets AlreadyExists). */
  create: (TaskRun | PipelineRun)[];
  /** startFinally: the DAG is over and finally tasks are due to run (status.finallyStartTime). */
  startFinally: boolean;
  /** over: nothing runs and nothing more will start; the final status can be written. */
  over: boolean;
}

type Run = TaskRun | PipelineRun;

const orders = new WeakMap<Graph, readonly string[]>();

/** topoOrder is the DAG in the order a Scheduler hands tasks out (Pipeline order within a wave); kept per graph. */
function topoOrder(graph: Graph): readonly string[] {
  let order = orders.get(graph);
  if (!order) {
    order = schedulerOrder(graph);
    orders.set(graph, order);
  }
  return order;
}

function schedulerOrder(graph: Graph): string[] {
  const s = new Scheduler(graph);
  const out: string[] = [];
  for (let ready = s.takeReady(); ready.length; ready = s.takeReady()) {
    for (const n of ready) {
      out.push(n);
      s.markDone(n);
    }
  }
  return out;
}

/** runPass decides; it marks done/running/skip/validationFailed on `all` and adds results to `vars`. */
export function runPass(i: PassInput): Pass {
  const dag = i.all.filter((t) => !t.isFinally);
  const fin = i.all.filter((t) => t.isFinally);
  const byName = new Map(i.all.map((t) => [t.task.name, t]));
  const order = topoOrder(i.graph).map((n) => byName.get(n)!);
  const out: Pass = { stops: { tasksTimedOut: false, finallyTimedOut: false }, validationFailures: [], create: [], startFinally: false, over: false };

  /** desired is the children a PipelineTask has when started now (runOne / runChildPipelines in reconcile.ts). */
  const desired = (rpt: ResolvedPipelineTask, extra: Replacements): Run[] | { cycle: string } => {
    const pt = propagateWorkspaces(applyToPipelineTask(rpt.task, mergeReplacements(i.vars, mergeReplacements(pipelineTaskContext(rpt.task), extra))));
    const combos = pt.matrix ? matrixCombinations(pt.matrix) : undefined;
    if (isChildPipeline(pt)) {
      const cycle = pipelineRefCycle(pt, i.lineage);
      if (cycle) return { cycle };
      return makeChildPipelineRuns({ pr: i.pr, pipelineLabel: i.lineage[0]!, pt, isFinally: rpt.isFinally, config: i.config }, combos?.length);
    }
    return (combos ?? [undefined]).map((params, index) =>
      makeChildTaskRun({
        pr: i.pr,
        pipelineName: i.pipelineName,
        pt,
        isFinally: rpt.isFinally,
        config: i.config,
        matrix: params && combos ? { index, count: combos.length, params } : undefined,
      }),
    );
  };
  /**
   * missingChildren: the children a started task should have and has not. A plain PipelineTask (a
   * TaskRun, no matrix) has one child whose name comes from the run's and the task's names alone:
   * when it is there, nothing is missing, and building the child again (substitution and the whole
   * object) only to compare names would make every reconcile O(Tasks) in heavy work.
   */
  const missingChildren = (rpt: ResolvedPipelineTask, runs: readonly Run[], extra: Replacements): Run[] => {
    if (!rpt.task.matrix && !rpt.pipelineRuns) {
      const name = childTaskRunName(i.pr.metadata.name!, rpt.task.name);
      if (runs.some((r) => r.metadata.name === name)) return [];
    }
    const want = desired(rpt, extra);
    return 'cycle' in want ? [] : want.filter((w) => !runs.some((r) => r.metadata.name === w.metadata.name));
  };
  /** observe: a started task is done when every child it should have exists and is done. */
  const observe = (rpt: ResolvedPipelineTask, extra: Replacements) => {
    const runs = runsOf(rpt);
    if (rpt.skip || !runs.length) return;
    const missing = missingChildren(rpt, runs, extra);
    rpt.done = !missing.length && runs.every((r) => isDone(r.status));
    rpt.running = !rpt.done;
    if (missing.length) out.create.push(...missing);
    if (rpt.done && !rpt.pipelineRuns) recordResults(i.vars, rpt);
  };
  const start = (rpt: ResolvedPipelineTask, extra: Replacements) => {
    const want = desired(rpt, extra);
    if ('cycle' in want) {
      out.createRunFailed = want.cycle;
      rpt.done = true;
      return;
    }
    if (rpt.pipelineRuns) rpt.pipelineRuns = want as PipelineRun[];
    else rpt.taskRuns = want as TaskRun[];
    rpt.running = true;
    out.create.push(...want);
  };

  // What earlier reconciles started, in DAG order so that results are there for what follows.
  // One empty table for every DAG task (only read).
  const none = emptyReplacements();
  for (const rpt of order) observe(rpt, none);
  const dagIsDone = () => dag.every((t) => t.done);
  if (dagIsDone()) {
    const statusVars = finallyStatusReplacements(dag);
    for (const rpt of fin) observe(rpt, statusVars);
  }
  const stops = deriveStops({ pr: i.pr, now: i.now.getTime(), timeouts: i.timeouts, dag, fin });
  out.stops = stops;
  const halted = () => stops.ended === 'cancel' || out.celError !== undefined || out.createRunFailed !== undefined;
  const stopping = dag.some(isFailed);
  let running = i.all.filter((t) => t.running).length;

  // The ready DAG tasks, skipped or started; a halted run starts nothing and records no skips.
  const haltedTasks = new Set<string>();
  const resolved = (n: string) => byName.get(n)!.done || haltedTasks.has(n);
  let blocked = false;
  for (const rpt of order) {
    if (rpt.done || rpt.running || !i.graph.parents(rpt.task.name).every(resolved)) continue;
    if (halted()) {
      haltedTasks.add(rpt.task.name);
      continue;
    }
    if (blocked || running >= i.parallel) {
      blocked = true;
      continue;
    }
    const v = dagSkip(rpt, { stops, stopping: stopping || out.validationFailures.length > 0, graph: i.graph, byName, vars: i.vars });
    if ('celError' in v) {
      out.celError = v.celError;
      haltedTasks.add(rpt.task.name);
    } else if ('skip' in v) {
      rpt.skip = v.skip;
      rpt.done = true;
    } else if ('validationFailure' in v) {
      out.validationFailures.push(v.validationFailure);
      rpt.validationFailed = true;
      rpt.done = true;
    } else {
      start(rpt, none);
      if (rpt.running) running++;
    }
  }
  const dagOver = dag.every((t) => t.done || haltedTasks.has(t.task.name));

  // Finally: once the DAG is over, not after a cancel, bounded like the DAG.
  if (dagOver && fin.length && !halted()) {
    out.startFinally = !i.pr.status?.finallyStartTime;
    const statusVars = finallyStatusReplacements(dag);
    for (const rpt of fin) {
      if (rpt.done || rpt.running) continue;
      if (halted() || running >= i.parallel) break;
      const v = finallySkip(rpt, stops, i.vars, statusVars);
      if ('celError' in v) {
        out.celError = v.celError;
        break;
      }
      if ('skip' in v) {
        rpt.skip = v.skip;
        rpt.done = true;
        continue;
      }
      start(rpt, statusVars);
      if (rpt.running) running++;
    }
  }
  out.over = running === 0 && (halted() || (dagOver && fin.every((t) => t.done)));
  return out;
}
