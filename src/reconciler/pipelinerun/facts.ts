// facts.ts: small pieces of PipelineRun state shared by the run loop: result bookkeeping,
// onError handling, childReferences, the condition and timestamps.
import type { Artifact, ArtifactValue, Artifacts, PipelineRun, PipelineRunStatus, PipelineTask, TaskRun } from '../../api/index.ts';
import { findVariables } from '../../substitution/index.ts';
import { mergeArtifacts, setCondition } from '../taskrun/index.ts';
import { aggregateStatus, runsOf, taskStatus, type ResolvedPipelineTask } from './state.ts';
import { addTaskResults, emptyReplacements, type Replacements } from './variables.ts';

/** missingResult finds a `$(tasks.<t>.results.<r>)` left after substitution: the result was never produced. */
export function missingResult(pt: PipelineTask): { task: string; result: string } | undefined {
  const texts = JSON.stringify([pt.params, pt.matrix, pt.when, pt.taskSpec?.steps, pt.taskSpec?.sidecars]);
  for (const v of findVariables(texts)) {
    const m = /^tasks\.([^.]+)\.results\.([^.[\]]+)/.exec(v.expression);
    if (m) return { task: m[1], result: m[2] };
  }
  return undefined;
}

/** finallyStatusReplacements: `$(tasks.<t>.status)`, `$(tasks.<t>.reason)` and `$(tasks.status)` for finally tasks. */
export function finallyStatusReplacements(tasks: readonly ResolvedPipelineTask[]): Replacements {
  const r = emptyReplacements();
  for (const t of tasks) {
    r.strings.set(`tasks.${t.task.name}.status`, taskStatus(t));
    r.strings.set(`tasks.${t.task.name}.reason`, taskReason(t));
  }
  r.strings.set('tasks.status', aggregateStatus(tasks));
  return r;
}

/**
 * taskReason is ResolvedPipelineTask.getReason (pipelinerunresolution.go): the reason of the first
 * TaskRun that did not succeed (a matrix with one ignored failure gives FailureIgnored), else the
 * first's; "" when there is none (a skipped task).
 */
export function taskReason(t: ResolvedPipelineTask): string {
  const c = (run: TaskRun | PipelineRun | undefined) => run?.status?.conditions?.find((x) => x.type === 'Succeeded');
  const runs = runsOf(t);
  return c(runs.find((run) => c(run)?.status !== 'True') ?? runs[0])?.reason ?? '';
}

/** recordResults makes a finished task's results available as `$(tasks.<t>.results...)`, and its artifacts. */
export function recordResults(vars: Replacements, rpt: ResolvedPipelineTask): void {
  const prefix = rpt.isFinally ? 'finally' : 'tasks';
  recordArtifacts(vars, rpt);
  if (rpt.task.matrix) {
    // A matrixed task's string results aggregate into arrays, in combination order.
    const agg = new Map<string, string[]>();
    for (const tr of rpt.taskRuns) for (const r of tr.status?.results ?? []) if (typeof r.value === 'string') agg.set(r.name, [...(agg.get(r.name) ?? []), r.value]);
    addTaskResults(
      vars,
      rpt.task.name,
      [...agg].map(([n, value]) => ({ name: n, type: 'array', value })),
      prefix,
    );
    vars.strings.set(`tasks.${rpt.task.name}.matrix.length`, String(rpt.taskRuns.length));
    for (const [n, values] of agg) vars.strings.set(`tasks.${rpt.task.name}.matrix.${n}.length`, String(values.length));
    return;
  }
  addTaskResults(vars, rpt.task.name, rpt.taskRuns[0]?.status?.results ?? [], prefix);
}

/** childReferences lists every child TaskRun and child PipelineRun for status.childReferences. */
export function childReferences(all: readonly ResolvedPipelineTask[]): PipelineRunStatus['childReferences'] {
  const refs: NonNullable<PipelineRunStatus['childReferences']> = [];
  for (const t of all) {
    for (const run of runsOf(t)) {
      const ref: (typeof refs)[number] = { apiVersion: 'tekton.dev/v1', kind: run.kind, name: run.metadata.name!, pipelineTaskName: t.task.name };
      if (t.task.displayName) ref.displayName = t.task.displayName;
      if (t.task.when?.length) ref.whenExpressions = t.task.when;
      refs.push(ref);
    }
  }
  return refs.length ? refs : undefined;
}

/** setCond sets the Succeeded condition (setCondition: lastTransitionTime kept when nothing changed). */
export function setCond(pr: PipelineRun, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: Date): void {
  pr.status = setCondition(pr.status ?? {}, { status, reason, message }, now);
}

/**
 * recordArtifacts is PropagateArtifacts' table (pkg/reconciler/pipelinerun/resources/apply.go):
 * `$(tasks.<t>.inputs|outputs.<name>)` is the JSON of that artifact's values, and
 * `$(tasks.<t>.inputs|outputs)` the first one's; a matrixed task's TaskRuns merge (GetTaskRunsArtifacts).
 */
export function recordArtifacts(vars: Replacements, rpt: ResolvedPipelineTask): void {
  const runs = rpt.taskRuns.map((tr) => tr.status?.artifacts);
  const artifacts: Artifacts | undefined = rpt.task.matrix ? runs.reduce<Artifacts>((a, b) => mergeArtifacts(a, b), {}) : runs[0];
  if (!artifacts) return;
  for (const kind of ['inputs', 'outputs'] as const) {
    (artifacts[kind] ?? []).forEach((a: Artifact, i: number) => {
      const json = artifactValuesJSON(a.values);
      vars.strings.set(`tasks.${rpt.task.name}.${kind}.${a.name ?? ''}`, json);
      if (i === 0) vars.strings.set(`tasks.${rpt.task.name}.${kind}`, json);
    });
  }
}

/** artifactValuesJSON marshals values as Go does: digest (keys sorted) before uri, empty fields left out, nil as null. */
export function artifactValuesJSON(values: ArtifactValue[] | undefined): string {
  if (!values) return 'null';
  // encoding/json escapes HTML characters and line separators.
  const escapeChar = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return JSON.stringify(
    values.map((v) => {
      const out: { digest?: Record<string, string>; uri?: string } = {};
      const keys = Object.keys(v.digest ?? {}).sort();
      if (keys.length) out.digest = Object.fromEntries(keys.map((k) => [k, v.digest![k]]));
      if (v.uri) out.uri = v.uri;
      return out;
    }),
  ).replace(/[<>&\u2028\u2029]/g, escapeChar);
}
