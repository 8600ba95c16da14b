// termination.ts: the termination message (pkg/termination/write.go, parse.go, pkg/result/result.go).
import { existsSync, fsyncSync, openSync, closeSync, readFileSync, writeSync, constants } from 'node:fs';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** ResultType values of pkg/result (1 TaskRunResult, 3 InternalTektonResult, 4 StepResult, 5/6 artifacts, 10 unknown). */
export const ResultType = {
  TaskRunResult: 1,
  InternalTektonResult: 3,
  StepResult: 4,
  StepArtifactsResult: 5,
  TaskRunArtifactsResult: 6,
  Unknown: 10,
} as const;

/** RunResult is one entry of the termination message JSON array. */
export interface RunResult {
  key: string;
  value: string;
  resourceName?: string;
  type?: number;
}

/** MAX_TERMINATION_MESSAGE_LENGTH is Kubernetes' MaxContainerTerminationMessageLength (4 KiB). */
export const MAX_TERMINATION_MESSAGE_LENGTH = 1024 * 4;

/** MESSAGE_TOO_LONG is Tekton's errTooLong text. */
export const MESSAGE_TOO_LONG = `Termination message is above max allowed size ${MAX_TERMINATION_MESSAGE_LENGTH}, caused by large task result.`;

const COMPRESSED_PREFIX = 'tknz:';
const MAX_DECOMPRESSED = 128 * 1024;

/** marshalRunResults renders entries exactly like Go's json.Marshal of []result.RunResult (HTML-safe escapes). */
export function marshalRunResults(entries: RunResult[]): string {
  const ordered = entries.map((e) => {
    const out: Record<string, unknown> = { key: e.key, value: e.value };
    if (e.resourceName) out.resourceName = e.resourceName;
    if (e.type) out.type = e.type;
    return out;
  });
  // Go escapes <, >, & and U+2028/U+2029; this changes the byte count that the 4096 limit sees.
  return JSON.stringify(ordered).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** decodeMessage turns message text (plain or tknz:) into entries, or Go's parse error text. */
function decodeMessage(text: string): RunResult[] | { error: string } {
  let json = text;
  if (text.startsWith(COMPRESSED_PREFIX)) {
    try {
      const raw = Buffer.from(text.slice(COMPRESSED_PREFIX.length), 'base64');
      json = inflateRawSync(raw, { maxOutputLength: MAX_DECOMPRESSED }).toString('utf8');
    } catch (err) {
      return { error: `decompressing message: ${(err as Error).message}` };
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (err) {
    return { error: `parsing message json: ${(err as Error).message}, msg: ${text}` };
  }
  if (parsed === null) return [];
  if (!Array.isArray(parsed)) return { error: `parsing message json: cannot unmarshal into []result.RunResult, msg: ${text}` };
  const entries: RunResult[] = [];
  for (const item of parsed) {
    const entry = toRunResult(item);
    if ('error' in entry) return { error: `parsing message json: ${entry.error}, msg: ${text}` };
    entries.push(entry);
  }
  return entries;
}

function toRunResult(item: unknown): RunResult | { error: string } {
  if (item === null) return { key: '', value: '' };
  if (typeof item !== 'object' || Array.isArray(item)) return { error: 'cannot unmarshal into result.RunResult' };
  const o = item as Record<string, unknown>;
  const entry: RunResult = { key: stringField(o.key), value: stringField(o.value) };
  if (typeof o.resourceName === 'string' && o.resourceName) entry.resourceName = o.resourceName;
  const type = resultTypeOf(o.type);
  if (type) entry.type = type;
  return entry;
}

function stringField(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** resultTypeOf accepts the int form and the string names, like ResultType.UnmarshalJSON. */
function resultTypeOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const named = (ResultType as Record<string, number>)[v];
  return named ?? ResultType.Unknown;
}

/** parseTerminationMessage mirrors termination.ParseMessage: drops empty entries, dedups by key (last wins), sorts by key. */
export function parseTerminationMessage(text: string): { key: string; value: string; type?: number }[] | { error: string } {
  if (text === '') return [];
  const decoded = decodeMessage(text);
  if ('error' in decoded) return decoded;
  const byKey = new Map<string, RunResult>();
  for (const entry of decoded) {
    if (entry.key === '' && entry.value === '' && !entry.type && !entry.resourceName) continue;
    byKey.set(entry.key, entry);
  }
  return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** WriteOptions selects the optional flate+base64 form (`-compress_termination_message`). */
export interface WriteOptions {
  compress?: boolean;
}

/** writeTerminationMessage appends entries to the file's existing entries (merge), enforces 4096 bytes, rewrites + fsyncs. */
export function writeTerminationMessage(path: string, entries: RunResult[], options: WriteOptions = {}): { error: string } | undefined {
  let all = entries;
  if (existsSync(path)) {
    let existing = '';
    try {
      existing = readFileSync(path, 'utf8');
    } catch (err) {
      return { error: (err as Error).message };
    }
    const decoded = existing.trim() === '' ? [] : decodeMessage(existing);
    if (!('error' in decoded)) all = [...decoded, ...entries];
  }
  let output = marshalRunResults(all);
  if (options.compress) {
    const compressed = COMPRESSED_PREFIX + deflateRawSync(output, { level: 9 }).toString('base64').replace(/=+$/, '');
    if (compressed.length < output.length) output = compressed;
  }
  if (Buffer.byteLength(output) > MAX_TERMINATION_MESSAGE_LENGTH) return { error: MESSAGE_TOO_LONG };
  try {
    const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o666);
    try {
      writeSync(fd, output);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    return { error: (err as Error).message };
  }
  return undefined;
}
