// corpus.ts: Tekton's example corpus as the project sees it — the shared copy of tektoncd/pipeline's
// examples/ at ../shared/conformance/tekton-examples (beside the clone, never copied into it), its
// INDEX.tsv, and the feature flags Tekton's CI turns on for each example folder.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from '../helpers/cli.ts';

/** corpusDir is the shared corpus: `../shared/conformance/tekton-examples` from the repo root; $TEKTITE_CONFORMANCE_DIR overrides it. */
export const corpusDir = process.env.TEKTITE_CONFORMANCE_DIR || resolve(repoRoot, '..', 'shared', 'conformance', 'tekton-examples');

/** Gate is the enable-api-fields an example needs (its folder: alpha/, beta/, or neither). */
export type Gate = 'stable' | 'beta' | 'alpha';

/** RunClass is what an example needs to run here (INDEX.tsv's `class`); only `host` files run on the host executor. */
export type RunClass = 'host' | 'image-tool' | 'network' | 'cluster';

/** Example is one row of INDEX.tsv. */
export interface Example {
  /** path relative to corpusDir, e.g. examples/v1/taskruns/beta/param_array_indexing.yaml */
  path: string;
  gate: Gate;
  /** INDEX.tsv's extra_feature_flags, as key=value entries. */
  extraFlags: string[];
  /** whether Tekton's e2e CI runs it (`no-ci/` files are not run upstream). */
  upstreamCi: boolean;
  runClass: RunClass;
  /** what the example exercises (INDEX.tsv's `needs`), for people reading a failure. */
  needs: string;
}

// Tekton's CI env files: test/e2e-tests-kind-alpha.env and test/e2e-tests-kind-beta.env (stable: defaults).
const ciFlags: Record<Gate, string[]> = {
  stable: [],
  beta: ['enable-api-fields=beta', 'results-from=sidecar-logs', 'keep-pod-on-cancel=true'],
  alpha: [
    'enable-api-fields=alpha',
    'results-from=sidecar-logs',
    'keep-pod-on-cancel=true',
    'enable-cel-in-whenexpression=true',
    'enable-param-enum=true',
    'enable-artifacts=true',
    'enable-concise-resolver-syntax=true',
    'enable-kubernetes-sidecar=true',
    'enable-termination-message-compression=true',
  ],
};

/** featureFlags are the feature-flags entries an example runs with: its folder's CI env, then INDEX's extras. */
export function featureFlags(example: Example): string[] {
  const flags = new Map<string, string>();
  for (const kv of [...ciFlags[example.gate], ...example.extraFlags]) {
    const eq = kv.indexOf('=');
    flags.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return [...flags].map(([k, v]) => `${k}=${v}`);
}

/** shortName is a path without its `examples/v1/` prefix: the key of the gap table. */
export function shortName(path: string): string {
  return path.replace(/^examples\/v1\//, '');
}

/** firstRunKind is the kind upstream waits on (test/examples_test.go): TaskRun under taskruns/, else PipelineRun. */
export function firstRunKind(path: string): 'TaskRun' | 'PipelineRun' {
  return path.includes('/taskruns/') ? 'TaskRun' : 'PipelineRun';
}

const gates = new Set<string>(['stable', 'beta', 'alpha']);
const classes = new Set<string>(['host', 'image-tool', 'network', 'cluster']);

/** readIndex parses INDEX.tsv (header row, then one row per file; `#` lines are its summary). */
export function readIndex(dir = corpusDir): Example[] {
  if (!existsSync(join(dir, 'INDEX.tsv'))) {
    throw new Error(`no conformance corpus at ${dir}: check out the shared folder beside the repo (../shared) or set TEKTITE_CONFORMANCE_DIR`);
  }
  const lines = readFileSync(join(dir, 'INDEX.tsv'), 'utf8').split('\n');
  const header = lines[0].split('\t');
  const col = (name: string): number => {
    const i = header.findIndex((h) => h === name || h.startsWith(`${name}(`));
    if (i < 0) throw new Error(`INDEX.tsv has no column ${name}: ${header.join(', ')}`);
    return i;
  };
  const [path, gate, extra, ci, cls, needs] = ['path', 'gate', 'extra_feature_flags', 'upstream_ci', 'class', 'needs'].map(col);
  const out: Example[] = [];
  for (const line of lines.slice(1)) {
    if (!line.trim() || line.startsWith('#')) continue;
    const f = line.split('\t');
    if (!gates.has(f[gate]) || !classes.has(f[cls])) throw new Error(`INDEX.tsv: unexpected gate/class in ${line}`);
    out.push({
      path: f[path],
      gate: f[gate] as Gate,
      // e.g. "results-from=sidecar-logs (set in beta/alpha CI env)": keep the key=value, drop the note.
      extraFlags: f[extra] === '-' ? [] : f[extra].split(',').map((s) => s.trim().split(/\s/)[0]),
      upstreamCi: f[ci] === 'e2e',
      runClass: f[cls] as RunClass,
      needs: f[needs] ?? '',
    });
  }
  return out;
}
