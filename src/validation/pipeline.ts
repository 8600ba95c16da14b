// pipeline.ts: Pipeline validation (pipeline_validation.go): names, task refs, the graph,
// finally rules, when expressions, matrix, results and workspaces, with Tekton's messages.
import type { Pipeline, PipelineSpec, PipelineTask, WhenExpression } from '../api/index.ts';
import { isDNS1123Label } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import { buildGraph } from '../dag/index.ts';
import { findVariables, type ParsedReference, parseReference } from '../substitution/index.ts';
import { validateArtifactReference } from './artifacts.ts';
import { validateChildPipeline, validateChildResultReferences, validateRefOrSpec } from './child-pipeline.ts';
import { FieldError, errInvalidValue, errMissingField, errMultipleOneOf, errOutOfBoundsValue } from '../errors/index.ts';
import { validateEnabledAPIFields } from './feature-gate.ts';
import { validateUsageOfDeclaredParameters } from './params.ts';
import { validateTaskSpec } from './task.ts';
import { memoize } from '../memo/index.ts';

const NAMES_URL = 'https://kubernetes.io/docs/concepts/overview/working-with-objects/names/#names';

/**
 * validatePipeline validates a Pipeline object; paths start at `spec`. Only a standalone Pipeline must
 * declare the params and workspaces its tasks use: an inline pipelineSpec gets them propagated from
 * its PipelineRun (pipeline_validation.go Pipeline.Validate: validatePipelineParameterUsage and
 * validatePipelineWorkspacesUsage are not part of PipelineSpec.Validate).
 */
export function validatePipeline(p: Pipeline, config: Config): FieldError | undefined {
  return FieldError.merge(validatePipelineSpec(p.spec, config), validatePipelineUsage(p.spec))?.viaField('spec');
}

function validatePipelineUsage(spec: PipelineSpec): FieldError | undefined {
  const params = new Set((spec.params ?? []).map((p) => p.name));
  const usage = (t: PipelineTask) =>
    FieldError.merge(
      // validateUsageOfDeclaredPipelineTaskParameters: an inline taskSpec may use its own and the
      // Pipeline's params (paths skip `taskSpec`, as Tekton's do).
      t.taskSpec ? validateUsageOfDeclaredParameters(t.taskSpec.steps ?? [], [...(t.taskSpec.params ?? []), ...(spec.params ?? [])]) : undefined,
      validateTaskWorkspaces(t, spec),
      ...pipelineTaskTexts(t).map((x) => validateParamReferences(x.text, x.path, params)),
    );
  return FieldError.merge(...(spec.tasks ?? []).map((t, i) => usage(t)?.viaFieldIndex('tasks', i)), ...(spec.finally ?? []).map((t, i) => usage(t)?.viaFieldIndex('finally', i)));
}

/** validatePipelineSpec validates a PipelineSpec; paths are relative to the spec. */
export function validatePipelineSpec(spec: PipelineSpec, config: Config): FieldError | undefined {
  const tasks = spec.tasks ?? [];
  const fin = spec.finally ?? [];
  if (!spec.description && !spec.params?.length && !tasks.length && !spec.workspaces?.length && !fin.length) {
    return FieldError.of('expected at least one, got none', ['description', 'params', 'resources', 'tasks', 'workspaces']);
  }
  const names: TaskNames = { dag: new Set(tasks.map((x) => x.name)), fin: new Set(fin.map((x) => x.name)) };
  let errs = FieldError.merge(
    validateNames(tasks, fin),
    ...tasks.map((t, i) => validatePipelineTask(t, config, false, names)?.viaFieldIndex('tasks', i)),
    ...fin.map((t, i) => validatePipelineTask(t, config, true, names)?.viaFieldIndex('finally', i)),
    validateFinally(tasks, fin),
    validateResults(spec),
    validateChildResultReferences(spec),
    validateArtifactReference(tasks, fin, config),
  );
  const graph = buildGraph(tasks);
  if ('error' in graph) errs = FieldError.merge(errs, errInvalidValue(graph.error, 'tasks'));
  return errs;
}

function validateNames(tasks: PipelineTask[], fin: PipelineTask[]): FieldError | undefined {
  let errs: FieldError | undefined;
  const seen = new Set<string>();
  const check = (t: PipelineTask, i: number, field: string) => {
    if (!isDNS1123Label(t.name)) {
      errs = FieldError.merge(
        errs,
        FieldError.of(`invalid value ${JSON.stringify(t.name)}`, [`${field}[${i}].name`], `Pipeline Task name must be a valid DNS Label.For more info refer to ${NAMES_URL}`),
      );
    }
    if (seen.has(t.name)) errs = FieldError.merge(errs, errMultipleOneOf(`${field}[${i}].name`));
    seen.add(t.name);
  };
  tasks.forEach((t, i) => check(t, i, 'tasks'));
  fin.forEach((t, i) => check(t, i, 'finally'));
  return errs;
}

