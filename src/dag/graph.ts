// graph.ts: the Pipeline graph (pkg/reconciler/pipeline/dag/dag.go): nodes are PipelineTasks,
// edges come from runAfter and result references; cycles and unknown tasks are reported with
// Tekton's messages. Everything is linear in tasks + edges (tektoncd/pipeline#3521 was not).
import type { PipelineTask } from '../api/index.ts';
import { findVariables, parseReference } from '../substitution/index.ts';
import { memoize } from '../memo/index.ts';

/** Graph holds each task's parents and children, in Pipeline order. */
export interface Graph {
  readonly names: readonly string[];
  parents(name: string): readonly string[];
  children(name: string): readonly string[];
}

/** resultReferences returns the PipelineTasks whose results a text references (`$(tasks.<t>.results...)`). */
export function resultReferences(text: string): string[] {
  const out: string[] = [];
  for (const v of findVariables(text)) {
    if (!v.expression.startsWith('tasks')) continue; // (parsing every other reference was most of the graph's cost)
    const ref = parseReference(v.expression);
    if (ref?.prefix === 'tasks' && ref.rest[0] === 'results' && ref.rest.length >= 2) out.push(ref.name);
  }
  return out;
}

// internal/artifactref TaskArtifactRegex: `$(tasks.<t>.inputs|outputs.<name>)`.
const TASK_ARTIFACT = /\$\(tasks\.([^.]+)\.(?:inputs|outputs)\.([^.)]+)\)/g;

/** artifactReferences returns the PipelineTasks whose artifacts a text references. */
export function artifactReferences(text: string): string[] {
  return [...text.matchAll(TASK_ARTIFACT)].map((m) => m[1]);
}

/**
 * pipelineTaskDeps is PipelineTask.Deps(): runAfter plus every task whose results the task
 * uses in params, matrix, when expressions or an inline taskSpec (TEKTON-FACTS §8.1).
 * Artifact references count too: Tekton only fills them in when the producer is done but does
 * not order on them (its examples add runAfter); a reference without the order would read nothing.
 */
export function pipelineTaskDeps(pt: PipelineTask): string[] {
  const deps = new Set(pt.runAfter ?? []);
  scanDeps(pt.params, deps);
  scanDeps(pt.matrix, deps);
  scanDeps(pt.when, deps);
  if (pt.taskSpec) {
    scanDeps(pt.taskSpec.steps, deps);
    scanDeps(pt.taskSpec.sidecars, deps);
  }
  return [...deps];
}

function scanDeps(v: unknown, deps: Set<string>): void {
  if (typeof v === 'string') {
    if (!v.includes('$(tasks')) return; // neither a result nor an artifact reference
    for (const r of textDeps(v)) deps.add(r);
  } else if (Array.isArray(v)) for (let i = 0; i < v.length; i++) scanDeps(v[i], deps);
  else if (v && typeof v === 'object') for (const k in v) scanDeps((v as Record<string, unknown>)[k], deps); // (plain JSON objects: own keys)
}

// The same reference texts are scanned by validation, by preparation and by every reconcile's
// graph, and a producer's `$(tasks.<t>.results.<r>)` is repeated by each consumer: scanned once.
/** textDeps is resultReferences then artifactReferences of one text (the order Deps() adds them). */
const textDeps = memoize((text): readonly string[] => {
  const results = resultReferences(text);
  // The artifact pattern needs `.inputs.` or `.outputs.`: most texts are spared the regex.
  return Object.freeze(text.includes('.inputs.') || text.includes('.outputs.') ? [...results, ...artifactReferences(text)] : results);
}, 10_000);

/** buildGraph is dag.Build: duplicate names, then cycles, then links to unknown tasks. */
export function buildGraph(tasks: readonly PipelineTask[]): { graph: Graph } | { error: string } {
  const parents = new Map<string, string[]>();
  for (const t of tasks) {
    if (parents.has(t.name)) {
      return { error: `task ${t.name} is already present in Graph, can't add it again: duplicate pipeline task` };
    }
    parents.set(t.name, []);
  }
  const deps = new Map(tasks.map((t) => [t.name, pipelineTaskDeps(t)] as const));
  const cycle = findCycle(deps);
  if (cycle) return { error: `cycle detected; ${cycle}` };
  const children = new Map<string, string[]>([...parents.keys()].map((n) => [n, []]));
  for (const t of tasks) {
    for (const dep of deps.get(t.name)!) {
      if (!parents.has(dep)) {
        return { error: `couldn't add link between ${t.name} and ${dep}: task ${t.name} depends on ${dep} but ${dep} wasn't present in Pipeline` };
      }
      parents.get(t.name)!.push(dep);
      children.get(dep)!.push(t.name);
    }
  }
  const names = tasks.map((t) => t.name);
  return { graph: { names, parents: (n) => parents.get(n) ?? [], children: (n) => children.get(n) ?? [] } };
}

/**
 * findCycle is findCyclesInDependencies: peel off tasks whose dependencies are all resolved
 * (Kahn); whatever remains is in or behind a cycle. Report the smallest remaining task name
 * with its remaining dependencies, sorted: `task "a" depends on "b", "c"`.
 */
function findCycle(deps: ReadonlyMap<string, readonly string[]>): string | undefined {
  // A count of unresolved dependencies per task, not a set each: deps lists are distinct
  // (pipelineTaskDeps), so the dependencies left are those not yet peeled off (`seen`).
  const remaining = new Map<string, number>();
  const childrenOf = new Map<string, string[]>();
  const ready: string[] = [];
  for (const [task, ds] of deps) {
    if (!ds.length) continue;
    remaining.set(task, ds.length);
    for (const d of ds) {
      if (!deps.get(d)?.length) ready.push(d);
      const c = childrenOf.get(d);
      if (c) c.push(task);
      else childrenOf.set(d, [task]);
    }
  }
  const seen = new Set<string>();
  while (ready.length) {
    const parent = ready.pop()!;
    if (seen.has(parent)) continue;
    seen.add(parent);
    for (const child of childrenOf.get(parent) ?? []) {
      const left = remaining.get(child);
      if (left === undefined) continue;
      if (left > 1) remaining.set(child, left - 1);
      else {
        remaining.delete(child);
        ready.push(child);
      }
    }
  }
  if (!remaining.size) return undefined;
  const first = [...remaining.keys()].sort()[0]!;
  const on = deps
    .get(first)!
    .filter((d) => !seen.has(d))
    .sort()
    .map((d) => JSON.stringify(d));
  return `task ${JSON.stringify(first)} depends on ${on.join(', ')}`;
}
