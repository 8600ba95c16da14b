// selector.ts: Kubernetes label selectors in their string form (k8s.io/apimachinery/pkg/labels/selector.go):
// `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a` (exists), `!a` (does not exist), joined by commas.

type Requirement = { key: string; op: 'in' | 'notin'; values: string[] } | { key: string; op: 'exists' | '!exists' };

/** LabelSelector is a parsed selector: matches(labels) or a parse error. */
export type LabelSelector = { ok: true; matches: (labels: Record<string, string> | undefined) => boolean } | { ok: false; message: string };

/** parseLabelSelector parses the string form; an empty string selects everything. */
export function parseLabelSelector(text: string | undefined): LabelSelector {
  const reqs: Requirement[] = [];
  for (const part of splitTopLevel(text ?? '')) {
    const r = parseRequirement(part.trim());
    if (typeof r === 'string') return { ok: false, message: `unable to parse requirement: ${r}` };
    reqs.push(r);
  }
  return { ok: true, matches: (labels) => reqs.every((r) => matches(r, labels ?? {})) };
}

function matches(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  switch (r.op) {
    case 'exists':
      return has;
    case '!exists':
      return !has;
    case 'in':
      return has && r.values.includes(labels[r.key]);
    case 'notin':
      return !has || !r.values.includes(labels[r.key]);
  }
}

const keyPattern = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

function parseRequirement(s: string): Requirement | string {
  let m = /^!\s*(\S+)$/.exec(s);
  if (m) return keyPattern.test(m[1]) ? { key: m[1], op: '!exists' } : `invalid label key "${m[1]}"`;
  m = /^(\S+?)\s*(==|!=|=)\s*(\S*)$/.exec(s);
  if (m) {
    const [, key, op, value] = m;
    if (!keyPattern.test(key)) return `invalid label key "${key}"`;
    if (!valuePattern.test(value)) return `invalid label value "${value}"`;
    return { key, op: op === '!=' ? 'notin' : 'in', values: [value] };
  }
  m = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(s);
  if (m) {
    const values = m[3].split(',').map((v) => v.trim());
    if (!keyPattern.test(m[1])) return `invalid label key "${m[1]}"`;
    const bad = values.find((v) => !valuePattern.test(v));
    if (bad !== undefined) return `invalid label value "${bad}"`;
    return { key: m[1], op: m[2] as 'in' | 'notin', values };
  }
  if (keyPattern.test(s)) return { key: s, op: 'exists' };
  return `"${s}"`;
}

/** splitTopLevel splits at commas outside parentheses; empty parts are dropped. */
function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.filter((p) => p.trim() !== '');
}