function validatePipelineTask(t: PipelineTask, config: Config, isFinally: boolean, names: TaskNames): FieldError | undefined {
  let errs: FieldError | undefined;
  const add = (e: FieldError | undefined) => {
    errs = FieldError.merge(errs, e);
  };
  add(validateRefOrSpec(t, config));
  add(validateChildPipeline(t, config, validatePipelineSpec));
  add(validateBetaFields(t, config));
  // validateTask: an embedded (non-custom) taskSpec is validated as a TaskSpec.
  if (t.taskSpec && !t.taskSpec.apiVersion && (!t.taskSpec.kind || t.taskSpec.kind === 'Task')) {
    add(validateTaskSpec(t.taskSpec, config)?.viaField('taskSpec'));
  }
  add(validateOnError(t, config));
  t.when?.forEach((w, i) => add(validateWhen(w, config)?.viaFieldIndex('when', i)));
  add(validateMatrix(t, config));
  // (Plain loops over objects, not destructured tuples, here and below: these run per PipelineTask,
  // mostly before V8 optimises them, and optimising big loop bodies was half of their CPU.)
  const texts = pipelineTaskTexts(t);
  for (let i = 0; i < texts.length; i++) add(validateReferences(texts[i]!.text, texts[i]!.path, isFinally, names));
  return errs;
}

// pipeline_validation.go validateBetaFields: resolvers in a PipelineTask's taskRef (pathless errors).
function validateBetaFields(t: PipelineTask, config: Config): FieldError | undefined {
  if (!t.taskRef) return undefined;
  return FieldError.merge(
    t.taskRef.resolver ? validateEnabledAPIFields(config, 'taskref.resolver', 'beta') : undefined,
    t.taskRef.params?.length ? validateEnabledAPIFields(config, 'taskref.params', 'beta') : undefined,
  );
}

// pipeline_validation.go ValidateOnError: beta; skipped when it is a `$(params...)` reference.
function validateOnError(t: PipelineTask, config: Config): FieldError | undefined {
  if (!t.onError || t.onError.startsWith('$(params.')) return undefined;
  return FieldError.merge(
    validateEnabledAPIFields(config, 'OnError', 'beta'),
    t.onError !== 'continue' && t.onError !== 'stopAndFail' ? errInvalidValue(t.onError, 'OnError', 'PipelineTask OnError must be either "continue" or "stopAndFail"') : undefined,
    t.onError === 'continue' && (t.retries ?? 0) > 0 ? FieldError.of('PipelineTask OnError cannot be set to "continue" when Retries is greater than 0') : undefined,
  );
}

function validateWhen(w: WhenExpression, config: Config): FieldError | undefined {
  if (w.cel !== undefined) {
    if (!config.featureFlags.enableCelInWhenExpression) {
      return FieldError.of(`feature flag enable-cel-in-whenexpression should be set to true to use CEL: ${w.cel} in WhenExpression`, ['']);
    }
    return undefined;
  }
  if (!w.input && !w.operator && !w.values) return errMissingField('');
  if (w.operator !== 'in' && w.operator !== 'notin') {
    return errInvalidValue(`operator ${JSON.stringify(w.operator ?? '')} is not recognized. valid operators: in,notin`, '');
  }
  if (!w.values?.length) return errInvalidValue('expecting non-empty values field', '');
  return undefined;
}

function validateMatrix(t: PipelineTask, config: Config): FieldError | undefined {
  if (!t.matrix) return undefined;
  // pipeline_validation.go validateMatrix: the gate applies when IsMatrixed (params or include).
  let errs = t.matrix.params?.length || t.matrix.include?.length ? validateEnabledAPIFields(config, 'matrix', 'beta') : undefined;
  const params = new Set((t.params ?? []).map((p) => p.name));
  for (const p of t.matrix.params ?? []) {
    if (params.has(p.name)) errs = FieldError.merge(errs, errMultipleOneOf(`matrix[${p.name}]`, `params[${p.name}]`));
  }
  let count = (t.matrix.params ?? []).reduce((n, p) => n * (Array.isArray(p.value) ? p.value.length : 1), t.matrix.params?.length ? 1 : 0);
  count += (t.matrix.include ?? []).length;
  const max = config.defaults.defaultMaxMatrixCombinationsCount;
  if (count > max) errs = FieldError.merge(errs, errOutOfBoundsValue(count, 0, max, 'matrix'));
  return errs;
}

// pipeline_validation.go PipelineTask.validateWorkspaces (standalone Pipelines only).
function validateTaskWorkspaces(t: PipelineTask, spec: PipelineSpec): FieldError | undefined {
  if (!t.workspaces?.length) return undefined;
  const declared = new Set((spec.workspaces ?? []).map((w) => w.name));
  const bound = new Set<string>();
  let errs: FieldError | undefined;
  (t.workspaces ?? []).forEach((w, i) => {
    if (bound.has(w.name)) errs = FieldError.merge(errs, errInvalidValue(`workspace name ${JSON.stringify(w.name)} must be unique`, `workspaces[${i}]`));
    const name = w.workspace || w.name;
    if (!declared.has(name)) {
      errs = FieldError.merge(
        errs,
        errInvalidValue(`pipeline task ${JSON.stringify(t.name)} expects workspace with name ${JSON.stringify(name)} but none exists in pipeline spec`, `workspaces[${i}]`),
      );
    }
    bound.add(w.name);
  });
  return errs;
}

