// results.ts: Pipeline results (pipelinerun resources/apply.go ApplyTaskResultsToPipelineResults):
// omitted when the referenced task did not succeed, an error when a successful task lacks them.
import type { PipelineResult, ParamValue } from '../../api/index.ts';
import { findVariables, parseReference } from '../../substitution/index.ts';
import { taskStatus, type ResolvedPipelineTask } from './state.ts';
import { applyToValue, type Replacements } from './variables.ts';

/** pipelineResults computes status.results, or Tekton's CouldntGetPipelineResult message. */
export function pipelineResults(
  results: readonly PipelineResult[],
  byName: ReadonlyMap<string, ResolvedPipelineTask>,
  vars: Replacements,
): { results: { name: string; value: ParamValue }[] } | { error: string } {
  const out: { name: string; value: ParamValue }[] = [];
  const invalid: string[] = [];
  for (const r of results) {
    const texts = typeof r.value === 'string' ? [r.value] : Array.isArray(r.value) ? r.value : Object.values(r.value);
    const refs = texts
      .flatMap((t) => findVariables(t))
      .map((v) => parseReference(v.expression))
      .filter((x) => (x?.prefix === 'tasks' || x?.prefix === 'finally') && x.rest[0] === 'results');
    if (refs.some((x) => taskStatus(byName.get(x!.name)!) !== 'Succeeded')) continue;
    const value = applyToValue(r.value, vars);
    const left = (typeof value === 'string' ? [value] : Array.isArray(value) ? value : Object.values(value)).some((t) =>
      findVariables(t).some((v) => /^(tasks|finally)\./.test(v.expression)),
    );
    if (left) invalid.push(r.name);
    else out.push({ name: r.name, value });
  }
  if (invalid.length) return { error: `invalid pipelineresults [${invalid.join(' ')}], the referenced results don't exist` };
  return { results: out };
}
