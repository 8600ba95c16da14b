// issues.ts: zod decode issues → Kubernetes-like messages at FieldError paths.
import type { z } from 'zod';
import { formatPath } from './path.ts';

/** DecodeIssue is one structural problem; `at` is the path whose YAML node the problem points to. */
export interface DecodeIssue {
  path: string;
  message: string;
  at: string;
}

// Go type names as users know them from kubectl (`record` is a JSON object, `int` an integer).
const TYPE_NAMES: Record<string, string> = { record: 'object', int: 'integer', undefined: 'nothing' };
const typeName = (t: string) => TYPE_NAMES[t] ?? t;

/** decodeIssues turns zod issues into problems; unknown fields are reported at their parent, located at their key. */
export function decodeIssues(issues: readonly z.core.$ZodIssue[]): DecodeIssue[] {
  return issues.flatMap((issue) => toIssues(issue, []));
}

function toIssues(issue: z.core.$ZodIssue, prefix: PropertyKey[]): DecodeIssue[] {
  const full = [...prefix, ...issue.path];
  const path = formatPath(full);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({ path, message: `unknown field ${JSON.stringify(k)}`, at: formatPath([...full, k]) }));
    case 'invalid_type':
      return [typeIssue(full, issue.expected, received(issue.message))];
    case 'invalid_value':
      return [{ path, message: `unsupported value: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`, at: path }];
    case 'invalid_union':
      return unionIssues(issue, full);
    default:
      return [{ path, message: issue.message, at: path }];
  }
}

function typeIssue(path: PropertyKey[], expected: string, got: string): DecodeIssue {
  const p = formatPath(path);
  // Go leaves a missing field empty and Tekton's validation then asks for it: say it like knative.
  if (got === 'undefined') return { path: p, message: 'missing field(s)', at: p };
  return { path: p, message: `invalid type: expected ${typeName(expected)}, got ${typeName(got)}`, at: p };
}

// zod 4 keeps the received type only in the message ("... received number").
function received(message: string): string {
  return /received (\w+)/.exec(message)?.[1] ?? 'unknown';
}

// A union (ParamValue: string | array | object) failed: if one branch got inside the value, its
// issues are the useful ones; otherwise the value had none of the types, so list them all.
function unionIssues(issue: z.core.$ZodIssueInvalidUnion, path: PropertyKey[]): DecodeIssue[] {
  const deeper = issue.errors.filter((branch) => branch.some((i) => i.path.length > 0));
  if (deeper.length) return deeper[0].flatMap((i) => toIssues(i, path));
  const expected = [...new Set(issue.errors.flat().map((i) => (i.code === 'invalid_type' ? typeName(i.expected) : 'other')))];
  const got =
    issue.errors
      .flat()
      .map((i) => received(i.message))
      .find((t) => t !== 'unknown') ?? 'unknown';
  if (got === 'undefined') return [typeIssue(path, '', 'undefined')];
  const list = expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}` : expected[0];
  return [{ path: formatPath(path), message: `invalid type: expected ${list}, got ${typeName(got)}`, at: formatPath(path) }];
}
