// variables.ts: pipeline-level substitution (pkg/reconciler/pipelinerun/resources/apply.go):
// $(params...) and $(context...) into PipelineTasks (with propagation into inline specs),
// $(tasks.<t>.results...) / status / reason once producers are done.
import type { Param, ParamSpec, ParamValue, PipelineTask, TaskRunResult, WhenExpression } from '../../api/index.ts';
import { applyArrayReplacements, expandList, paramReplacements, replaceVariables, type ParamReplacements } from '../../substitution/index.ts';
import { MapView } from './replacements-view.ts';

/** Replacements is the string/array/object tables of one substitution pass. */
export type Replacements = ParamReplacements;

/** ReplacementsView is Replacements only read: the tables may be layered views (mergeReplacements). */
export interface ReplacementsView {
  strings: ReadonlyMap<string, string>;
  arrays: ReadonlyMap<string, readonly string[]>;
  objects: ReadonlyMap<string, Readonly<Record<string, string>>>;
}

export function emptyReplacements(): Replacements {
  return { strings: new Map(), arrays: new Map(), objects: new Map() };
}

/** pipelineParamReplacements: pipeline params (defaults, then run values) and pipeline context. */
export function pipelineParamReplacements(
  specs: ParamSpec[] | undefined,
  params: Param[],
  ctx: { prName: string; namespace: string; uid: string; pipelineName: string },
): Replacements {
  const r = paramReplacements(specs, params);
  r.strings.set('context.pipelineRun.name', ctx.prName);
  r.strings.set('context.pipelineRun.namespace', ctx.namespace);
  r.strings.set('context.pipelineRun.uid', ctx.uid);
  r.strings.set('context.pipeline.name', ctx.pipelineName);
  return r;
}

/** pipelineTaskContext is ApplyPipelineTaskContexts: `$(context.pipelineTask.retries)`. */
export function pipelineTaskContext(pt: PipelineTask): Replacements {
  const r = emptyReplacements();
  r.strings.set('context.pipelineTask.retries', String(pt.retries ?? 0));
  return r;
}

/** addTaskResults adds `tasks.<t>.results.<r>` (and `[i]`, `.key`, `[*]`) for a finished task. */
export function addTaskResults(r: Replacements, task: string, results: readonly TaskRunResult[], prefix = 'tasks'): void {
  for (const res of results) {
    const key = `${prefix}.${task}.results.${res.name}`;
    if (Array.isArray(res.value)) {
      r.arrays.set(key, res.value);
      res.value.forEach((v, i) => r.strings.set(`${key}[${i}]`, v));
    } else if (typeof res.value === 'object') {
      r.objects.set(key, res.value);
      for (const [k, v] of Object.entries(res.value)) r.strings.set(`${key}.${k}`, v);
    } else {
      r.strings.set(key, res.value);
    }
  }
}

/** applyToValue substitutes a param value; an array item that is exactly an array reference expands. */
export function applyToValue(v: ParamValue, r: ReplacementsView): ParamValue {
  if (Array.isArray(v)) return expandList(v, r.strings, r.arrays) ?? [];
  if (typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, replaceVariables(x, r.strings)]));
  // A string that is exactly a whole array/object reference becomes that array/object (Tekton's
  // ApplyReplacements on ParamValue: `value: $(tasks.t.results.arr[*])`).
  const m = /^\$\(([^()]+?)(\[\*\])?\)$/.exec(v);
  if (m) {
    const arr = r.arrays.get(m[1]);
    if (arr) return [...arr];
    const obj = r.objects.get(m[1]);
    if (obj && m[2]) return { ...obj };
  }
  return replaceVariables(v, r.strings);
}

/** applyToWhen substitutes a when expression's input and values (values may expand arrays). */
export function applyToWhen(w: WhenExpression, r: ReplacementsView): WhenExpression {
  return {
    ...w,
    input: w.input === undefined ? undefined : replaceVariables(w.input, r.strings),
    values: expandList(w.values, r.strings, r.arrays),
    cel: w.cel === undefined ? undefined : replaceVariables(w.cel, r.strings),
  };
}

/** deepReplace substitutes every string of a JSON value (inline taskSpec propagation). */
export function deepReplace<T>(v: T, r: ReplacementsView): T {
  if (typeof v === 'string') return replaceVariables(v, r.strings) as T;
  // Loops, not flatMap/fromEntries: this rebuilds every inline taskSpec a large Pipeline starts.
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < v.length; i++) {
      const x = v[i];
      if (typeof x !== 'string') out.push(deepReplace(x, r));
      else if (!x.includes('$(')) out.push(x);
      else out.push(...applyArrayReplacements(x, r.strings, r.arrays));
    }
    return out as T;
  }
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = deepReplace((v as Record<string, unknown>)[k], r);
      if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
      else out[k] = x;
    }
    return out as T;
  }
  return v;
}

