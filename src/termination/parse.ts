// parse.ts: reading a step's termination message the way the controller does
// (pkg/termination/parse.go ParseMessage, with the `tknz:` compressed form).
import { resultTypeFromJSON, type RunResult } from './result.ts';

/** COMPRESSED_PREFIX marks a flate-compressed, unpadded-base64 termination message. */
export const COMPRESSED_PREFIX = 'tknz:';

// pkg/termination: decompression stops at 128 KiB so a hostile message cannot balloon.
const MAX_DECOMPRESSED_BYTES = 128 * 1024;

/** ParsedTerminationMessage is the entries of a message, or why it could not be read. */
export type ParsedTerminationMessage = { entries: RunResult[] } | { error: string };

/**
 * parseTerminationMessage decodes a termination message like ParseMessage: all-zero entries
 * are dropped, entries with the same key keep the last one, and the result is sorted by key.
 */
export function parseTerminationMessage(text: string): ParsedTerminationMessage {
  const decoded = decodeTerminationMessage(text);
  if ('error' in decoded) return decoded;
  return { entries: dedupAndSort(decoded.entries.filter((e) => !isZero(e))) };
}

/** decodeTerminationMessage is the raw json.Unmarshal (plain or tknz:), as termination.WriteMessage merges it: no dedup, no sort. */
export function decodeTerminationMessage(text: string): ParsedTerminationMessage {
  if (text.trim() === '') return { entries: [] };
  const json = text.startsWith(COMPRESSED_PREFIX) ? decompress(text.slice(COMPRESSED_PREFIX.length)) : { text };
  if ('error' in json) return json;
  const decoded = decodeEntries(json.text);
  if ('error' in decoded) return { error: `parsing message json: ${decoded.error}, msg: ${text}` };
  return decoded;
}

/** decompress undoes the entrypoint's compression: base64 (RawStdEncoding), then raw flate. */
function decompress(encoded: string): { text: string } | { error: string } {
  if (!/^[A-Za-z0-9+/]*$/.test(encoded) || encoded.length % 4 === 1) {
    return { error: `failed to decode base64 termination message: illegal base64 data` };
  }
  try {
    // zlib is loaded only for a compressed message: node compiles it on first load (ms of every CLI start-up).
    const out = process.getBuiltinModule('node:zlib').inflateRawSync(Buffer.from(encoded, 'base64'), { maxOutputLength: MAX_DECOMPRESSED_BYTES });
    return { text: out.toString('utf8') };
  } catch (e) {
    return { error: `failed to decompress termination message: ${(e as Error).message}` };
  }
}

/** decodeEntries is json.Unmarshal into []RunResult: field names match case-insensitively, unknown fields are ignored. */
function decodeEntries(text: string): { entries: RunResult[] } | { error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (raw === null) return { entries: [] };
  if (!Array.isArray(raw)) return { error: `json: cannot unmarshal ${jsonKind(raw)} into Go value of type []result.RunResult` };
  const entries: RunResult[] = [];
  for (const item of raw) {
    const entry = decodeEntry(item);
    if ('error' in entry) return entry;
    entries.push(entry.entry);
  }
  return { entries };
}

function decodeEntry(item: unknown): { entry: RunResult } | { error: string } {
  const entry: RunResult = { key: '', value: '' };
  if (item === null) return { entry };
  if (typeof item !== 'object' || Array.isArray(item)) {
    return { error: `json: cannot unmarshal ${jsonKind(item)} into Go value of type result.RunResult` };
  }
  for (const [name, v] of Object.entries(item as Record<string, unknown>)) {
    const field = name.toLowerCase();
    if (field === 'key' || field === 'value' || field === 'resourcename') {
      if (v === null) continue;
      if (typeof v !== 'string') return { error: `json: cannot unmarshal ${jsonKind(v)} into Go struct field RunResult.${field} of type string` };
      if (field === 'resourcename') entry.resourceName = v;
      else entry[field] = v;
    } else if (field === 'type') {
      const t = resultTypeFromJSON(v);
      if ('error' in t) return { error: `json: ${t.error}` };
      if (t.type !== 0) entry.type = t.type;
      else delete entry.type;
    }
  }
  return { entry };
}

function jsonKind(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v === 'object' ? 'object' : typeof v;
}

function isZero(e: RunResult): boolean {
  return e.key === '' && e.value === '' && !e.resourceName && !e.type;
}

/** dedupAndSort keeps the last entry of each key and sorts by key (byte order, like sort.Slice on Go strings). */
function dedupAndSort(entries: RunResult[]): RunResult[] {
  const byKey = new Map<string, RunResult>();
  for (const e of entries) byKey.set(e.key, e);
  return [...byKey.values()].sort((a, b) => compareBytes(a.key, b.key));
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
