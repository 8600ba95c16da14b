// objects.ts: loading the user's files and admitting every object before anything runs or is
// stored: structural decode, then src/validation/admission.ts (Tekton's webhook: defaulting and
// validation, plus static reference checks), errors printed with the file positions.
import type { ConfigMap, LoadedObject, LoadProblem, StoredOnly, TektonObject } from '../api/index.ts';
import { loadFiles, formatProblem } from '../api/index.ts';
import { buildConfig, type Config } from '../config/index.ts';
import type { Resolver } from '../resolution/index.ts';
import { admit, batchResolver, type FieldError } from '../validation/index.ts';

/** Admitted is the result of loading and checking the files: objects, config and user errors. */
export interface Admitted {
  /** objects are as loaded from the files (with their source positions). */
  objects: LoadedObject[];
  /** defaulted[i] is objects[i] after Tekton's defaulting webhook: what is to be stored. */
  defaulted: TektonObject[];
  /** others are objects of kinds Tektite does not use (RBAC, quotas, CRDs): stored, noted, never an error. */
  others: StoredOnly[];
  config: Config;
  errors: string[];
}

/** AdmitOptions say what else admission may see besides the files. */
export interface AdmitOptions {
  /** resolver finds what references name outside the files (the state store); without it, only the files count. */
  resolver?: Resolver;
  /** configData are ConfigMap data under the files' own (the stored `feature-flags` / `config-defaults`). */
  configData?: { featureFlags: Record<string, string>[]; defaults: Record<string, string>[] };
}

/** admitFiles loads files and admits every object (src/validation/admission.ts); errors are formatted `path: message (file:line:col)`. */
export async function admitFiles(
  files: string[],
  overrides: { featureFlags: Record<string, string>; defaults: Record<string, string> },
  options: AdmitOptions = {},
): Promise<Admitted> {
  const loaded = await loadFiles(files);
  const errors = loaded.problems.map((p: LoadProblem) => formatProblem(p));
  const cms = loaded.objects.map((o) => o.object).filter((o): o is ConfigMap => o.kind === 'ConfigMap');
  const data = (name: string) => cms.filter((c) => c.metadata.name === name).map((c) => c.data ?? {});
  const stored = options.configData ?? { featureFlags: [], defaults: [] };
  const built = buildConfig([...stored.featureFlags, ...data('feature-flags'), overrides.featureFlags], [...stored.defaults, ...data('config-defaults'), overrides.defaults]);
  if (built.error) errors.push(...fieldErrorLines(built.error, undefined, 'config'));
  const config = built.config;
  errors.push(...duplicateNames([...loaded.objects, ...loaded.others]));
  // References may name objects of the same files, then stored ones.
  const resolver = batchResolver(
    loaded.objects.map((o) => o.object),
    options.resolver,
  );
  const defaulted: TektonObject[] = [];
  for (const o of loaded.objects) {
    const r = await admit(o.object, config, resolver);
    defaulted.push(r.ok ? r.object : o.object);
    if (!r.ok) errors.push(...fieldErrorLines(r.error, o, `${o.object.kind} ${JSON.stringify(o.object.metadata.name)}`));
  }
  return { objects: loaded.objects, defaulted, others: loaded.others, config, errors };
}

/** duplicateNames: like `kubectl create`, a second object of the same kind and name is refused (AlreadyExists). */
function duplicateNames(objects: (LoadedObject | StoredOnly)[]): string[] {
  type Named = LoadedObject | StoredOnly;
  const seen = new Map<string, Named>();
  const out: string[] = [];
  for (const o of objects) {
    const key = `${o.object.kind}/${o.object.metadata.namespace ?? 'default'}/${o.object.metadata.name}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, o);
      continue;
    }
    const at = (x: Named) => {
      const p = x.locate('metadata.name');
      return p ? `${p.file}:${p.line}:${p.col}` : x.file;
    };
    out.push(`${o.object.kind} ${JSON.stringify(o.object.metadata.name)}: metadata.name: already exists: defined first at ${at(first)} (${at(o)})`);
  }
  return out;
}

/**
 * otherKindNotes is one line per kind Tektite stores but does not use, in file order:
 * `Note: 1 ClusterRoleBinding stored, not used by Tektite`.
 */
export function otherKindNotes(others: StoredOnly[], verb: string): string[] {
  const counts = new Map<string, number>();
  for (const o of others) counts.set(o.object.kind, (counts.get(o.object.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `Note: ${n} ${kind} ${verb}, not used by Tektite`);
}

/** fieldErrorLines prints a FieldError as `path: message (file:line:col)` lines under a header. */
export function fieldErrorLines(err: FieldError, o: LoadedObject | undefined, what: string): string[] {
  const lines: string[] = [];
  for (const e of err.merged()) {
    const where = e.paths.length ? e.paths.join(', ') : '';
    const pos = o && e.paths.length ? o.locate(e.paths[0]) : undefined;
    const loc = pos ? ` (${pos.file}:${pos.line}:${pos.col})` : o ? ` (${o.file})` : '';
    const head = `${what}: ${where ? `${where}: ` : ''}${e.message}${loc}`;
    lines.push(e.details ? `${head}\n  ${e.details.split('\n').join('\n  ')}` : head);
  }
  return lines;
}
