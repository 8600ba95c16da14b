// fast.ts: the fast path for YAML values — js-yaml with the `yaml` package's own YAML 1.1 scalar
// rules — used when a file has nothing that could read differently; positions come later, lazily.
import { FAILSAFE_SCHEMA, Type, loadAll } from 'js-yaml';
import { Document, isScalar } from 'yaml';
import { customTags } from './yaml11.ts';

// Why: the `yaml` package's generator-based parser costs ~600 ms of CPU cold on a 500 KiB
// Pipeline (issue 4 item 8), js-yaml ~100 ms. Values must stay those of `yaml` with version
// 1.1 (what Kubernetes' go-yaml v2 reads: `on` → true, `0777` → 511, dates stay strings), so the
// implicit scalar types are built from `yaml`'s own 1.1 tags, in its order, not js-yaml's 1.2 ones.
interface YamlTag {
  tag: string;
  default?: boolean | 'key';
  test?: RegExp;
  collection?: string;
  resolve?: (value: string, onError: (message: string) => void, options: { intAsBigInt: boolean }) => unknown;
}

const RESOLVE_OPTIONS = { intAsBigInt: false };

// `yaml` tries every default tag's test in order and resolves with the first that matches.
function yamlScalarTags(): YamlTag[] {
  const schema = new Document(null, { version: '1.1', customTags: customTags as never }).schema as unknown as { tags: YamlTag[] };
  return schema.tags.filter((t) => t.default === true && t.test && !t.collection);
}

// One js-yaml type per tag name (null, bool, int, float), trying `yaml`'s tags of that name in
// order, so an explicit `!!int 0x1F` resolves like an implicit one. Most scalars are strings:
// one regex per type rejects them, instead of one per `yaml` tag.
function jsYamlType(tag: string, tags: YamlTag[]): Type {
  const any = new RegExp(tags.map((t) => `(?:${t.test!.source})`).join('|'));
  return new Type(tag, {
    kind: 'scalar',
    resolve: (data: string | null) => any.test(data ?? ''),
    construct: (data: string | null) => {
      const text = data ?? '';
      const value = tags.find((t) => t.test!.test(text))!.resolve!(text, () => undefined, RESOLVE_OPTIONS);
      return isScalar(value) ? value.value : value;
    },
  });
}

function goYamlSchema() {
  const tags = yamlScalarTags();
  const names = [...new Set(tags.map((t) => t.tag))];
  const implicit = names.map((name) => jsYamlType(name, tags.filter((t) => t.tag === name)));
  // `<<` merge keys are part of YAML 1.1 (and of go-yaml v2): js-yaml merges a key of this tag.
  const merge = new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: string | null) => data === '<<' || data === null });
  return FAILSAFE_SCHEMA.extend({ implicit: [...implicit, merge] });
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
