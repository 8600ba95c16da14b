// yaml11.ts: the `yaml` package options that make it read YAML like Kubernetes (go-yaml v2).
import { decodeBinary, resolvePlain, resolveTagged, type ScalarTag } from './goyaml.ts';

// `yaml` picks a plain scalar's tag by calling `tag.test.test(text)` on each default tag: a RegExp
// whose test asks goyaml.ts keeps one resolver (go-yaml's) for both paths instead of regexes.
class ResolvesTo extends RegExp {
  constructor(private readonly want: ScalarTag) {
    super('');
  }
  override test(text: string): boolean {
    return resolvePlain(text).tag === this.want;
  }
}

const TAG = 'tag:yaml.org,2002:';
type OnError = (message: string) => void;

function implicitTag(name: ScalarTag) {
  return { tag: TAG + name, default: true, test: new ResolvesTo(name), resolve: (text: string) => resolvePlain(text).value };
}

// Explicit tags (`!!int "12"`): not default, so `yaml` uses them only by name, and a value go-yaml
// refuses is an error ("cannot decode !!str `x` as a !!int"), not a warning.
function explicitTag(name: ScalarTag | 'timestamp') {
  return {
    tag: TAG + name,
    resolve: (text: string, onError: OnError) => {
      const r = resolveTagged(name, text);
      if ('error' in r) onError(r.error);
      return 'error' in r ? text : r.value;
    },
  };
}

const BINARY = {
  tag: `${TAG}binary`,
  resolve: (text: string, onError: OnError) => {
    const r = decodeBinary(text);
    if ('error' in r) onError(r.error);
    return 'error' in r ? text : r.value;
  },
};

const SCALARS: ScalarTag[] = ['null', 'bool', 'int', 'float'];

/**
 * customTags replaces `yaml`'s YAML 1.1 scalar types by go-yaml v2's (goyaml.ts): no timestamps
 * or sexagesimals, `.` a string, `0o17` an int, `!!binary` a string. Maps, sequences, strings and
 * `<<` is a plain key (goyaml.ts merges it afterwards, in go-yaml v2's order); `!!omap`/`!!pairs`/
 * `!!set` go (go-yaml reads them as plain collections).
 */
export function customTags(tags: unknown[]): unknown[] {
  const kept = tags.filter((t) => {
    const tag = (t as { tag?: string }).tag ?? '';
    return [`${TAG}map`, `${TAG}seq`, `${TAG}str`].includes(tag);
  });
  return [...kept, ...SCALARS.map(implicitTag), ...[...SCALARS, 'str' as const, 'timestamp' as const].map(explicitTag), BINARY];
}
