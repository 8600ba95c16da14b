// stepactions.ts: replacing each `ref` step by its StepAction (pkg/reconciler/taskrun/resources/
// taskspec.go GetStepActionsData / resolveStepRef and apply.go applyStepActionParameters).
import type { Param, ParamSpec, ParamValue, Step, StepAction, TaskRun, TaskSpec } from '../../api/index.ts';
import { TaskRunReason } from '../../api/index.ts';
import { setParamSpecDefaults } from '../../api/defaults/index.ts';
import type { Resolver } from '../../resolution/index.ts';
import { applyToStep, paramReplacements } from '../../substitution/index.ts';

/** StepRef is a step's `ref`. */
type StepRef = NonNullable<Step['ref']>;

/** StepActionsResolution is the TaskSpec with every `ref` step resolved, or why it failed. */
export type StepActionsResolution = { ok: true; spec: TaskSpec } | { ok: false; reason: string; message: string };

// paramPatterns of apply.go: every form a param is reachable by.
const PATTERNS: ((n: string) => string)[] = [(n) => `params.${n}`, (n) => `params[${JSON.stringify(n)}]`, (n) => `params['${n}']`, (n) => `inputs.params.${n}`];

/** FoundStepAction is a step's StepAction, or why it could not be had (Tekton's message). */
type FoundStepAction = StepAction | string;

/**
 * resolveStepActions is GetStepActionsData: each step with a `ref` gets its StepAction's container
 * (params applied), keeping its own name, onError, timeout, workspaces, std*Config and when. The
 * StepActions are fetched through a Resolver (src/resolution).
 */
export async function resolveStepActions(spec: TaskSpec, tr: TaskRun, resolver: Resolver): Promise<StepActionsResolution> {
  const refs = (spec.steps ?? []).map((s) => s.ref);
  if (!refs.some((r) => r)) return { ok: true, spec };
  const namespace = tr.metadata.namespace ?? 'default';
  const found = await Promise.all(
    refs.map(async (ref): Promise<FoundStepAction | undefined> => {
      if (!ref) return undefined;
      const r = await resolver.stepAction(ref, namespace);
      return r.ok ? r.object : r.message;
    }),
  );
  return mergeStepActions(spec, tr, (_ref, i) => found[i]!);
}

/** mergeStepActions replaces each `ref` step, the i-th step's StepAction coming from find. */
function mergeStepActions(spec: TaskSpec, tr: TaskRun, find: (ref: StepRef, i: number) => FoundStepAction): StepActionsResolution {
  if (!spec.steps?.some((s) => s.ref)) return { ok: true, spec };
  const steps: Step[] = [];
  for (const [i, step] of spec.steps.entries()) {
    if (!step.ref) {
      steps.push(step);
      continue;
    }
    const r = resolveStepRef(spec, tr, step, find(step.ref, i));
    if (typeof r === 'string') {
      return { ok: false, reason: TaskRunReason.ResolutionFailed, message: `failed to resolve step ref for step ${JSON.stringify(step.name ?? '')} (index ${i}): ${r}` };
    }
    steps.push(r);
  }
  return { ok: true, spec: { ...spec, steps } };
}

/** resolveStepRef merges one step with its StepAction; a string is the error. */
function resolveStepRef(spec: TaskSpec, tr: TaskRun, step: Step, sa: FoundStepAction): Step | string {
  if (typeof sa === 'string') return sa;
  const defaults = (sa.spec.params ?? []).map(setParamSpecDefaults);
  const missing = validateStepHasStepActionParameters(step.params ?? [], defaults);
  if (missing) return missing;
  const fromAction: Step = {
    image: sa.spec.image,
    command: sa.spec.command,
    args: sa.spec.args,
    workingDir: sa.spec.workingDir,
    script: sa.spec.script,
    env: sa.spec.env,
    volumeMounts: sa.spec.volumeMounts,
    securityContext: sa.spec.securityContext,
    results: sa.spec.results,
  };
  const applied = applyStepActionParameters(structuredClone(fromAction), spec, tr, step.params, defaults);
  if (typeof applied === 'string') return applied;
  const out: Step = { ...structuredClone(step), image: applied.image, securityContext: applied.securityContext, workingDir: applied.workingDir };
  if (applied.command?.length) out.command = applied.command;
  if (applied.args?.length) out.args = applied.args;
  if (applied.script) out.script = applied.script;
  if (applied.env) out.env = applied.env;
  if (applied.volumeMounts?.length) out.volumeMounts = applied.volumeMounts;
  if (applied.results?.length) out.results = applied.results;
  delete out.ref;
  delete out.params;
  return dropUndefined(out);
}

