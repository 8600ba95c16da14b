// yaml11.ts: the `yaml` package options that make it read YAML like Kubernetes (go-yaml v2).

// Kubernetes decodes with go-yaml v2 into interface{}: timestamps stay strings and there are no
// sexagesimal (`1:20`) numbers, so drop those YAML 1.1 types; `on` → true and `0777` → 511 stay.
/** customTags removes the YAML 1.1 types go-yaml v2 does not produce (timestamps, sexagesimals). */
export function customTags(tags: unknown[]): unknown[] {
  return tags.filter((t) => {
    const tag = t as { tag?: string; format?: string };
    return tag.tag !== 'tag:yaml.org,2002:timestamp' && tag.format !== 'TIME';
  });
}
