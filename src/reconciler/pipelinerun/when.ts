// when.ts: evaluating substituted when expressions (when_types.go: AllowsExecution).
import type { WhenExpression } from '../../api/index.ts';
import { findVariables } from '../../substitution/index.ts';

/** WhenOutcome: run, skip, or an unresolved reference (a result that was never produced). */
export type WhenOutcome = { allowed: true } | { allowed: false } | { unresolved: string };

/**
 * evaluateWhen ANDs the expressions: `in` holds when input is among values, `notin` when not.
 * CEL entries are not evaluated here (validation gates them); a leftover `$(tasks...)` means a
 * result is missing.
 */
export function evaluateWhen(whens: readonly WhenExpression[] | undefined): WhenOutcome {
  for (const w of whens ?? []) {
    const leftover = [w.input ?? '', ...(w.values ?? [])].flatMap((t) => findVariables(t)).find((v) => v.expression.startsWith('tasks.'));
    if (leftover) return { unresolved: leftover.text };
    if (w.cel !== undefined) {
      const verdict = evaluateSimpleCel(w.cel);
      if (verdict === undefined) return { unresolved: w.cel };
      if (!verdict) return { allowed: false };
      continue;
    }
    const found = (w.values ?? []).includes(w.input ?? '');
    if ((w.operator === 'in') !== found) return { allowed: false };
  }
  return { allowed: true };
}

/**
 * evaluateSimpleCel handles the CEL forms Tekton's examples use after substitution:
 * `'a' == 'b'`, `'a' != 'b'`, `'a' in ['x','y']`, joined by && / ||. Anything else is undefined.
 */
export function evaluateSimpleCel(expr: string): boolean | undefined {
  const or = splitTop(expr, '||');
  if (or.length > 1) {
    const vs = or.map(evaluateSimpleCel);
    return vs.some((v) => v === undefined) ? undefined : vs.some(Boolean);
  }
  const and = splitTop(expr, '&&');
  if (and.length > 1) {
    const vs = and.map(evaluateSimpleCel);
    return vs.some((v) => v === undefined) ? undefined : vs.every(Boolean);
  }
  const s = expr.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  const str = `'((?:[^'\\\\]|\\\\.)*)'|"((?:[^"\\\\]|\\\\.)*)"`;
  const cmp = new RegExp(`^(?:${str})\\s*(==|!=)\\s*(?:${str})$`).exec(s);
  if (cmp) {
    const a = cmp[1] ?? cmp[2];
    const b = cmp[4] ?? cmp[5];
    return cmp[3] === '==' ? a === b : a !== b;
  }
  const inList = new RegExp(`^(?:${str})\\s+in\\s+\\[(.*)\\]$`).exec(s);
  if (inList) {
    const item = inList[1] ?? inList[2];
    const items = [...inList[3].matchAll(new RegExp(str, 'g'))].map((m) => m[1] ?? m[2]);
    return items.includes(item);
  }
  return undefined;
}

function splitTop(s: string, op: string): string[] {
  const parts: string[] = [];
  let quote = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) { if (c === quote && s[i - 1] !== '\\') quote = ''; continue; }
    if (c === "'" || c === '"') quote = c;
    else if (s.startsWith(op, i)) { parts.push(s.slice(start, i)); start = i + op.length; i += op.length - 1; }
  }
  parts.push(s.slice(start));
  return parts;
}
