// variables.ts: Tekton's reference checks on `$(prefix.name)` text (pkg/substitution/substitution.go):
// unknown names, whole array/object use where only strings fit, isolation of array references.
// The regex is Tekton's braceMatchingRegex, so what counts as a reference matches Tekton exactly.
import { FieldError } from '../errors/index.ts';

// parameterSubstitution = `.*?(\[\*\])?`, in dot, ["..."] and ['...'] forms.
const SUB = String.raw`.*?(?:\[\*\])?`;

// Compiled once per prefix: validating a large Pipeline asks for the same few prefixes thousands of times.
const braceRegexes = new Map<string, RegExp>();

function braceRegex(prefix: string): RegExp {
  let re = braceRegexes.get(prefix);
  if (!re) {
    re = new RegExp(String.raw`\$\(${prefix}(?:\.(?<var1>${SUB})|\["(?<var2>${SUB})"\]|\['(?<var3>${SUB})'\])\)`, 'g');
    if (braceRegexes.size >= 1000) braceRegexes.clear(); // prefixes name object params: bounded in a long-lived controller
    braceRegexes.set(prefix, re);
  }
  re.lastIndex = 0; // shared and global: exec starts at lastIndex (matchAll copies the regex)
  return re;
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
  if (!s.includes('$(')) return { vars };
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
  if (!s.includes('$(')) return [];
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
