// matrix.ts: fanning a PipelineTask out over matrix combinations (matrix_types.go FanOut).
import type { Matrix } from '../../api/index.ts';

/** Combination is one set of matrix params for one child TaskRun. */
export type Combination = { name: string; value: string }[];

/**
 * matrixCombinations: the first param varies fastest (for each next param, its values are the
 * outer loop); includes merge into matching combinations or add new ones (TEKTON-FACTS §8.7).
 */
export function matrixCombinations(m: Matrix): Combination[] {
  let combos: Combination[] = [];
  for (const p of m.params ?? []) {
    const values = Array.isArray(p.value) ? p.value : [String(p.value)];
    if (!combos.length) {
      combos = values.map((v) => [{ name: p.name, value: v }]);
      continue;
    }
    const next: Combination[] = [];
    for (const v of values) for (const c of combos) next.push([...c, { name: p.name, value: v }]);
    combos = next;
  }
  const matrixNames = new Set((m.params ?? []).map((p) => p.name));
  for (const inc of m.include ?? []) {
    const incParams = (inc.params ?? []).map((p) => ({ name: p.name, value: String(p.value) }));
    if (!matrixNames.size) {
      combos.push(incParams);
      continue;
    }
    const overlapping = incParams.filter((p) => matrixNames.has(p.name));
    const extra = incParams.filter((p) => !matrixNames.has(p.name));
    const matches = combos.filter((c) => overlapping.every((o) => c.some((x) => x.name === o.name && x.value === o.value)));
    if (matches.length && overlapping.length) for (const c of matches) c.push(...extra.filter((e) => !c.some((x) => x.name === e.name)));
    else if (!overlapping.length) for (const c of combos) c.push(...extra.filter((e) => !c.some((x) => x.name === e.name)));
    else combos.push(incParams);
  }
  return combos;
}

/** hasEmptyMatrixParam: a matrix param with an empty array skips the task. */
export function hasEmptyMatrixParam(m: Matrix | undefined): boolean {
  return (m?.params ?? []).some((p) => Array.isArray(p.value) && p.value.length === 0);
}
