// children.ts: what a PipelineRun has already done, read back from the store on every reconcile
// (pipelinerun.go updatePipelineRunStatusFromInformer / getChildObjectsFromPRStatus): its child
// TaskRuns and child PipelineRuns, by the `tekton.dev/pipelineRun` label and the controller
// ownerReference, and the ancestors a child PipelineRun runs under.
import type { PipelineRun, PipelineSpec, PipelineTask, TaskRun } from '../../api/index.ts';
import { TektonLabel } from '../../api/index.ts';
import type { KObject, ObjectStore } from '../../store/index.ts';
import { isChildPipeline } from '../../validation/index.ts';
import type { ResolvedPipelineTask } from './state.ts';

/** Children are a PipelineRun's own child runs. */
export interface Children {
  taskRuns: TaskRun[];
  pipelineRuns: PipelineRun[];
}

const ownedBy = (uid: string | undefined) => (o: KObject) => o.metadata.ownerReferences?.some((r) => r.controller && r.uid === uid) ?? false;

/** listChildren lists the TaskRuns and PipelineRuns labelled with the run's name whose controller is this run (same uid). */
export async function listChildren(store: ObjectStore, pr: PipelineRun): Promise<Children> {
  const options = { namespace: pr.metadata.namespace, labelSelector: `${TektonLabel.PipelineRun}=${pr.metadata.name}`, ownerUid: pr.metadata.uid };
  const trs = await store.list('TaskRun', options);
  const prs = await store.list('PipelineRun', options);
  const mine = ownedBy(pr.metadata.uid);
  return { taskRuns: trs.items.filter(mine) as unknown as TaskRun[], pipelineRuns: prs.items.filter(mine) as unknown as PipelineRun[] };
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
  const of = <T extends TaskRun | PipelineRun>(runs: T[], pt: PipelineTask, isFinally: boolean) =>
    runs
      .filter((r) => r.metadata.labels?.[TektonLabel.PipelineTask] === pt.name && r.metadata.labels?.[TektonLabel.MemberOf] === (isFinally ? 'finally' : 'tasks'))
      .sort((a, b) => matrixIndex(a.metadata.name) - matrixIndex(b.metadata.name));
  const skipped = new Map((pr.status?.skippedTasks ?? []).map((s) => [s.name, s]));
  const make = (pt: PipelineTask, isFinally: boolean): ResolvedPipelineTask => {
    const s = skipped.get(pt.name);
    const rpt: ResolvedPipelineTask = { task: bound(pt), isFinally, taskRuns: of(children.taskRuns, pt, isFinally), running: false, done: false };
    if (isChildPipeline(pt)) rpt.pipelineRuns = of(children.pipelineRuns, pt, isFinally);
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
export async function lineage(store: ObjectStore, pr: PipelineRun, pipelineName: string): Promise<string[]> {
  const out = [pr.metadata.labels?.[TektonLabel.Pipeline] ?? pipelineName];
  let cur: PipelineRun | undefined = pr;
  const seen = new Set<string>();
  for (;;) {
    const ref = (cur as unknown as KObject).metadata.ownerReferences?.find((r) => r.controller && r.kind === 'PipelineRun');
    if (!ref || seen.has(ref.uid)) return out;
    seen.add(ref.uid);
    const parent = (await store.get({ kind: 'PipelineRun', namespace: cur.metadata.namespace ?? '', name: ref.name })) as unknown as PipelineRun | undefined;
    if (!parent || parent.metadata.uid !== ref.uid) return out;
    out.push(parent.metadata.labels?.[TektonLabel.Pipeline] ?? parent.spec.pipelineRef?.name ?? parent.metadata.name!);
    cur = parent;
  }
}
