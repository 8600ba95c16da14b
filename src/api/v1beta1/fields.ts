// fields.ts: small immutable helpers for renaming and rewriting fields of decoded objects.

/** Obj is a decoded JSON object. */
export type Obj = Record<string, unknown>;

/** renameFields returns a copy with keys renamed in place (order kept) and the `drop` keys removed. */
export function renameFields(obj: Obj, renames: Record<string, string>, drop: readonly string[] = []): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(obj)) {
    if (!drop.includes(k)) out[renames[k] ?? k] = v;
  }
  return out;
}

/** mapField returns a copy with obj[key] replaced by fn(obj[key]) when the field is present. */
export function mapField(obj: Obj, key: string, fn: (v: Obj) => Obj): Obj {
  const v = obj[key];
  return v && typeof v === 'object' && !Array.isArray(v) ? { ...obj, [key]: fn(v as Obj) } : obj;
}

/** mapItems returns a copy with every item of the list obj[key] replaced by fn(item, index). */
export function mapItems(obj: Obj, key: string, fn: (v: Obj, i: number) => Obj): Obj {
  const v = obj[key];
  return Array.isArray(v) ? { ...obj, [key]: v.map((x, i) => fn(x as Obj, i)) } : obj;
}

/** withoutUndefined drops keys whose value is undefined (so printed objects stay minimal). */
export function withoutUndefined(obj: Obj): Obj {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined));
}
