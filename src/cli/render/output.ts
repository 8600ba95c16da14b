// output.ts: `-o json|yaml|name` of the final run objects, in the apiVersion the user wrote them in.
import { stringify } from 'yaml';
import type { LoadedObject } from '../../api/index.ts';
import { toV1beta1 } from '../../api/index.ts';

export type OutputFormat = 'json' | 'yaml' | 'name';

/** renderRuns prints run objects as one Kubernetes List (json/yaml) or `kind.group/name` lines. */
export function renderRuns(runs: { loaded: LoadedObject; final: Record<string, unknown> & { kind: string; metadata: { name?: string } } }[], format: OutputFormat): string {
  const items = runs.map(({ loaded, final }) => (loaded.sourceApiVersion === 'tekton.dev/v1beta1' ? toV1beta1(final as never) : final));
  if (format === 'name') return runs.map((r) => `${r.final.kind.toLowerCase()}.tekton.dev/${r.final.metadata.name}\n`).join('');
  const list = { apiVersion: 'v1', kind: 'List', items };
  return format === 'json' ? `${JSON.stringify(list, null, 2)}\n` : stringify(list);
}
