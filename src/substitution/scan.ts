// scan.ts: finding $(...) variable references in text, in every form Tekton accepts.
import { memoize } from '../memo/index.ts';

/** VariableRef is one `$(...)` occurrence: its full text and the expression inside. */
export interface VariableRef {
  /** text is the whole occurrence, e.g. `$(params["a.b"][*])`. */
  text: string;
  /** expression is what is between `$(` and `)`, e.g. `params["a.b"][*]`. */
  expression: string;
  index: number;
}

// Tekton's variable syntax: no nested parentheses; quotes inside brackets may hold dots.
const VARIABLE = /\$\(([^()]*?)\)/g;

/** findVariables returns every `$(...)` in text, in order. */
export function findVariables(text: string): VariableRef[] {
  const out: VariableRef[] = [];
  if (!text.includes('$(')) return out;
  for (const m of text.matchAll(VARIABLE)) out.push({ text: m[0], expression: m[1], index: m.index! });
  return out;
}

/** ParsedReference splits `params.foo[*]`, `params['a.b'].key`, `results.r.path` into parts. */
export interface ParsedReference {
  /** prefix is the first segment: params, context, workspaces, results, tasks, steps, step, ... */
  prefix: string;
  /** name is the second segment (param, workspace, result or task name), unquoted. */
  name: string;
  /** rest is the remaining dotted segments after name (e.g. ['path'], ['key'], ['results', 'r']). */
  rest: string[];
  /** star is true for a trailing `[*]`; index is a numeric `[i]` after the name. */
  star: boolean;
  index?: number;
}

const REFERENCE = /^(?<prefix>[A-Za-z_][\w-]*(?:\.params)?)(?:\.(?<dotted>[^.[\]'"]+)|\[(?<q>['"])(?<quoted>[^'"]*)\k<q>\])(?<tail>.*)$/;

/**
 * parseReference parses the expression of a variable. `inputs.params.x` (legacy) has prefix
 * `inputs.params`. Returns undefined when the text is not a reference at all.
 * Validation and the graph parse the same few expressions again and again (a 1000-Task Pipeline:
 * thousands of times): parsed once, shared frozen.
 */
export const parseReference: (expression: string) => ParsedReference | undefined = memoize((expression) => {
  const ref = parse(expression);
  if (ref) Object.freeze(ref.rest);
  return ref && Object.freeze(ref);
}, 10_000);

function parse(expression: string): ParsedReference | undefined {
  const m = REFERENCE.exec(expression);
  if (!m?.groups) return undefined;
  const name = m.groups.dotted ?? m.groups.quoted ?? '';
  let tail = m.groups.tail ?? '';
  let star = false;
  let index: number | undefined;
  const idx = /^\[(\*|\d+)\]/.exec(tail);
  if (idx) {
    if (idx[1] === '*') star = true;
    else index = Number(idx[1]);
    tail = tail.slice(idx[0].length);
  }
  const rest = tail === '' ? [] : tail.replace(/^\./, '').split('.');
  if (tail !== '' && !tail.startsWith('.')) return undefined;
  return { prefix: m.groups.prefix, name, rest, star, index };
}
