// child.ts: the TaskRun a PipelineTask becomes (pipelinerun.go createTaskRun): name, labels,
// params, workspaces, timeout, retries and the taskRunTemplate/taskRunSpecs overrides.
import type { PipelineRun, PipelineTask, TaskRun, WorkspaceBinding } from '../../api/index.ts';
import { TektonLabel } from '../../api/index.ts';
import { formatGoDuration, parseGoDuration } from '../../duration/index.ts';
import { childName } from '../../pod/index.ts';
import { pvcNameForTemplate } from '../../workspaces/index.ts';
import type { Config } from '../../config/index.ts';

/** ChildInput is what naming and configuring one child TaskRun needs. */
export interface ChildInput {
  pr: PipelineRun;
  pipelineName: string;
  pt: PipelineTask;
  isFinally: boolean;
  /** matrix is the combination index and count for a matrixed PipelineTask. */
  matrix?: { index: number; count: number; params: { name: string; value: string }[] };
  config: Config;
}

/** childTaskRunName is kmeta.ChildName(pr, "-"+pt), with the matrix rule of TEKTON-FACTS §4.4. */
export function childTaskRunName(prName: string, ptName: string, matrix?: { index: number; count: number }): string {
  if (!matrix) return childName(prName, `-${ptName}`);
  const name = childName(prName, `-${ptName}-${matrix.index}`);
  if (name.endsWith(`-${matrix.index}`)) return name;
  return `${childName(prName, `-${ptName}`).slice(0, 63 - `-${matrix.count}`.length)}-${matrix.index}`;
}

/** makeChildTaskRun builds the child TaskRun object for a (substituted) PipelineTask. */
export function makeChildTaskRun(c: ChildInput): TaskRun {
  const { pr, pt } = c;
  const runSpec = (pr.spec.taskRunSpecs ?? []).find((s) => s.pipelineTaskName === pt.name);
  const template = pr.spec.taskRunTemplate ?? {};
  const labels: Record<string, string> = {
    ...pr.metadata.labels,
    ...pt.taskSpec?.metadata?.labels,
    ...runSpec?.metadata?.labels,
    [TektonLabel.PipelineRun]: pr.metadata.name!,
    [TektonLabel.PipelineRunUID]: pr.metadata.uid!,
    [TektonLabel.Pipeline]: c.pipelineName,
    [TektonLabel.PipelineTask]: pt.name,
    [TektonLabel.MemberOf]: c.isFinally ? 'finally' : 'tasks',
  };
  const annotations: Record<string, string> = { ...pr.metadata.annotations, ...pt.taskSpec?.metadata?.annotations, ...runSpec?.metadata?.annotations };
  if (pt.onError === 'continue') annotations['pipeline.tekton.dev/pipeline-task-on-error'] = 'continue';
  const params = c.matrix ? [...(pt.params ?? []), ...c.matrix.params].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : pt.params;
  const timeout = childTimeout(c);
  const tr: TaskRun = {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: {
      name: childTaskRunName(pr.metadata.name!, pt.name, c.matrix),
      namespace: pr.metadata.namespace,
      labels,
      ...(Object.keys(annotations).length ? { annotations } : {}),
      ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: pr.metadata.name, uid: pr.metadata.uid, controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      ...(params?.length ? { params } : {}),
      ...(pt.taskRef ? { taskRef: pt.taskRef } : {}),
      ...(pt.taskSpec ? { taskSpec: stripEmbedded(pt.taskSpec) } : {}),
      serviceAccountName: runSpec?.serviceAccountName ?? template.serviceAccountName ?? c.config.defaults.defaultServiceAccount,
      ...((runSpec?.podTemplate ?? template.podTemplate) ? { podTemplate: { ...template.podTemplate, ...runSpec?.podTemplate } } : {}),
      ...(runSpec?.stepSpecs ? { stepSpecs: runSpec.stepSpecs } : {}),
      ...(runSpec?.sidecarSpecs ? { sidecarSpecs: runSpec.sidecarSpecs } : {}),
      ...(runSpec?.computeResources ? { computeResources: runSpec.computeResources } : {}),
      ...(pt.retries ? { retries: pt.retries } : {}),
      ...(timeout ? { timeout } : {}),
      ...(pt.workspaces?.length ? { workspaces: childWorkspaces(pr, pt) } : {}),
    },
  };
  return tr;
}

function stripEmbedded(spec: NonNullable<PipelineTask['taskSpec']>) {
  const { apiVersion: _a, kind: _k, metadata: _m, spec: _s, ...taskSpec } = spec;
  return taskSpec;
}

/** childWorkspaces maps Pipeline workspace bindings to the Task's names, joining subPaths. */
export function childWorkspaces(pr: PipelineRun, pt: PipelineTask): WorkspaceBinding[] {
  const out: WorkspaceBinding[] = [];
  for (const w of pt.workspaces ?? []) {
    const source = (pr.spec.workspaces ?? []).find((b) => b.name === (w.workspace ?? w.name));
    if (!source) continue; // optional pipeline workspace left unbound
    const subPath = [source.subPath, w.subPath].filter(Boolean).join('/');
    // A PipelineRun's volumeClaimTemplate is ONE PVC owned by the PipelineRun, shared by every
    // child (pipelinerun.go createPVCs / GetPVCName), not one claim per TaskRun.
    const bound: WorkspaceBinding = source.volumeClaimTemplate
      ? { name: source.name, persistentVolumeClaim: { claimName: pvcNameForTemplate(source, pr.metadata.uid!) } }
      : structuredClone(source);
    out.push({ ...bound, name: w.name, ...(subPath ? { subPath } : {}) });
  }
  return out;
}

/**
 * childTimeout (TEKTON-FACTS §8.5): pipelineTask timeout; else the applicable PipelineRun timeout
 * when it is 0 or longer than default-timeout-minutes; taskRunSpecs[].timeout overrides all.
 */
function childTimeout(c: ChildInput): string | undefined {
  const runSpec = (c.pr.spec.taskRunSpecs ?? []).find((s) => s.pipelineTaskName === c.pt.name);
  if (runSpec?.timeout) return runSpec.timeout;
  if (c.pt.timeout) return c.pt.timeout;
  const t = c.pr.spec.timeouts ?? {};
  const applicable = c.isFinally ? t.finally : t.tasks;
  const text = applicable ?? t.pipeline;
  if (text === undefined) return undefined;
  const d = parseGoDuration(text);
  if (!d.ok) return undefined;
  const def = c.config.defaults.defaultTimeoutMinutes * 60_000;
  return d.ms === 0 || d.ms > def ? formatGoDuration(d.ms) : undefined;
}
