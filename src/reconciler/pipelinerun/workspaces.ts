// workspaces.ts: the PipelineRun's workspaces seen by its PipelineTasks: `$(workspaces.<w>.bound)`
// (pkg/reconciler/pipelinerun/resources/apply.go ApplyWorkspaces) and workspaces propagated into
// inline taskSpecs (pipelinerun.go propagateWorkspaces, TEP-0111).
import type { PipelineRun, PipelineSpec, PipelineTask, Step, StepTemplate, Sidecar } from '../../api/index.ts';
import { findVariables, parseReference } from '../../substitution/index.ts';
import { applyToPipelineTask, emptyReplacements } from './variables.ts';

/**
 * applyWorkspacesBound replaces `$(workspaces.<w>.bound)` in a PipelineTask's params, matrix,
 * when, ... with "true" for a workspace the PipelineRun binds and "false" for one the Pipeline
 * declares but the run leaves unbound. An inline taskSpec is left alone: there the names are the
 * Task's own workspaces, substituted when its TaskRun runs.
 */
export function applyWorkspacesBound(pt: PipelineTask, spec: PipelineSpec, pr: PipelineRun): PipelineTask {
  return workspacesBound(spec, pr)(pt);
}

/** workspacesBound is applyWorkspacesBound for every PipelineTask of one run (the table built once). */
export function workspacesBound(spec: PipelineSpec, pr: PipelineRun): (pt: PipelineTask) => PipelineTask {
  const r = emptyReplacements();
  for (const d of spec.workspaces ?? []) r.strings.set(`workspaces.${d.name}.bound`, 'false');
  for (const b of pr.spec.workspaces ?? []) r.strings.set(`workspaces.${b.name}.bound`, 'true');
  if (r.strings.size === 0) return (pt) => pt;
  return (pt) => {
    const { taskSpec, ...rest } = pt;
    const out = applyToPipelineTask(rest, r);
    return taskSpec ? { ...out, taskSpec } : out;
  };
}

/**
 * propagateWorkspaces adds a binding `{name: w}` (mapped to the Pipeline workspace of the same
 * name) for every workspace an inline taskSpec references in its steps, sidecars or stepTemplate
 * that the PipelineTask does not bind itself (workspace.FindWorkspacesUsedByTask).
 */
export function propagateWorkspaces(pt: PipelineTask): PipelineTask {
  const ts = pt.taskSpec;
  if (!ts) return pt;
  const bound = new Set((pt.workspaces ?? []).map((w) => w.name));
  const used = workspacesUsedByTask(ts.steps ?? [], ts.sidecars ?? [], ts.stepTemplate);
  const added = [...used].filter((w) => !bound.has(w)).sort();
  if (added.length === 0) return pt;
  return { ...pt, workspaces: [...(pt.workspaces ?? []), ...added.map((name) => ({ name }))] };
}

/** workspacesUsedByTask is the set of `<w>` in `$(workspaces.<w>...)` where Tekton looks for them. */
function workspacesUsedByTask(steps: Step[], sidecars: Sidecar[], template: StepTemplate | undefined): Set<string> {
  const texts: string[] = [];
  const container = (c: { args?: string[]; command?: string[]; workingDir?: string; env?: { value?: string }[] }) => {
    texts.push(...(c.args ?? []), ...(c.command ?? []), c.workingDir ?? '', ...(c.env ?? []).map((e) => e.value ?? ''));
  };
  for (const s of steps) {
    container(s);
    texts.push(s.script ?? '');
    for (const p of s.params ?? []) texts.push(...paramStrings(p.value));
  }
  for (const s of sidecars) {
    container(s);
    texts.push(s.script ?? '');
  }
  if (template) container(template);
  const used = new Set<string>();
  for (const text of texts) {
    for (const v of findVariables(text)) {
      const ref = parseReference(v.expression);
      if (ref?.prefix === 'workspaces') used.add(ref.name);
    }
  }
  return used;
}

function paramStrings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (v && typeof v === 'object') return Object.values(v).filter((x): x is string => typeof x === 'string');
  return [];
}
