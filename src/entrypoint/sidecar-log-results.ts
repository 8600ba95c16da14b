// sidecar-log-results.ts: Tekton's results sidecar (cmd/sidecarlogresults + internal/sidecarlogresults
// LookForResults / LookForArtifacts) for `results-from: sidecar-logs`. It waits until every step has
// written its post file (or one failed), then prints each result file it finds as one JSON line
// `{"name":…,"value":…,"type":"task"|"step"|"stepArtifact"}` on stdout; the controller reads these
// lines from the container's log. Served by the entrypoint bundle as the multi-call name
// `sidecarlogresults` (Tekton's /ko-app/sidecarlogresults), so it needs only node: builtins.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseGoDuration } from '../duration/go-duration.ts';
import { parseGoBool, parseGoFlags, type GoFlagKind } from '../goflag/index.ts';
import { waitForFile } from './waiter.ts';

/** SIDECAR_LOG_RESULTS is Tekton's binary name, served by this bundle as a multi-call name and a subcommand. */
export const SIDECAR_LOG_RESULTS = 'sidecarlogresults';

// pod.RunDir and pipeline.StepsDir.
const RUN_DIR = '/tekton/run';
const STEPS_DIR = '/tekton/steps';

/** SidecarLogResultType is the `type` of one printed line (sidecarlogresults.SidecarLogResultType). */
export type SidecarLogResultType = 'task' | 'step' | 'stepArtifact' | 'taskArtifact';

/** SidecarLogResult is one printed line; Go's encoder writes the fields in this order. */
export interface SidecarLogResult {
  name: string;
  value: string;
  type: SidecarLogResultType;
}

/** SidecarLogResultsIO is what the program touches outside its own code. */
export interface SidecarLogResultsIO {
  /** resolvePath is identity in a container; the host executor maps /tekton/... to host dirs. */
  resolvePath(containerPath: string): string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  /** signal: the container is being stopped (also ends the wait of -kubernetes-sidecar-mode). */
  signal?: AbortSignal;
}

interface Flags {
  'results-dir': string;
  'result-names': string;
  'step-results': string;
  'step-names': string;
  'kubernetes-sidecar-mode': boolean;
}

/** runSidecarLogResults is cmd/sidecarlogresults main minus os.Exit: 0, or 1 after log.Fatal's line. */
export async function runSidecarLogResults(argv: string[], io: SidecarLogResultsIO): Promise<number> {
  const fatal = (message: string): number => {
    io.stderr.write(`${logTimestamp(new Date())} ${message}\n`);
    return 1;
  };
  const flags = parseFlags(argv);
  if ('error' in flags) {
    io.stderr.write(`${flags.error}\n`);
    return 2;
  }
  const resultNames = flags['result-names'] === '' ? [] : flags['result-names'].split(',');
  let stepResults: Record<string, string[]>;
  try {
    // Go unmarshals "" into the map with an error, exactly like `json.Unmarshal([]byte(""), &m)`.
    stepResults = parseStepResults(flags['step-results']);
  } catch (err) {
    return fatal((err as Error).message);
  }
  const interval = parseGoDuration(io.env.SIDECAR_LOG_POLLING_INTERVAL || '100ms');
  if (!interval.ok) return fatal(`error getting polling interval: time: invalid duration ${JSON.stringify(io.env.SIDECAR_LOG_POLLING_INTERVAL)}`);
  const waited = await waitForStepsToFinish(io, interval.ms);
  // Stopped while waiting: the container is being killed (128 + SIGTERM), nothing is printed.
  if (waited === ABORTED) return 143;
  if (waited) return fatal(`error while waiting for the steps to finish  ${waited}`);
  const lines: SidecarLogResult[] = [];
  try {
    for (const name of resultNames) pushIfPresent(lines, readResult(io, join(flags['results-dir'], name), name, 'task'));
    for (const [step, names] of Object.entries(stepResults)) {
      for (const name of names ?? []) {
        pushIfPresent(lines, readResult(io, join(STEPS_DIR, step, 'results', name), `${step}.${name}`, 'step'));
      }
    }
    for (const step of flags['step-names'] === '' ? [] : flags['step-names'].split(',')) {
      const artifacts = readArtifacts(io, join(STEPS_DIR, step, 'artifacts', 'provenance.json'));
      if (artifacts !== undefined) lines.push({ name: step, value: artifacts, type: 'stepArtifact' });
    }
  } catch (err) {
    return fatal((err as Error).message);
  }
  for (const line of lines) io.stdout.write(`${encodeSidecarLogResult(line)}\n`);
  if (flags['kubernetes-sidecar-mode'] && io.signal && !io.signal.aborted) {
    // A native (restartPolicy: Always) sidecar must not exit before the pod ends.
    await new Promise<void>((resolve) => io.signal!.addEventListener('abort', () => resolve(), { once: true }));
  }
  return 0;
}

