// child-pipeline.ts: Pipelines in Pipelines (TEP-0056, alpha): the child PipelineRun a
// PipelineTask with pipelineRef/pipelineSpec becomes (pipelinerun.go createChildPipelineRun), the
// pipelineRef cycle check (detectPipelineRefCycle). A stop of the parent reaches its child
// PipelineRuns through their spec.status, the way it reaches child TaskRuns (act.ts).
import type { PipelineRun, PipelineTask } from '../../api/index.ts';
import { TektonLabel } from '../../api/index.ts';
import type { Config } from '../../config/index.ts';
import { childTaskRunName, childWorkspaces } from './child.ts';

/** ChildPipelineInput is what naming and configuring the child PipelineRuns of one PipelineTask needs. */
export interface ChildPipelineInput {
  pr: PipelineRun;
  /** pipelineLabel is the parent's `tekton.dev/pipeline` label (what Tekton propagates to it). */
  pipelineLabel: string;
  /** pt is the PipelineTask after parameter and result substitution. */
  pt: PipelineTask;
  isFinally: boolean;
  config: Config;
}

/**
 * makeChildPipelineRuns: one child per PipelineTask, named like a child TaskRun; a matrix makes
 * one per combination, each with the PipelineTask's own params only, as Tekton does. The child
 * gets the params and workspace bindings of the PipelineTask and the parent's taskRunTemplate,
 * but not its timeouts: it runs with the default ones (docs/pipelines-in-pipelines.md).
 */
export function makeChildPipelineRuns(c: ChildPipelineInput, combinations: number | undefined): PipelineRun[] {
  const { pr, pt } = c;
  const names =
    combinations === undefined
      ? [childTaskRunName(pr.metadata.name!, pt.name)]
      : Array.from({ length: combinations }, (_, index) => childTaskRunName(pr.metadata.name!, pt.name, { index, count: combinations }));
  const labels: Record<string, string> = {
    ...pr.metadata.labels,
    [TektonLabel.Pipeline]: pr.metadata.labels?.[TektonLabel.Pipeline] ?? c.pipelineLabel,
    [TektonLabel.PipelineRun]: pr.metadata.name!,
    [TektonLabel.PipelineRunUID]: pr.metadata.uid!,
    [TektonLabel.PipelineTask]: pt.name,
    [TektonLabel.MemberOf]: c.isFinally ? 'finally' : 'tasks',
  };
  // The child's own Pipeline name, so that its children and the cycle check see it.
  if (pt.pipelineRef?.name) labels[TektonLabel.Pipeline] = pt.pipelineRef.name;
  const workspaces = pt.workspaces?.length ? childWorkspaces(pr, pt) : [];
  return names.map(
    (name) =>
      ({
        apiVersion: 'tekton.dev/v1',
        kind: 'PipelineRun',
        metadata: {
          name,
          namespace: pr.metadata.namespace,
          labels: { ...labels },
          ...(pr.metadata.annotations ? { annotations: { ...pr.metadata.annotations } } : {}),
          ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: pr.metadata.name, uid: pr.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        spec: {
          ...(pt.pipelineRef ? { pipelineRef: structuredClone(pt.pipelineRef) } : { pipelineSpec: structuredClone(pt.pipelineSpec) }),
          ...(pt.params?.length ? { params: structuredClone(pt.params) } : {}),
          ...(workspaces.length ? { workspaces } : {}),
          ...(pr.spec.taskRunTemplate ? { taskRunTemplate: structuredClone(pr.spec.taskRunTemplate) } : {}),
        },
      }) as PipelineRun,
  );
}

/**
 * pipelineRefCycle is detectPipelineRefCycle: the child's Pipeline must not be one its ancestors
 * run. `lineage` is the `tekton.dev/pipeline` label of this PipelineRun and then of each owner.
 */
export function pipelineRefCycle(pt: PipelineTask, lineage: readonly string[]): string | undefined {
  const target = pt.pipelineRef?.name;
  if (!target) return undefined;
  const at = lineage.indexOf(target);
  if (at < 0) return undefined;
  return `detected cycle in pipeline-in-pipeline: pipeline ${JSON.stringify(target)} is already running in ancestor chain [${lineage.slice(0, at).join(' ')}]`;
}
