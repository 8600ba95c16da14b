// children.ts: what a PipelineRun has already done, read back through listers on every reconcile
// (pipelinerun.go updatePipelineRunStatusFromInformer / getChildObjectsFromPRStatus): its child
// TaskRuns and child PipelineRuns, by the `tekton.dev/pipelineRun` label and the controller
// ownerReference, and the ancestors a child PipelineRun runs under.
import type { PipelineRun, PipelineSpec, PipelineTask, TaskRun } from '../../api/index.ts';
import { TektonLabel } from '../../api/index.ts';
import type { Lister } from '../../controller/index.ts';
import type { KObject } from '../../store/index.ts';
import { isChildPipeline } from '../../validation/index.ts';
import type { ResolvedPipelineTask } from './state.ts';

/** Children are a PipelineRun's own child runs. */
export interface Children {
  taskRuns: TaskRun[];
  pipelineRuns: PipelineRun[];
}

const ownedBy = (uid: string | undefined) => (o: KObject) => o.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid) ?? false;

/** RunListers read TaskRuns and PipelineRuns. */
export interface RunListers {
  taskRuns: Lister;
  pipelineRuns: Lister;
}

/**
 * listChildren lists the TaskRuns and PipelineRuns labelled with the run's name whose controller
 * is this run (same uid), from the informers' caches; when a child the status already names is not
 * there yet (the cache lags a create), from `fresh` (the store): a child missing would be created
 * again, and would not count against the run's parallel bound meanwhile.
 */
export async function listChildren(read: RunListers, pr: PipelineRun, fresh?: RunListers): Promise<Children> {
  const options = { namespace: pr.metadata.namespace, labelSelector: `${TektonLabel.PipelineRun}=${pr.metadata.name}`, ownerUid: pr.metadata.uid };
  const mine = ownedBy(pr.metadata.uid);
  const list = async (from: RunListers): Promise<Children> => ({
    taskRuns: (await from.taskRuns.list(options)).filter(mine) as unknown as TaskRun[],
    pipelineRuns: (await from.pipelineRuns.list(options)).filter(mine) as unknown as PipelineRun[],
  });
  const children = await list(read);
  if (!fresh) return children;
  const names = new Set([...children.taskRuns, ...children.pipelineRuns].map((r) => `${r.kind}/${r.metadata.name}`));
  const lagging = (pr.status?.childReferences ?? []).some((c) => !names.has(`${c.kind}/${c.name}`));
  return lagging ? list(fresh) : children;
}

/** matrixIndex is the combination index a child's name ends with (child.ts childTaskRunName), -1 for none. */
function matrixIndex(name: string | undefined): number {
  const m = /-(\d+)$/.exec(name ?? '');
  return m ? Number(m[1]) : -1;
}

/**
 * resolvedTasks rebuilds the state of every PipelineTask (pipelinerunresolution.go
 * ResolvePipelineTask): its children in combination order and the skip an earlier reconcile
 * recorded in status.skippedTasks (a skip is decided once, with the facts of its time).
 * `bound` is the PipelineTask as the run sees it (workspaces bound).
 */
export function resolvedTasks(spec: PipelineSpec, pr: PipelineRun, children: Children, bound: (pt: PipelineTask) => PipelineTask): ResolvedPipelineTask[] {
  // Children grouped once by PipelineTask (a filter of every child per task was quadratic).
  const group = <T extends TaskRun | PipelineRun>(runs: T[]) => {
    const by = new Map<string, T[]>();
    for (const r of runs) {
      const k = `${r.metadata.labels?.[TektonLabel.MemberOf]}/${r.metadata.labels?.[TektonLabel.PipelineTask]}`;
      const g = by.get(k);
      if (g) g.push(r);
      else by.set(k, [r]);
    }
    return by;
  };
  const taskRuns = group(children.taskRuns);
  const pipelineRuns = group(children.pipelineRuns);
  const of = <T extends TaskRun | PipelineRun>(by: Map<string, T[]>, pt: PipelineTask, isFinally: boolean): T[] => {
    const runs = by.get(`${isFinally ? 'finally' : 'tasks'}/${pt.name}`);
    if (!runs) return [];
    return runs.length > 1 ? runs.sort((a, b) => matrixIndex(a.metadata.name) - matrixIndex(b.metadata.name)) : runs;
  };
  const skipped = new Map((pr.status?.skippedTasks ?? []).map((s) => [s.name, s]));
  const make = (pt: PipelineTask, isFinally: boolean): ResolvedPipelineTask => {
    const s = skipped.get(pt.name);
    const rpt: ResolvedPipelineTask = { task: bound(pt), isFinally, taskRuns: of(taskRuns, pt, isFinally), running: false, done: false };
    if (isChildPipeline(pt)) rpt.pipelineRuns = of(pipelineRuns, pt, isFinally);
    if (s) {
      rpt.skip = { reason: s.reason, ...(s.whenExpressions ? { whenExpressions: s.whenExpressions } : {}) };
      rpt.done = true;
    }
    return rpt;
  };
  return [...(spec.tasks ?? []).map((pt) => make(pt, false)), ...(spec.finally ?? []).map((pt) => make(pt, true))];
}

/**
 * lineage is the `tekton.dev/pipeline` label of this PipelineRun (or its Pipeline's name) and then
 * of each PipelineRun above it, nearest first, following controller ownerReferences
 * (detectPipelineRefCycle's ancestor chain).
 */
export async function lineage(pipelineRuns: Lister, pr: PipelineRun, pipelineName: string): Promise<string[]> {
  const out = [pr.metadata.labels?.[TektonLabel.Pipeline] ?? pipelineName];
  let cur: PipelineRun | undefined = pr;
  const seen = new Set<string>();
  for (;;) {
    const ref = (cur as unknown as KObject).metadata.ownerReferences?.find((r) => r.controller && r.kind === 'PipelineRun');
    if (!ref || seen.has(ref.uid)) return out;
    seen.add(ref.uid);
    const parent = (await pipelineRuns.get(cur.metadata.namespace ?? '', ref.name)) as unknown as PipelineRun | undefined;
    if (!parent || parent.metadata.uid !== ref.uid) return out;
    out.push(parent.metadata.labels?.[TektonLabel.Pipeline] ?? parent.spec.pipelineRef?.name ?? parent.metadata.name!);
    cur = parent;
  }
}