/** pipelineTaskTexts lists the fields of a PipelineTask where pipeline variables may appear. */
function pipelineTaskTexts(t: PipelineTask): { path: string; text: string }[] {
  const out: { path: string; text: string }[] = [];
  const add = (path: string, v: unknown) => {
    if (typeof v === 'string') out.push({ path, text: v });
    else if (Array.isArray(v)) v.forEach((x, i) => add(`${path}[${i}]`, x));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) add(`${path}.${k}`, x);
  };
  for (const p of t.params ?? []) add(`params[${p.name}].value`, p.value);
  for (const p of t.matrix?.params ?? []) add(`matrix.params[${p.name}].value`, p.value);
  t.when?.forEach((w, i) => {
    add(`when[${i}].input`, w.input);
    add(`when[${i}].values`, w.values);
  });
  return out;
}

/** TaskNames are the names result and status references may use, gathered once per spec. */
interface TaskNames {
  dag: ReadonlySet<string>;
  fin: ReadonlySet<string>;
}

interface TextReference {
  expression: string;
  ref: ParsedReference | undefined;
}

/**
 * referencesIn is every `$(...)` of text: its expression and the parsed reference. Parsed once per
 * text: a producer's `$(tasks.<t>.results.<r>)` is repeated by its consumers, and both passes read every text.
 */
const referencesIn = memoize((text): readonly TextReference[] => findVariables(text).map((v) => ({ expression: v.expression, ref: parseReference(v.expression) })), 10_000);

function validateReferences(text: string, path: string, isFinally: boolean, names: TaskNames): FieldError | undefined {
  // Every check below is about a `$(tasks...)` reference.
  if (!text.includes('$(tasks')) return undefined;
  const { dag: dagNames, fin: finallyNames } = names;
  let errs: FieldError | undefined;
  const refs = referencesIn(text);
  for (let i = 0; i < refs.length; i++) {
    const { expression, ref } = refs[i]!;
    const isStatus = expression === 'tasks.status' || (ref?.prefix === 'tasks' && (ref.rest[0] === 'status' || ref.rest[0] === 'reason') && ref.rest.length === 1);
    if (isStatus && !isFinally) {
      errs = FieldError.merge(errs, errInvalidValue('pipeline tasks can not refer to execution status of any other pipeline task or aggregate status of tasks', path));
    } else if (isStatus && ref && expression !== 'tasks.status' && !dagNames.has(ref.name)) {
      errs = FieldError.merge(errs, errInvalidValue(`pipeline task ${ref.name} is not defined in the pipeline`, path));
    } else if (ref?.prefix === 'tasks' && ref.rest[0] === 'results' && isFinally && finallyNames.has(ref.name)) {
      errs = FieldError.merge(errs, errInvalidValue(`invalid task result reference, final task has task result reference from a final task ${ref.name}`, path));
    }
  }
  return errs;
}

// validatePipelineParametersVariables: `$(params.x)` must name a Pipeline param (standalone Pipelines only).
function validateParamReferences(text: string, path: string, params: ReadonlySet<string>): FieldError | undefined {
  if (!text.includes('$(params')) return undefined; // (a reference with prefix `params` starts so)
  const bad = referencesIn(text).some(({ ref }) => ref?.prefix === 'params' && !params.has(ref.name));
  return bad ? FieldError.of(`non-existent variable in ${JSON.stringify(text)}`, [path]) : undefined;
}

function validateFinally(tasks: PipelineTask[], fin: PipelineTask[]): FieldError | undefined {
  let errs: FieldError | undefined;
  if (fin.length && !tasks.length) errs = errInvalidValue(`spec.tasks is empty but spec.finally has ${fin.length} tasks`, 'finally');
  fin.forEach((f, i) => {
    if (f.runAfter?.length) {
      errs = FieldError.merge(errs, errInvalidValue(`no runAfter allowed under spec.finally, final task ${f.name} has runAfter specified`, `finally[${i}]`));
    }
  });
  return errs;
}

function validateResults(spec: PipelineSpec): FieldError | undefined {
  let errs: FieldError | undefined;
  (spec.results ?? []).forEach((r, i) => {
    const texts = typeof r.value === 'string' ? [r.value] : Array.isArray(r.value) ? r.value : Object.values(r.value);
    const refs = texts.flatMap((x) => findVariables(x)).map((v) => parseReference(v.expression));
    if (!refs.some((x) => (x?.prefix === 'tasks' || x?.prefix === 'finally') && x.rest[0] === 'results')) {
      errs = FieldError.merge(errs, errInvalidValue('expected pipeline results to be task result expressions but no expressions were found', `results[${i}].value`));
    }
  });
  return errs;
}
