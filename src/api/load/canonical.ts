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

// What canonicalKeys needs of a schema, worked out once per schema (a 1000-task Pipeline has
// tens of thousands of objects and only a few hundred schemas).
type Shape =
  | { kind: 'array'; element: z.ZodType }
  | { kind: 'record'; value: z.ZodType }
  | { kind: 'object'; fields: Record<string, z.ZodType>; folded: Map<string, string[]> }
  | { kind: 'other' };

const shapes = new WeakMap<z.ZodType, Shape>();

function shapeOf(schema: z.ZodType): Shape {
  let shape = shapes.get(schema);
  if (!shape) {
    shape = describe(schema);
    shapes.set(schema, shape);
  }
  return shape;
}

function describe(schema: z.ZodType): Shape {
  const d = def(unwrap(schema));
  if (d.type === 'array' && d.element) return { kind: 'array', element: d.element };
  if (d.type === 'record' && d.valueType) return { kind: 'record', value: d.valueType };
  if (d.type === 'union' && d.options) {
    const objectOption = d.options.find((o) => def(unwrap(o)).type === 'object');
    return objectOption ? shapeOf(objectOption) : { kind: 'other' };
  }
  if (d.type !== 'object' || !d.shape) return { kind: 'other' };
  const folded = new Map<string, string[]>();
  for (const name of Object.keys(d.shape)) folded.set(name.toLowerCase(), [...(folded.get(name.toLowerCase()) ?? []), name]);
  return { kind: 'object', fields: d.shape, folded };
}

/**
 * canonicalKeys renames keys to the schema's spelling when exactly one schema key matches
 * case-insensitively, as Go's encoding/json does (Tekton's own example writes `mountpath:`).
 */
export function canonicalKeys(value: unknown, schema: z.ZodType): unknown {
  if (value === null || typeof value !== 'object') return value;
  const shape = shapeOf(schema);
  if (Array.isArray(value)) return shape.kind === 'array' ? value.map((v) => canonicalKeys(v, shape.element)) : value;
  const obj = value as Record<string, unknown>;
  if (shape.kind === 'record') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(obj)) setKey(out, k, canonicalKeys(obj[k], shape.value));
    return out;
  }
  if (shape.kind !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    const name = Object.hasOwn(shape.fields, k) ? k : soleFoldedMatch(k, shape.folded, obj);
    setKey(out, name, Object.hasOwn(shape.fields, name) ? canonicalKeys(obj[k], shape.fields[name]) : obj[k]);
  }
  return out;
}

// A plain assignment of `__proto__` would set the prototype instead of a key zod then reports.
function setKey(out: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  else out[key] = value;
}

function soleFoldedMatch(key: string, folded: Map<string, string[]>, obj: Record<string, unknown>): string {
  const matches = folded.get(key.toLowerCase()) ?? [];
  return matches.length === 1 && !Object.hasOwn(obj, matches[0]) ? matches[0] : key;
}
