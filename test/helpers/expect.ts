// expect.ts: reads the machine-readable `# expect:` header lines of an example YAML file.
// A line holds space-separated `key=value` entries; a value that starts with `"`, `[` or `{`
// is JSON (so it may contain spaces), anything else runs to the next space. Keys:
//   status=True|False|Unknown   reason=<Reason>   message=<json string>
//   result.<name>=<json value>  log=<substring of the CLI output>   (log may repeat)
// and, for PipelineRuns (examples/pipelineruns):
//   skipped=<json array of {name, reason}>  (exactly status.skippedTasks, name and reason only)
//   no-result=<name>                        (the run has no result of that name; may repeat)
//   taskrun.<pipelineTask>=<json object>    (a subset the child TaskRun must contain)

/** Expectation is what an example file says its TaskRuns end with. */
export interface Expectation {
  status?: string;
  reason?: string;
  message?: string;
  results: Record<string, unknown>;
  logs: string[];
  /** skipped is the exact status.skippedTasks of a PipelineRun, as {name, reason}. */
  skipped?: unknown[];
  /** absentResults are result names the run must not have. */
  absentResults?: string[];
  /** taskRuns maps a PipelineTask name to a subset its child TaskRun must contain. */
  taskRuns?: Record<string, unknown>;
}

/** ExpectationResult is the parsed expectation, or the first problem found in the header. */
export type ExpectationResult = { ok: true; expectation: Expectation } | { ok: false; error: string };

/** parseExpectations reads every `# expect:` line of a file's text into one Expectation. */
export function parseExpectations(text: string): ExpectationResult {
  const expectation: Expectation = { results: {}, logs: [] };
  const lines = text.split('\n').filter((l) => /^#\s*expect:/.test(l));
  if (lines.length === 0) return { ok: false, error: 'no "# expect:" line' };
  for (const line of lines) {
    const entries = tokenize(line.replace(/^#\s*expect:/, ''));
    if (!entries.ok) return { ok: false, error: `${entries.error} in ${JSON.stringify(line)}` };
    for (const [key, value] of entries.entries) {
      const problem = apply(expectation, key, value);
      if (problem) return { ok: false, error: `${problem} in ${JSON.stringify(line)}` };
    }
  }
  if (!expectation.status || !expectation.reason) return { ok: false, error: 'status= and reason= are required' };
  return { ok: true, expectation };
}

function apply(e: Expectation, key: string, value: unknown): string | undefined {
  if (key.startsWith('result.')) {
    e.results[key.slice('result.'.length)] = value;
    return undefined;
  }
  if (key.startsWith('taskrun.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return `${key} must be a JSON object`;
    e.taskRuns = { ...e.taskRuns, [key.slice('taskrun.'.length)]: value };
    return undefined;
  }
  if (key === 'skipped') {
    if (!Array.isArray(value)) return 'skipped must be a JSON array';
    e.skipped = value;
    return undefined;
  }
  if (typeof value !== 'string') return `${key} must be a string`;
  switch (key) {
    case 'status':
      if (!['True', 'False', 'Unknown'].includes(value)) return `status must be True, False or Unknown, not ${value}`;
      e.status = value;
      return undefined;
    case 'reason':
      e.reason = value;
      return undefined;
    case 'message':
      e.message = value;
      return undefined;
    case 'log':
      e.logs.push(value);
      return undefined;
    case 'no-result':
      e.absentResults = [...(e.absentResults ?? []), value];
      return undefined;
    default:
      return `unknown key ${JSON.stringify(key)}`;
  }
}

type Tokens = { ok: true; entries: Array<[string, unknown]> } | { ok: false; error: string };

function tokenize(s: string): Tokens {
  const entries: Array<[string, unknown]> = [];
  let i = 0;
  while (i < s.length) {
    if (/\s/.test(s[i]!)) {
      i++;
      continue;
    }
    const eq = s.indexOf('=', i);
    if (eq < 0) return { ok: false, error: `no "=" after ${JSON.stringify(s.slice(i))}` };
    const key = s.slice(i, eq);
    if (/\s/.test(key)) return { ok: false, error: `bad key ${JSON.stringify(key)}` };
    const end = '"[{'.includes(s[eq + 1] ?? '') ? jsonEnd(s, eq + 1) : rawEnd(s, eq + 1);
    if (end < 0) return { ok: false, error: `unterminated JSON value for ${key}` };
    const raw = s.slice(eq + 1, end);
    const value = parseValue(raw);
    if (!value.ok) return { ok: false, error: `invalid JSON value for ${key}: ${raw}` };
    entries.push([key, value.value]);
    i = end;
  }
  return { ok: true, entries };
}

function rawEnd(s: string, from: number): number {
  let j = from;
  while (j < s.length && !/\s/.test(s[j]!)) j++;
  return j;
}

/** jsonEnd returns the index just past the JSON value starting at `from`, or -1. */
function jsonEnd(s: string, from: number): number {
  let depth = 0;
  let inString = false;
  for (let j = from; j < s.length; j++) {
    const c = s[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return j + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      depth--;
      if (depth === 0) return j + 1;
    }
  }
  return -1;
}

function parseValue(raw: string): { ok: true; value: unknown } | { ok: false } {
  if (!'"[{'.includes(raw[0] ?? '')) return { ok: true, value: raw };
  try {
    return { ok: true, value: JSON.parse(raw) as unknown };
  } catch {
    return { ok: false };
  }
}
