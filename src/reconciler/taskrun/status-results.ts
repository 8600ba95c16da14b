// status-results.ts: turning termination-message entries into TaskRun and step results, and
// checking them against the declared results (pkg/pod/status.go filterResults,
// pkg/reconciler/taskrun/taskrun.go validateTaskRunResults).
import type { StepResult, TaskResult, TaskRunResult } from '../../api/index.ts';
import { restrictLength } from '../../pod/index.ts';
import { RunResultType, type RunResult } from '../../termination/index.ts';

type ResultType = TaskRunResult['type'];

/** declaredType is a declared result's type after SetDefaults: object when it has properties, else string. */
export function declaredType(r: TaskResult | StepResult): ResultType {
  return r.type ?? (r.properties ? 'object' : 'string');
}

/**
 * parseResultValue is how the controller reads a result: verbatim for a declared string result,
 * else ResultValue.UnmarshalJSON (`[`-array of strings, `{`-object of strings, JSON string, raw text).
 */
export function parseResultValue(raw: string, declared: ResultType | undefined): Pick<TaskRunResult, 'type' | 'value'> {
  if (declared === 'string' || raw === '') return { type: 'string', value: raw };
  const parsed = tryJSON(raw);
  if (raw[0] === '[' && Array.isArray(parsed) && parsed.every((v) => typeof v === 'string' || v === null)) {
    return { type: 'array', value: parsed.map((v) => v ?? '') };
  }
  if (raw[0] === '{' && isStringMap(parsed)) {
    return { type: 'object', value: Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, v ?? ''])) };
  }
  // json.Unmarshal into a string: a JSON string decodes, `null` leaves it empty, anything else is kept raw.
  if (typeof parsed === 'string') return { type: 'string', value: parsed };
  if (parsed === null) return { type: 'string', value: '' };
  return { type: 'string', value: raw };
}

const NOT_JSON = Symbol('not JSON');

function tryJSON(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return NOT_JSON;
  }
}

function isStringMap(v: unknown): v is Record<string, string | null> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string' || x === null);
}

/** FilteredResults is filterResults' output: task results, step results, and the entries to show in the message. */
export interface FilteredResults {
  taskResults: TaskRunResult[];
  stepResults: TaskRunResult[];
  /** Every entry except the internal (type 3) ones, in message order. */
  visible: RunResult[];
}

/** filterResults splits parsed entries by type, typing each by its declaration (undeclared ones by their content). */
export function filterResults(entries: RunResult[], specResults: TaskResult[], stepDecls: StepResult[]): FilteredResults {
  const taskTypes = new Map(specResults.map((r) => [r.name, declaredType(r)]));
  const stepTypes = new Map(stepDecls.map((r) => [r.name, declaredType(r)]));
  const out: FilteredResults = { taskResults: [], stepResults: [], visible: [] };
  for (const e of entries) {
    if (e.type === RunResultType.InternalTektonResult) continue;
    if (e.type === RunResultType.TaskRunResult) out.taskResults.push({ name: e.key, ...parseResultValue(e.value, taskTypes.get(e.key)) });
    if (e.type === RunResultType.StepResult) out.stepResults.push({ name: e.key, ...parseResultValue(e.value, stepTypes.get(e.key)) });
    out.visible.push(e);
  }
  return out;
}

const STEP_RESULT_REF = /\$\(steps\.(.*?)\.results\.(.*?)\)/;

/**
 * stepResultsFetchedByTask maps a step container's result names to the Task results whose
 * `value` is `$(steps.<step>.results.<result>)` (findStepResultsFetchedByTask).
 */
export function stepResultsFetchedByTask(containerName: string, specResults: TaskResult[]): Map<string, string> {
  const needed = new Map<string, string>();
  for (const r of specResults) {
    if (typeof r.value !== 'string' || r.value === '') continue;
    const m = STEP_RESULT_REF.exec(r.value);
    // Tekton gives up on all of this step's Task results when one value is malformed.
    if (!m) return new Map();
    if (restrictLength(`step-${m[1]}`) === containerName) needed.set(m[2], r.name);
  }
  return needed;
}

/** taskResultsFromStepResults renames the step results a Task result fetches (createTaskResultsFromStepResults). */
export function taskResultsFromStepResults(stepResults: TaskRunResult[], needed: Map<string, string>): TaskRunResult[] {
  return stepResults.filter((r) => needed.has(r.name)).map((r) => ({ ...r, name: needed.get(r.name)! }));
}

/** removeDuplicateResults keeps each name at its first position with its last value. */
export function removeDuplicateResults(results: TaskRunResult[]): TaskRunResult[] | undefined {
  if (results.length === 0) return undefined;
  const latest = new Map<string, TaskRunResult>();
  for (const r of results) latest.set(r.name, r);
  return [...latest.values()];
}

/**
 * validateTaskRunResults checks emitted results against the declared ones: a declared result of
 * another type, or an object result missing declared keys, fails the TaskRun (TaskRunValidationFailed).
 */
export function validateTaskRunResults(results: TaskRunResult[], specResults: TaskResult[]): string | undefined {
  const needed = new Map(specResults.map((r) => [r.name, declaredType(r)]));
  const mismatched = new Map<string, string>();
  for (const r of results) {
    const want = needed.get(r.name);
    if (want !== undefined && want !== r.type) {
      mismatched.set(r.name, `task result is expected to be "${want}" type but was initialized to a different type "${r.type}"`);
    }
  }
  if (mismatched.size > 0) {
    const parts = [...mismatched].map(([k, v]) => ` "${k}": ${v}`).sort();
    return `Provided results don't match declared results; may be invalid JSON or missing result declaration: ${parts.join(',')}`;
  }
  const missing = missingObjectKeys(results, specResults);
  if (missing.length > 0) {
    const goMap = missing.map(([name, keys]) => `${name}:[${keys.join(' ')}]`).join(' ');
    return `missing keys for these results which are required in TaskResult's properties map[${goMap}]`;
  }
  return undefined;
}

/** missingObjectKeys lists, per object result, the declared properties it did not provide (sorted like Go prints a map). */
function missingObjectKeys(results: TaskRunResult[], specResults: TaskResult[]): [string, string[]][] {
  const neededKeys = new Map<string, string[]>();
  for (const r of specResults) {
    if (declaredType(r) === 'object') neededKeys.set(r.name, [...(neededKeys.get(r.name) ?? []), ...Object.keys(r.properties ?? {})]);
  }
  const missing = new Map<string, string[]>();
  for (const r of results) {
    const keys = neededKeys.get(r.name);
    if (r.type !== 'object' || !keys) continue;
    const provided = r.value as Record<string, string>;
    // Go collects provided keys per result, so an empty object never shows up as missing keys.
    if (Object.keys(provided).length === 0) continue;
    const absent = keys.filter((k) => !(k in provided));
    if (absent.length > 0) missing.set(r.name, absent);
  }
  return [...missing].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