// The PipelineTask fields applyToPipelineTask always rebuilds: not worth a deep clone first.
const REBUILT = new Set(['taskSpec', 'params', 'matrix', 'when', 'workspaces']);

/**
 * applyToPipelineTask substitutes a PipelineTask's params, matrix, when, displayName, taskRef
 * name and workspace subPaths; an inline taskSpec gets the values propagated, except names the
 * PipelineTask passes itself (its own params win, TEKTON-FACTS §10).
 */
export function applyToPipelineTask(pt: PipelineTask, r: ReplacementsView): PipelineTask {
  // Fields rebuilt below are not cloned; the rest is, key order kept (structuredClone of each).
  const out = { ...pt } as Record<string, unknown> & PipelineTask;
  for (const k of Object.keys(out)) {
    const x = out[k];
    if (x !== null && typeof x === 'object' && !REBUILT.has(k)) out[k] = structuredClone(x);
  }
  if (pt.taskSpec) out.taskSpec = undefined;
  out.params = pt.params?.map((p) => ({ name: p.name, value: applyToValue(p.value, r) }));
  if (pt.matrix) {
    out.matrix = {
      params: pt.matrix.params?.map((p) => ({ name: p.name, value: applyToValue(p.value, r) })),
      include: pt.matrix.include?.map((inc) => ({ ...inc, params: inc.params?.map((p) => ({ name: p.name, value: applyToValue(p.value, r) })) })),
    };
  }
  out.when = pt.when?.map((w) => applyToWhen(w, r));
  if (pt.displayName) out.displayName = replaceVariables(pt.displayName, r.strings);
  if (pt.taskRef?.name) out.taskRef = { ...pt.taskRef, name: replaceVariables(pt.taskRef.name, r.strings) };
  if (pt.taskRef?.params) out.taskRef = { ...out.taskRef, params: pt.taskRef.params.map((p) => ({ name: p.name, value: applyToValue(p.value, r) })) };
  out.workspaces = pt.workspaces?.map((w) => ({ ...w, subPath: w.subPath === undefined ? undefined : replaceVariables(w.subPath, r.strings) }));
  if (pt.onError) out.onError = replaceVariables(pt.onError, r.strings);
  if (pt.taskSpec) {
    const rr = withoutParams(r, pt.params ?? []);
    out.taskSpec = deepReplace(pt.taskSpec, rr);
    // A step's params (StepAction inputs) take whole arrays and objects: `value: $(params.arr[*])`
    // (taskrun/resources/apply.go ApplyReplacements: steps[i].Params.ReplaceVariables).
    out.taskSpec.steps = out.taskSpec.steps?.map((s, i) => {
      const params = pt.taskSpec!.steps![i]!.params;
      return params ? { ...s, params: params.map((p) => ({ ...p, value: applyToValue(p.value, rr) })) } : s;
    });
  }
  return out;
}

/**
 * withoutParams drops the run's values for the PipelineTask's own params, which the TaskRun then
 * substitutes. An own object param overrides only the keys it has: apply.go propagateParams sets
 * `params.<n>.<key>` for those and keeps the run's other keys.
 */
function withoutParams(r: ReplacementsView, params: readonly Param[]): ReplacementsView {
  if (!params.length) return r;
  // Only param keys can name the task's own params: hide those, leave the (large, growing) result
  // tables alone.
  const isOwnKey = (p: Param, k: string): boolean => {
    const n = p.name;
    if (k.startsWith(`params.${n}.`) && p.value && typeof p.value === 'object' && !Array.isArray(p.value)) return k.slice(`params.${n}.`.length) in p.value;
    return k === `params.${n}` || k.startsWith(`params.${n}.`) || k.startsWith(`params.${n}[`) || k.startsWith(`params["${n}"]`) || k.startsWith(`params['${n}']`);
  };
  const own = (k: string) => k.startsWith('params') && params.some((p) => isOwnKey(p, k));
  return { strings: new MapView([r.strings], own), arrays: new MapView([r.arrays], own), objects: new MapView([r.objects], own) };
}

/** mergeReplacements layers b over a, without copying either (a is usually the run's whole, growing table). */
export function mergeReplacements(a: ReplacementsView, b: ReplacementsView): ReplacementsView {
  if (isEmpty(b.strings) && isEmpty(b.arrays) && isEmpty(b.objects)) return a;
  return {
    strings: new MapView([b.strings, a.strings]),
    arrays: new MapView([b.arrays, a.arrays]),
    objects: new MapView([b.objects, a.objects]),
  };
}

/** isEmpty without a view's size, which counts. */
function isEmpty(m: ReadonlyMap<string, unknown>): boolean {
  for (const _ of m.keys()) return false;
  return true;
}
