// replace.ts: Tekton's replacement engine (pkg/substitution/substitution.go): `$(key)` → value in
// one pass like Go's strings.NewReplacer, and whole-item array expansion.

/** StringReplacements maps a variable key (`params.foo`, without `$(` `)`) to its text. */
export type StringReplacements = ReadonlyMap<string, string>;
/** ArrayReplacements maps a variable key (`params.arr`) to the list it expands into. */
export type ArrayReplacements = ReadonlyMap<string, readonly string[]>;

/**
 * replaceVariables replaces every `$(key)` whose key is in values, in a single left-to-right pass:
 * replaced text is never scanned again (Tekton issue #2093) and unknown `$(...)` stay as they are.
 * Keys never contain `)`, so the only candidate at a `$(` is the text up to the next `)`.
 */
export function replaceVariables(text: string, values: StringReplacements): string {
  if (!text.includes('$(')) return text; // (no size check: values may be a layered view, whose size is a count)
  let out = '';
  let i = 0;
  for (;;) {
    const start = text.indexOf('$(', i);
    if (start < 0) break;
    const end = text.indexOf(')', start + 2);
    if (end < 0) break;
    const value = values.get(text.slice(start + 2, end));
    if (value === undefined) {
      out += text.slice(i, start + 1);
      i = start + 1;
      continue;
    }
    out += text.slice(i, start) + value;
    i = end + 1;
  }
  return out + text.slice(i);
}

/**
 * applyArrayReplacements expands one list item: an item that is exactly `$(key)` or `$(key[*])` for
 * an array key becomes that array's items; anything else is one item with string replacements.
 */
export function applyArrayReplacements(item: string, strings: StringReplacements, arrays: ArrayReplacements): string[] {
  if (item.startsWith('$(') && item.endsWith(')')) {
    const key = item.slice(2, -1);
    const whole = arrays.get(key) ?? (key.endsWith('[*]') ? arrays.get(key.slice(0, -3)) : undefined);
    if (whole) return [...whole];
  }
  return [replaceVariables(item, strings)];
}

/** expandList applies applyArrayReplacements to every item of an optional list (command, args, values). */
export function expandList(list: string[] | undefined, strings: StringReplacements, arrays: ArrayReplacements): string[] | undefined {
  return list?.flatMap((item) => applyArrayReplacements(item, strings, arrays));
}
