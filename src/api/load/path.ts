// path.ts: FieldError path strings ('spec.steps[0].image', 'spec.params[foo]') to and from segments.

/** PathSegment is one step of a field path: a field name, a list index, or a `[key]`. */
export type PathSegment = { field: string } | { index: number } | { key: string };

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** formatPath renders a decoder path like knative's ViaField/ViaIndex/ViaKey would. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (IDENTIFIER.test(String(p))) out += out ? `.${String(p)}` : String(p);
    else out += `[${String(p)}]`;
  }
  return out;
}

/** parsePath splits a FieldError path; `[0]` is an index, `[name]` a map key or a list item's name. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[([^\]]*)\]/g)) {
    if (m[1] !== undefined) segments.push({ field: m[1] });
    else if (/^\d+$/.test(m[2])) segments.push({ index: Number(m[2]) });
    else segments.push({ key: m[2] });
  }
  return segments;
}
