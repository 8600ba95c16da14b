// json.ts: objects are JSON documents; these copy and compare them with JSON's own meaning
// (what JSON.stringify would write) without writing the text: a walk is several times cheaper than
// a stringify and a parse, and allocates nothing to compare.

type Json = Record<string, unknown> | unknown[];

/** skipped: what JSON.stringify leaves out of an object (and writes as null in an array). */
const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/** scalar is a primitive as JSON reads it back: non-finite numbers are null, -0 is 0. */
function scalar(v: unknown): unknown {
  if (typeof v === 'number') return Number.isFinite(v) ? v + 0 : null;
  if (typeof v === 'bigint') throw new TypeError('Do not know how to serialize a BigInt');
  return v;
}

function walk(v: unknown, freeze: boolean): unknown {
  if (typeof v !== 'object' || v === null) return scalar(v);
  // A frozen object is the store's own (or a cache's deep-frozen copy of it): already JSON, never
  // changed, so it is shared instead of copied (an updateStatus copies metadata and status only).
  if (freeze && Object.isFrozen(v)) return v;
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return walk((v as { toJSON(): unknown }).toJSON(), freeze);
  let out: Json;
  if (Array.isArray(v)) {
    out = new Array(v.length);
    for (let i = 0; i < v.length; i++) out[i] = skipped(v[i]) ? null : walk(v[i], freeze);
  } else {
    out = {};
    for (const k of Object.keys(v)) {
      const x = (v as Record<string, unknown>)[k];
      if (!skipped(x)) out[k] = walk(x, freeze);
    }
  }
  return freeze ? Object.freeze(out) : out;
}

/** jsonCopy is a deep copy with JSON's meaning: JSON.parse(JSON.stringify(v)), without the text. */
export function jsonCopy<T>(v: T): T {
  return walk(v, false) as T;
}

/**
 * frozenCopy is jsonCopy deep-frozen, for objects shared by every reader (the store's own copy,
 * its watch events, what a write returns). Frozen parts of v are shared, not copied.
 */
export function frozenCopy<T>(v: T): T {
  return walk(v, true) as T;
}

/** jsonEqual tells whether a and b are the same JSON document (object keys in any order). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'object' && a !== null && typeof (a as { toJSON?: unknown }).toJSON === 'function') return jsonEqual((a as { toJSON(): unknown }).toJSON(), b);
  if (typeof b === 'object' && b !== null && typeof (b as { toJSON?: unknown }).toJSON === 'function') return jsonEqual(a, (b as { toJSON(): unknown }).toJSON());
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return skipped(a) || skipped(b) ? skipped(a) && skipped(b) : scalar(a) === scalar(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) {
      if (!jsonEqual(skipped(a[i]) ? null : a[i], skipped(b[i]) ? null : b[i])) return false;
    }
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let keys = 0;
  for (const k of Object.keys(x)) {
    if (skipped(x[k])) continue;
    keys++;
    if (!Object.hasOwn(y, k) || !jsonEqual(x[k], y[k])) return false;
  }
  for (const k of Object.keys(y)) if (!skipped(y[k])) keys--;
  return keys === 0;
}

/** deepFreeze freezes an object and everything it holds (what is already frozen is skipped). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
