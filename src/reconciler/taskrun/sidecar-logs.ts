// sidecar-logs.ts: results-from=sidecar-logs on the controller side (internal/sidecarlogresults
// extractResultsFromLogs / parseResults): the results sidecar's log, as the executor streams it,
// split into lines and decoded, each line held to feature-flags' max-result-size.
import { RunResultType, type RunResult } from '../../termination/index.ts';

/** SIZE_EXCEEDED is the text of sidecarlogresults.ErrSizeExceeded. */
export const SIZE_EXCEEDED = 'results size exceeds configured limit';

/** SidecarLogError is why the log could not be read in full; sizeExceeded fails the TaskRun. */
export interface SidecarLogError {
  message: string;
  sizeExceeded: boolean;
}

const TYPES: Record<string, number> = {
  task: RunResultType.TaskRunResult,
  step: RunResultType.StepResult,
  stepArtifact: RunResultType.StepArtifactsResult,
  taskArtifact: RunResultType.TaskRunArtifactsResult,
};

/**
 * SidecarLogResults reads the results sidecar's output as it streams in. Memory stays bounded:
 * a line is kept only up to max-result-size bytes; past that only its length is counted.
 */
export class SidecarLogResults {
  private readonly parsed: RunResult[] = [];
  private line: Buffer[] = [];
  private kept = 0;
  private length = 0;
  private failure: SidecarLogError | undefined;

  constructor(private readonly maxResultSize: number) {}

  /** push feeds a chunk of the container's log. */
  push(data: Buffer): void {
    let start = 0;
    while (!this.failure && start < data.length) {
      const nl = data.indexOf(0x0a, start);
      const end = nl < 0 ? data.length : nl;
      this.append(data.subarray(start, end));
      if (nl < 0) return;
      this.endLine();
      start = nl + 1;
    }
  }

  /** results are the lines decoded so far: kept after an over-limit line, dropped after an undecodable one (as Tekton does). */
  results(): RunResult[] {
    return this.failure && !this.failure.sizeExceeded ? [] : [...this.parsed];
  }

  /** finish reads a last line without a newline and returns everything read, with the first error. */
  finish(): { results: RunResult[]; error?: SidecarLogError } {
    if (!this.failure && this.length > 0) this.endLine();
    return { results: this.results(), ...(this.failure && { error: this.failure }) };
  }

  private append(part: Buffer): void {
    this.length += part.length;
    const room = this.maxResultSize + 1 - this.kept;
    if (room <= 0 || part.length === 0) return;
    const keep = part.subarray(0, room);
    this.line.push(Buffer.from(keep));
    this.kept += keep.length;
  }

  private endLine(): void {
    let bytes = Buffer.concat(this.line);
    let length = this.length;
    this.line = [];
    this.kept = 0;
    this.length = 0;
    // bufio.Reader.ReadLine drops a "\r" before the "\n".
    if (length <= this.maxResultSize + 1 && bytes[bytes.length - 1] === 0x0d) {
      bytes = bytes.subarray(0, -1);
      length--;
    }
    if (length > this.maxResultSize) {
      this.failure = { sizeExceeded: true, message: `${length} bytes ${SIZE_EXCEEDED} of ${this.maxResultSize} bytes` };
      return;
    }
    const result = parseSidecarLogLine(bytes.toString('utf8'));
    if ('error' in result) this.failure = { sizeExceeded: false, message: result.error };
    else this.parsed.push(result);
  }
}

/** parseSidecarLogLine decodes one `{"name","value","type"}` line into a RunResult (parseResults). */
export function parseSidecarLogLine(line: string): RunResult | { error: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    return { error: `invalid result "": ${(err as Error).message}` };
  }
  const r = (typeof v === 'object' && v !== null ? v : {}) as { name?: unknown; value?: unknown; type?: unknown };
  const name = typeof r.name === 'string' ? r.name : '';
  if ((r.name !== undefined && r.name !== null && typeof r.name !== 'string') || (r.value !== undefined && r.value !== null && typeof r.value !== 'string')) {
    return { error: `invalid result ${JSON.stringify(name)}: json: cannot unmarshal into Go struct field SidecarLogResult of type string` };
  }
  const type = typeof r.type === 'string' ? TYPES[r.type] : undefined;
  if (type === undefined) {
    return { error: `invalid sidecar result type ${typeof r.type === 'string' ? r.type : ''}. Must be task or step or stepArtifact` };
  }
  return { key: name, value: typeof r.value === 'string' ? r.value : '', type };
}

/** sizeExceededMessage is the condition message taskrun.go ReconcileKind gives an over-limit TaskRun (`%q` inside quotes, sic). */
export function sizeExceededMessage(taskRunName: string, error: string): string {
  return `[User error]  TaskRun "${JSON.stringify(taskRunName)}" failed: ${error}`;
}

/** stepResultsFromSidecarLogs picks a step container's `<step>.<result>` lines, renamed to the result (getStepResultsFromSidecarLogs). */
export function stepResultsFromSidecarLogs(results: RunResult[], container: string): RunResult[] {
  const out: RunResult[] = [];
  for (const r of results) {
    if (r.type !== RunResultType.StepResult) continue;
    const dot = r.key.indexOf('.');
    if (dot < 0) continue;
    if (r.key.slice(0, dot) === container) out.push({ ...r, key: r.key.slice(dot + 1) });
  }
  return out;
}
