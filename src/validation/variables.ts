// variables.ts: Tekton's reference checks on `$(prefix.name)` text (pkg/substitution/substitution.go):
// unknown names, whole array/object use where only strings fit, isolation of array references.
// The regex is Tekton's braceMatchingRegex, so what counts as a reference matches Tekton exactly.
import { FieldError } from '../errors/index.ts';
import { memoize } from '../memo/index.ts';

// parameterSubstitution = `.*?(\[\*\])?`, in dot, ["..."] and ['...'] forms.
const SUB = String.raw`.*?(?:\[\*\])?`;

/** Brace is a prefix's compiled regex and the literal text every match starts with. */
interface Brace {
  re: RegExp;
  /** needle is `$(` and the literal head of the prefix: text without it cannot match (no regex run). */
  needle: string;
}

// Compiled once per prefix: validating a large Pipeline asks for the same few prefixes thousands of times.
// Prefixes name object params: the table is bounded in a long-lived controller.
const brace = memoize((prefix): Brace => {
  const re = new RegExp(String.raw`\$\(${prefix}(?:\.(?<var1>${SUB})|\["(?<var2>${SUB})"\]|\['(?<var3>${SUB})'\])\)`, 'g');
  return { re, needle: `$(${literalHead(prefix)}` };
}, 1000);

function braceRegex(prefix: string): RegExp {
  const { re } = brace(prefix);
  re.lastIndex = 0; // shared and global: exec starts at lastIndex (matchAll copies the regex)
  return re;
}

/**
 * literalHead is the text every match of a prefix fragment starts with: its plain and escaped
 * characters up to the first other regex syntax (`context\\.taskRun` → `context.taskRun`,
 * `step.results` → `step`); a quantified last character is not sure to be there.
 */
function literalHead(fragment: string): string {
  if (fragment.includes('|') || fragment.includes('(')) return ''; // alternatives: no common head
  let head = /^(?:[\w-]|\\[^\w\s])*/.exec(fragment)![0];
  if ('*?{'.includes(fragment[head.length] ?? '_')) head = head.replace(/(?:\\.|.)$/, '');
  return head.replace(/\\(.)/g, '$1');
}

/** mayReference is false when s cannot hold a `$(prefix...)` reference (the checks' fast path). */
export function mayReference(s: string | undefined, prefix: string): boolean {
  return !!s && s.includes(brace(prefix).needle);
}

/** escapeRegex quotes a literal (a param name) for use inside a prefix pattern. */
export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * extractVariables is ExtractVariablesFromString: the names referenced under prefix (a regex
 * fragment such as `params` or `context\.taskRun`); dotted forms keep only the first component
 * and more than two components is an error.
 */
export function extractVariables(s: string, prefix: string): { vars: string[]; error?: string } {
  const vars: string[] = [];
  if (!mayReference(s, prefix)) return { vars };
  for (const m of s.matchAll(braceRegex(prefix))) {
    const { var1 = '', var2 = '', var3 = '' } = m.groups ?? {};
    if (var1.includes('.')) {
      if (var1.split('.').length > 2) {
        return { vars, error: `Invalid referencing of parameters in "${s}"! Only two dot-separated components after the prefix "${prefix}" are allowed.` };
      }
      vars.push(var1.split('.')[0]);
    } else vars.push(var1 || var2 || var3);
  }
  return { vars };
}

function entireVariables(s: string, prefix: string): string[] {
  if (!mayReference(s, prefix)) return [];
  return [...s.matchAll(braceRegex(prefix))].map((m) => m.groups?.var1 || m.groups?.var2 || m.groups?.var3 || '');
}

const trimArrayIndex = (v: string) => v.replace(/\[([0-9])*\*?\]/g, '');
const trimStar = (v: string) => (v.endsWith('[*]') ? v.slice(0, -3) : v);
const here = (message: string) => FieldError.of(message, ['']);

/** noUnknownVariables: `non-existent variable in "<value>"` when a reference names nothing in vars. */
export function noUnknownVariables(value: string | undefined, prefix: string, vars: Set<string>): FieldError | undefined {
  if (!value) return undefined;
  const { vars: found, error } = extractVariables(value, prefix);
  if (error) return here(error);
  return found.some((v) => !vars.has(trimArrayIndex(v))) ? here(`non-existent variable in ${JSON.stringify(value)}`) : undefined;
}

/** noProhibitedVariables: `variable type invalid in "<value>"` when a whole array is used as a string. */
export function noProhibitedVariables(value: string | undefined, prefix: string, vars: Set<string>): FieldError | undefined {
  if (!value) return undefined;
  const { vars: found, error } = extractVariables(value, prefix);
  if (error) return here(error);
  return found.some((v) => vars.has(trimStar(v))) ? here(`variable type invalid in ${JSON.stringify(value)}`) : undefined;
}

/** noEntireProhibitedVariables: `variable type invalid in "<value>"` for a whole object reference. */
export function noEntireProhibitedVariables(value: string | undefined, prefix: string, vars: Set<string>): FieldError | undefined {
  if (!value) return undefined;
  return entireVariables(value, prefix).some((v) => vars.has(trimStar(v))) ? here(`variable type invalid in ${JSON.stringify(value)}`) : undefined;
}

/** variableIsIsolated: `variable is not properly isolated in "<value>"` for `x $(params.arr[*])` in args. */
export function variableIsIsolated(value: string | undefined, prefix: string, vars: Set<string>): FieldError | undefined {
  if (!value) return undefined;
  const { vars: found, error } = extractVariables(value, prefix);
  if (error) return here(error);
  const first = braceRegex(prefix).exec(value)?.[0] ?? '';
  return found.some((v) => vars.has(trimStar(v))) && value.length !== first.length ? here(`variable is not properly isolated in ${JSON.stringify(value)}`) : undefined;
}
