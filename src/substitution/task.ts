// task.ts: every substitution the TaskRun reconciler applies to a TaskSpec before building the Pod,
// in Tekton's order (pkg/reconciler/taskrun/taskrun.go applyParamsContextsResultsAndWorkspaces,
// then ApplyCredentialsPath): params → context → results paths → artifacts → exitCode paths →
// workspaces → credentials. A value inserted by one pass is expanded by the later passes.
import type { Param, Sidecar, Step, TaskSpec } from '../api/index.ts';
import { paramReplacements } from './params.ts';
import { applyToSidecar, applyToStep, applyToTaskSpec, type Replacements } from './task-fields.ts';

/** ResolvedWorkspace is what `$(workspaces.<name>.*)` expands to for one workspace. */
export interface ResolvedWorkspace {
  name: string;
  /** path is the mount path, or "" for an optional workspace that is not bound. */
  path: string;
  bound: boolean;
  /** claim is the PersistentVolumeClaim name, or "" when bound to another volume type. */
  claim: string;
  /** volume is the pod volume name (`ws-xxxxx`), or "" when unbound. */
  volume: string;
}

/** TaskSubstitutionInput is what the substitutions of one TaskRun attempt need. */
export interface TaskSubstitutionInput {
  params: Param[];
  taskRun: { name: string; namespace: string; uid: string };
  /** taskName is the Task's name for taskRef, the TaskRun's name for an inline taskSpec. */
  taskName: string;
  retryCount: number;
  workspaces: ResolvedWorkspace[];
}

const STEPS_DIR = '/tekton/steps';
const CREDS_DIR = '/tekton/creds';

/**
 * applyTaskSubstitutions returns a new TaskSpec with every $(...) Tekton substitutes replaced in
 * exactly the fields it substitutes (TEKTON-FACTS §5.3), in Tekton's order.
 */
export function applyTaskSubstitutions(spec: TaskSpec, input: TaskSubstitutionInput): TaskSpec {
  let ts = applyToTaskSpec(spec, paramReplacements(spec.params, input.params)); // the copy the caller owns
  // A pass can only change text holding `$(`: once none is left (most specs after params), the
  // remaining passes would each copy the spec for nothing.
  const pass = (f: (t: TaskSpec) => TaskSpec) => {
    if (mentionsVariable(ts)) ts = f(ts);
  };
  pass((t) => applyToTaskSpec(t, strings(contextValues(input))));
  pass((t) => mapSteps(t, (s, i) => applyToStep(s, strings(stepResultPaths(s, i)))));
  pass((t) => applyToTaskSpec(t, strings(taskResultPaths(t))));
  pass((t) => mapSteps(t, (s, i) => applyToStep(s, strings(artifactPaths(s, i)))));
  pass((t) => applyToTaskSpec(t, strings(exitCodePaths(t))));
  ts = declareWorkspaces(ts, input.workspaces);
  pass((t) => applyWorkspaces(t, input.workspaces));
  pass((t) => applyToTaskSpec(t, strings([['credentials.path', CREDS_DIR]])));
  return ts;
}

/** mentionsVariable tells whether any string in v holds `$(`. */
function mentionsVariable(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('$(');
  if (Array.isArray(v)) return v.some(mentionsVariable);
  if (v && typeof v === 'object') {
    for (const k in v) if (mentionsVariable((v as Record<string, unknown>)[k])) return true;
  }
  return false;
}

/** stepName is Tekton's pod.StepName: `step-<name>` or `step-unnamed-<i>`. */
export function stepName(name: string | undefined, i: number): string {
  return name ? `step-${name}` : `step-unnamed-${i}`;
}

function contextValues(input: TaskSubstitutionInput): [string, string][] {
  return [
    ['context.taskRun.name', input.taskRun.name],
    ['context.task.name', input.taskName],
    ['context.taskRun.namespace', input.taskRun.namespace],
    ['context.taskRun.uid', input.taskRun.uid],
    ['context.task.retry-count', String(input.retryCount)],
  ];
}