/** encodeSidecarLogResult is json.Encoder's output for one result (HTML-escaping <, >, & like Go). */
export function encodeSidecarLogResult(r: SidecarLogResult): string {
  return JSON.stringify({ name: r.name, value: r.value, type: r.type })
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function pushIfPresent(lines: SidecarLogResult[], r: SidecarLogResult | undefined): void {
  if (r) lines.push(r);
}

/** readResult reads one result file verbatim; a missing file is no result (readResults). */
function readResult(io: SidecarLogResultsIO, file: string, name: string, type: SidecarLogResultType): SidecarLogResult | undefined {
  try {
    return { name, value: readFileSync(io.resolvePath(file), 'utf8'), type };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`error parsing results: error reading the results file ${(err as Error).message}`);
  }
}

/** readArtifacts re-marshals a step's provenance.json as v1.Artifacts (inputs, outputs); undefined when absent. */
function readArtifacts(io: SidecarLogResultsIO, file: string): string | undefined {
  let text: string;
  try {
    if (!statSync(io.resolvePath(file)).isFile()) return undefined;
    text = readFileSync(io.resolvePath(file), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`error reading the results file ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`invalid artifacts : ${(err as Error).message}`);
  }
  const a = (parsed ?? {}) as { inputs?: unknown; outputs?: unknown };
  // v1.Artifacts has `inputs,omitempty` and `outputs,omitempty`; anything else is dropped by Go.
  const out: Record<string, unknown> = {};
  if (Array.isArray(a.inputs) && a.inputs.length > 0) out.inputs = a.inputs;
  if (Array.isArray(a.outputs) && a.outputs.length > 0) out.outputs = a.outputs;
  return JSON.stringify(out);
}

/**
 * waitForStepsToFinish waits for every step's /tekton/run/<i>/out; an `out.err` means a step
 * failed and the rest will not run, so the results written so far are printed at once.
 * Steps post in order, so waiting for them one after the other is Tekton's loop over all.
 */
async function waitForStepsToFinish(io: SidecarLogResultsIO, pollMs: number): Promise<string | typeof ABORTED | undefined> {
  for (let i = 0; exists(io.resolvePath(join(RUN_DIR, String(i)))); i++) {
    const outcome = await waitForFile(io.resolvePath(join(RUN_DIR, String(i), 'out')), { signal: io.signal, pollMs: pollMs > 0 ? pollMs : 100 });
    if (outcome.kind === 'error') return outcome.error;
    if (outcome.kind === 'aborted') return ABORTED;
    if (outcome.kind !== 'ready') return undefined;
  }
  return undefined;
}

const ABORTED = Symbol('aborted');

function exists(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false }) !== undefined;
}

function parseStepResults(text: string): Record<string, string[]> {
  if (text === '') throw new Error('unexpected end of JSON input');
  const v = JSON.parse(text) as unknown;
  if (v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new Error('json: cannot unmarshal into Go value of type map[string][]string');
  for (const names of Object.values(v)) {
    if (names !== null && (!Array.isArray(names) || names.some((n) => typeof n !== 'string'))) {
      throw new Error('json: cannot unmarshal into Go value of type []string');
    }
  }
  return v as Record<string, string[]>;
}

/** parseFlags parses the sidecar's flags with Go `flag` rules (src/goflag). */
function parseFlags(argv: string[]): Flags | { error: string } {
  const flags: Flags = { 'results-dir': '/tekton/results', 'result-names': '', 'step-results': '', 'step-names': '', 'kubernetes-sidecar-mode': false };
  const kinds: Record<keyof Flags, GoFlagKind> = {
    'results-dir': 'string',
    'result-names': 'string',
    'step-results': 'string',
    'step-names': 'string',
    'kubernetes-sidecar-mode': 'bool',
  };
  const r = parseGoFlags(argv, kinds, (name, kind, value) => {
    if (kind !== 'bool') {
      (flags as unknown as Record<string, string>)[name] = value ?? '';
      return undefined;
    }
    const v = parseGoBool(value ?? 'true');
    if (v === undefined) return `invalid boolean value ${JSON.stringify(value)} for -${name}: parse error`;
    flags['kubernetes-sidecar-mode'] = v;
    return undefined;
  });
  return 'error' in r ? { error: r.error } : flags;
}

/** logTimestamp is Go's log package prefix (`2006/01/02 15:04:05`, local time). */
function logTimestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}/${p(d.getMonth() + 1)}/${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
