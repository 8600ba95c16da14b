// termination.ts: the termination message (pkg/termination/write.go, parse.go, pkg/result/result.go).
import { existsSync, fsyncSync, openSync, closeSync, readFileSync, writeSync, constants } from 'node:fs';
// The format itself lives in src/termination (pure, builtins only, so it bundles into the entrypoint).
import { COMPRESSED_PREFIX, RunResultType, decodeTerminationMessage, marshalRunResults, parseTerminationMessage as parseMessage, type RunResult } from '../termination/index.ts';

/** ResultType values of pkg/result (1 TaskRunResult, 3 InternalTektonResult, 4 StepResult, 5/6 artifacts, 10 unknown). */
export const ResultType = RunResultType;
export type { RunResult };
export { marshalRunResults };

/** MAX_TERMINATION_MESSAGE_LENGTH is Kubernetes' MaxContainerTerminationMessageLength (4 KiB). */
export const MAX_TERMINATION_MESSAGE_LENGTH = 1024 * 4;

/** MESSAGE_TOO_LONG is Tekton's errTooLong text. */
export const MESSAGE_TOO_LONG = `Termination message is above max allowed size ${MAX_TERMINATION_MESSAGE_LENGTH}, caused by large task result.`;

/** parseTerminationMessage mirrors termination.ParseMessage: drops empty entries, dedups by key (last wins), sorts by key. */
export function parseTerminationMessage(text: string): RunResult[] | { error: string } {
  const parsed = parseMessage(text);
  return 'error' in parsed ? parsed : parsed.entries;
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
    const decoded = decodeTerminationMessage(existing);
    if (!('error' in decoded)) all = [...decoded.entries, ...entries];
  }
  let output = marshalRunResults(all);
  if (options.compress) {
    // zlib is loaded only when compressing: node compiles it on first load (ms of every start-up).
    const compressed = COMPRESSED_PREFIX + process.getBuiltinModule('node:zlib').deflateRawSync(output, { level: 9 }).toString('base64').replace(/=+$/, '');
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
