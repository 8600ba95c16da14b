// canonical.ts: Go's case-insensitive JSON field matching, applied before the strict decode.
import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  out?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
}

const def = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

// Wrappers that do not change the shape of the data: look through them to the schema that does.
function unwrap(schema: z.ZodType): z.ZodType {
  for (let s = schema, i = 0; i < 32; i++) {
    const d = def(s);
    const next = d.type === 'pipe' ? d.out : d.type === 'lazy' ? d.getter?.() : d.innerType;
    if (!next) return s;
    s = next;
  }
  return schema;
}

/**
 * canonicalKeys renames keys to the schema's spelling when exactly one schema key matches
 * case-insensitively, as Go's encoding/json does (Tekton's own example writes `mountpath:`).
 */
export function canonicalKeys(value: unknown, schema: z.ZodType): unknown {
  const d = def(unwrap(schema));
  if (Array.isArray(value)) return d.type === 'array' && d.element ? value.map((v) => canonicalKeys(v, d.element!)) : value;
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  if (d.type === 'record' && d.valueType) {
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, canonicalKeys(v, d.valueType!)]));
  }
  if (d.type === 'union' && d.options) {
    const objectOption = d.options.find((o) => def(unwrap(o)).type === 'object');
    return objectOption ? canonicalKeys(value, objectOption) : value;
  }
  if (d.type !== 'object' || !d.shape) return value;
  const shape = d.shape;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    const name = k in shape ? k : soleFoldedMatch(k, Object.keys(shape), obj);
    out[name] = name in shape ? canonicalKeys(v, shape[name]) : v;
  }
  return out;
}

function soleFoldedMatch(key: string, names: string[], obj: Record<string, unknown>): string {
  const matches = names.filter((n) => n.toLowerCase() === key.toLowerCase());
  return matches.length === 1 && !(matches[0] in obj) ? matches[0] : key;
}
