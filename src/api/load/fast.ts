// fast.ts: the fast path for YAML values — js-yaml with go-yaml v2's scalar rules (goyaml.ts) —
// used when a file has nothing that could read differently; positions come later, lazily.
import { FAILSAFE_SCHEMA, Type, loadAll } from 'js-yaml';
import { decodeBinary, resolvePlain, resolveTagged } from './goyaml.ts';

// Why: the `yaml` package's generator-based parser costs ~600 ms of CPU cold on a 500 KiB
// Pipeline (issue 4 item 8), js-yaml ~100 ms. Values must stay those Kubernetes reads (go-yaml
// v2: `on` → true, `0777` → 511, `.` and dates stay strings), so the implicit scalar types use
// goyaml.ts, the same resolver the full path gives `yaml` (yaml11.ts), not js-yaml's 1.2 ones.
function goYamlSchema() {
  // Order matters for implicit resolution (an int is not a float); `!!float 1` reaches float by tag.
  const implicit = (['null', 'bool', 'int', 'float'] as const).map(
    (name) =>
      new Type(`tag:yaml.org,2002:${name}`, {
        kind: 'scalar',
        resolve: (data: string | null) => {
          const tag = resolvePlain(data ?? '').tag;
          return tag === name || (name === 'float' && tag === 'int');
        },
        construct: (data: string | null) => resolvePlain(data ?? '').value,
      }),
  );
  // `!!timestamp 2024-01-02` stays a string, as go-yaml keeps the text when decoding into interface{}.
  const timestamp = new Type('tag:yaml.org,2002:timestamp', { kind: 'scalar', resolve: (data: string | null) => 'value' in resolveTagged('timestamp', data ?? '') });
  const binary = new Type('tag:yaml.org,2002:binary', {
    kind: 'scalar',
    resolve: (data: string | null) => 'value' in decodeBinary(data ?? ''),
    construct: (data: string | null) => (decodeBinary(data ?? '') as { value: string }).value,
  });
  // `<<` stays a plain key here: goyaml.ts merges it afterwards, in go-yaml v2's order.
  return FAILSAFE_SCHEMA.extend({ implicit, explicit: [timestamp, binary] });
}

let schema: ReturnType<typeof goYamlSchema> | undefined;

// Files the fast path leaves to `yaml`, because the two would read them differently. Each check
// may also match harmless text (a glob like `*.txt` in a script): such files only take the slower path.
const NOT_FAST: readonly RegExp[] = [
  // directives: `%YAML 1.2` would change the schema.
  /^%/m,
  // aliases: `yaml` caps their expansion at 1000, js-yaml shares them unbounded.
  /(?:^|[\s[{,])\*[^\s,[\]{}]/m,
  // keys that are not scalars (`? ` explicit keys, `[a, b]: c`): `yaml` writes them as flow YAML.
  /(?:^|[\s[{,])\?(?:[ \t]|$)/m,
  /[\]}][ \t]*:(?:[ \t]|$)/m,
  // null keys (`~:`, `null:`, an empty key): `yaml` names them '', js-yaml 'null'.
  /(?:^[ \t]*(?:-[ \t]+)*|[[{,][ \t]*)(?:~|null|Null|NULL)?[ \t]*:(?:[ \t]|$)/m,
  // lines over 1024 characters: `yaml` (like go-yaml) rejects implicit keys that long, js-yaml does not.
  /^[^\n]{1025}/m,
];

/**
 * fastValues returns the value of every document of a file, as `yaml` (version 1.1, toJS) would,
 * or undefined when the file must take the full path (errors, directives, aliases, odd keys).
 */
export function fastValues(text: string): unknown[] | undefined {
  if (NOT_FAST.some((re) => re.test(text))) return undefined;
  schema ??= goYamlSchema();
  // js-yaml only warns about flow collections and quoted scalars indented less than their
  // parent, which `yaml` rejects (BAD_INDENT): leave those files to `yaml` and its message.
  let warned = false;
  try {
    const values = loadAll(text, undefined, { schema, onWarning: () => (warned = true) });
    return warned ? undefined : values;
  } catch {
    // js-yaml throws a YAMLException on malformed input: `yaml` then reports it with its messages.
    return undefined;
  }
}