function stepResultPaths(step: Step, i: number): [string, string][] {
  return (step.results ?? []).flatMap((r) => {
    const path = `${STEPS_DIR}/${stepName(step.name, i)}/results/${r.name}`;
    return resultForms('step.results', r.name).map((k): [string, string] => [k, path]);
  });
}

function taskResultPaths(spec: TaskSpec): [string, string][] {
  return (spec.results ?? []).flatMap((r) => resultForms('results', r.name).map((k): [string, string] => [k, `/tekton/results/${r.name}`]));
}

function resultForms(prefix: string, name: string): string[] {
  return [`${prefix}.${name}.path`, `${prefix}[${JSON.stringify(name)}].path`, `${prefix}['${name}'].path`];
}

function artifactPaths(step: Step, i: number): [string, string][] {
  return [
    ['step.artifacts.path', `${STEPS_DIR}/${stepName(step.name, i)}/artifacts/provenance.json`],
    ['artifacts.path', '/tekton/artifacts/provenance.json'],
  ];
}

function exitCodePaths(spec: TaskSpec): [string, string][] {
  return (spec.steps ?? []).map((s, i) => [`steps.${stepName(s.name, i)}.exitCode.path`, `${STEPS_DIR}/${stepName(s.name, i)}/exitCode`]);
}

// ApplyWorkspaces: bound/path per declaration (a step's or sidecar's own mountPath wins inside that
// container), volume and claim per binding. Bound-but-undeclared workspaces are declared first.
function declareWorkspaces(spec: TaskSpec, workspaces: ResolvedWorkspace[]): TaskSpec {
  const declared = new Set((spec.workspaces ?? []).map((w) => w.name));
  const added = workspaces.filter((w) => !declared.has(w.name) && w.volume !== '').map((w) => ({ name: w.name }));
  return added.length ? { ...spec, workspaces: [...(spec.workspaces ?? []), ...added] } : spec;
}

function applyWorkspaces(spec: TaskSpec, workspaces: ResolvedWorkspace[]): TaskSpec {
  let ts = spec;
  const values: [string, string][] = [];
  for (const w of workspaces) {
    const key = `workspaces.${w.name}.path`;
    values.push([`workspaces.${w.name}.bound`, String(w.bound)]);
    if (w.bound) ts = applyOwnMountPaths(ts, w.name, key);
    values.push([key, w.bound ? declaredPath(ts, w) : '']);
    if (w.volume !== '') values.push([`workspaces.${w.name}.volume`, w.volume], [`workspaces.${w.name}.claim`, w.claim]);
  }
  return applyToTaskSpec(ts, strings(values));
}

// The declaration's mountPath after param substitution; /workspace/<name> by default.
function declaredPath(spec: TaskSpec, w: ResolvedWorkspace): string {
  const decl = spec.workspaces?.find((d) => d.name === w.name);
  return decl?.mountPath || (decl ? `/workspace/${w.name}` : w.path);
}

function applyOwnMountPaths(spec: TaskSpec, name: string, key: string): TaskSpec {
  const own = (c: Step | Sidecar) => c.workspaces?.find((u) => u.name === name && u.mountPath)?.mountPath;
  const steps = spec.steps?.map((s) => {
    const p = own(s);
    return p ? applyToStep(s, strings([[key, p]])) : s;
  });
  const sidecars = spec.sidecars?.map((s) => {
    const p = own(s);
    return p ? applyToSidecar(s, strings([[key, p]])) : s;
  });
  return { ...spec, ...(steps && { steps }), ...(sidecars && { sidecars }) };
}

function mapSteps(spec: TaskSpec, f: (s: Step, i: number) => Step): TaskSpec {
  return spec.steps ? { ...spec, steps: spec.steps.map(f) } : spec;
}

function strings(entries: [string, string][]): Replacements {
  return { strings: new Map(entries), arrays: new Map() };
}