/** validateStepHasStepActionParameters: no extra params, every param without default given. */
function validateStepHasStepActionParameters(stepParams: Param[], declared: ParamSpec[]): string | undefined {
  const names = new Set(declared.map((p) => p.name));
  const extra = stepParams.filter((p) => !names.has(p.name)).map((p) => p.name);
  if (extra.length) return `extra params passed by Step to StepAction: [${extra.join(' ')}]`;
  const given = new Set(stepParams.map((p) => p.name));
  const missing = declared.filter((p) => p.default === undefined && !given.has(p.name)).map((p) => p.name);
  return missing.length ? `non-existent params in Step: [${missing.join(' ')}]` : undefined;
}

/**
 * applyStepActionParameters, in Tekton's order: the Task's params into the step's params, then
 * step-provided values over (param-referencing) defaults, then step result references last.
 */
function applyStepActionParameters(step: Step, spec: TaskSpec, tr: TaskRun, given: Param[] | undefined, defaults: ParamSpec[]): Step | string {
  const stepParams = given ? (applyToStep({ params: given }, paramReplacements(spec.params, tr.spec.params ?? [])).params ?? []) : [];
  const provided = new Map(stepParams.map((p) => [p.name, p.value]));
  const processed: Param[] = [];
  for (const p of defaults) {
    const value = provided.get(p.name);
    if (value !== undefined) {
      processed.push({ name: p.name, value });
      continue;
    }
    if (p.default === undefined) continue;
    processed.push({ name: p.name, value: resolveDefault(p.default, processed) });
  }
  const r = paramReplacements(defaults, processed);
  const strings = new Map(r.strings);
  const clash = [...strings.keys()].sort().find((k) => r.arrays.has(k));
  if (clash) return `invalid parameter substitution: ${paramName(clash)}. Please check the types of the default value and the passed value`;
  for (const [k, v] of stepResultReplacements(step, stepParams, defaults)) strings.set(k, v);
  return applyToStep(step, { strings, arrays: r.arrays });
}

// A default `$(params.other)` takes the value already processed for `other` (strings only, as Tekton).
function resolveDefault(value: ParamValue, processed: Param[]): ParamValue {
  if (typeof value !== 'string' || !value.includes('$(params.')) return value;
  return value.replace(/\$\(params\.([^()]+)\)/g, (m, name: string) => {
    const v = processed.find((p) => p.name === name)?.value;
    return typeof v === 'string' ? v : m;
  });
}

function paramName(key: string): string {
  const m = /^params\.(\w+)$/.exec(key) ?? /^params\["([^"]+)"\]$/.exec(key) ?? /^params\['([^']+)'\]$/.exec(key) ?? /^inputs\.params\.(\w+)$/.exec(key);
  return m ? m[1] : key;
}

/** stepResultReplacements: a param whose value is `$(steps.<s>.results.<r>)` forwards the reference. */
function stepResultReplacements(step: Step, stepParams: Param[], defaults: ParamSpec[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const sp of stepParams) {
    if (typeof sp.value !== 'string' || !sp.value.startsWith('$(steps.')) continue;
    const m = /^steps\.([^.]+)\.results\.([^.[]+)/.exec(sp.value.slice(2, -1));
    const d = defaults.find((x) => x.name === sp.name);
    if (!m || !d) continue;
    const [, stepName, result] = m;
    if (d.type === 'object') {
      for (const k of Object.keys(d.properties ?? {})) out.set(`params.${d.name}.${k}`, `$(steps.${stepName}.results.${result}.${k})`);
    } else if (d.type === 'array') {
      for (const f of PATTERNS) out.set(`${f(d.name)}[*]`, `$(steps.${stepName}.results.${result}[*])`);
      for (const [k, v] of arrayIndexUsage(step, d.name, stepName, result)) out.set(k, v);
    } else {
      for (const f of PATTERNS) out.set(f(d.name), sp.value);
    }
  }
  return out;
}

// replacementsArrayIdxStepResults: `$(params.p[2])` in command, args and env → `$(steps.s.results.r[2])`.
function arrayIndexUsage(step: Step, param: string, stepName: string, result: string): Map<string, string> {
  const out = new Map<string, string>();
  const esc = param.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const forms = [`\\$\\(params.${esc}\\[([0-9]*)*\\*?\\]\\)`, `\\$\\(params\\["${esc}"\\]\\[([0-9]*)*\\*?\\]\\)`, `\\$\\(params\\['${esc}'\\]\\[([0-9]*)*\\*?\\]\\)`];
  const texts = [...(step.command ?? []), ...(step.args ?? []), ...(step.env ?? []).map((e) => e.value ?? '')];
  for (const text of texts) {
    for (const f of forms) {
      for (const m of text.matchAll(new RegExp(f, 'g'))) {
        if (m[1]) out.set(m[0].slice(2, -1), `$(steps.${stepName}.results.${result}[${m[1]}])`);
      }
    }
  }
  return out;
}

function dropUndefined(s: Step): Step {
  for (const k of Object.keys(s) as (keyof Step)[]) if (s[k] === undefined) delete s[k];
  return s;
}
