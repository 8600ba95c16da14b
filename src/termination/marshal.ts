// marshal.ts: writing RunResults back as JSON byte-for-byte like Go's encoding/json,
// which TaskRun status.steps[].terminated.message shows (pkg/pod/status.go createMessageFromResults).
import type { RunResult } from './result.ts';

/** marshalRunResults is json.Marshal([]RunResult): field order key, value, resourceName, type; omitempty on the last two. */
export function marshalRunResults(entries: RunResult[]): string {
  const items = entries.map((e) => {
    let s = `{"key":${goJSONString(e.key)},"value":${goJSONString(e.value)}`;
    if (e.resourceName) s += `,"resourceName":${goJSONString(e.resourceName)}`;
    if (e.type) s += `,"type":${e.type}`;
    return `${s}}`;
  });
  return `[${items.join(',')}]`;
}

/** goJSONString quotes a string like encoding/json: HTML-unsafe <, >, & and U+2028/U+2029 become \u escapes. */
export function goJSONString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
