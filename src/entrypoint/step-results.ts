// step-results.ts: runtime `$(steps.<step>.results.<result>)` substitution (Entrypointer.applyStepResultSubstitutions).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepWhenExpression } from './when.ts';

/** STEPS_DIR is pipeline.StepsDir, where step-init linked each step's status directory. */
const STEPS_DIR = '/tekton/steps';

/** ResultValue is a decoded step result: string, array or object (ParamValue.UnmarshalJSON). */
export type ResultValue = string | string[] | Record<string, string>;

const REFERENCE = /\$\(steps\.([^.()\s]+)\.results\.([^.[()\s]+)(\[[^\]]*\]|\.[^()\s]+)?\)/g;

/** STAR_FORMAT_ERROR is Tekton's message when `[*]` is not the whole argument. */
export const STAR_FORMAT_ERROR = 'value must be in "$(steps.<step-name>.results.<result-name>[*])" format, when using array results';

/** decodeResultValue mirrors ParamValue.UnmarshalJSON: `[..]` of strings → array, `{..}` of strings → object, JSON string, else raw. */
export function decodeResultValue(text: string): ResultValue {
  const tryJson = (): unknown => {
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  };
  const parsed = text.startsWith('[') || text.startsWith('{') || text.startsWith('"') ? tryJson() : undefined;
  if (Array.isArray(parsed) && parsed.every((v) => typeof v === 'string')) return parsed;
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && Object.values(parsed).every((v) => typeof v === 'string')) {
    return parsed as Record<string, string>;
  }
  return typeof parsed === 'string' ? parsed : text;
}

/** StepResultReader reads one step's result; errors are reported, never thrown. */
export type StepResultReader = (step: string, result: string) => { ok: true; value: ResultValue } | { ok: false; error: string };

/** fileStepResultReader reads `/tekton/steps/step-<step>/results/<result>` through resolvePath. */
export function fileStepResultReader(resolvePath: (p: string) => string): StepResultReader {
  return (step, result) => {
    try {
      return { ok: true, value: decodeResultValue(readFileSync(resolvePath(join(STEPS_DIR, `step-${step}`, 'results', result)), 'utf8')) };
    } catch (err) {
      return { ok: false, error: (err as Error).message };
    }
  };
}

/** substituteString replaces every step-result reference in text; `[*]` is not allowed here. */
export function substituteString(text: string, read: StepResultReader, errors: string[]): string {
  return text.replace(REFERENCE, (whole, step: string, result: string, accessor: string | undefined) => {
    const found = read(step, result);
    if (!found.ok) {
      errors.push(found.error);
      return whole;
    }
    const picked = pick(found.value, accessor);
    if (picked === undefined) {
      errors.push(accessor === '[*]' ? STAR_FORMAT_ERROR : `invalid reference ${whole}`);
      return whole;
    }
    return picked;
  });
}

function pick(value: ResultValue, accessor: string | undefined): string | undefined {
  if (accessor === undefined) return typeof value === 'string' ? value : JSON.stringify(value);
  if (accessor.startsWith('[') && Array.isArray(value) && /^\[\d+\]$/.test(accessor)) return value[Number(accessor.slice(1, -1))];
  if (accessor.startsWith('.') && typeof value === 'object' && !Array.isArray(value)) return value[accessor.slice(1)];
  return undefined;
}

/** substituteArgs expands a whole-argument `[*]` reference into the array's elements, other references in place. */
export function substituteArgs(argv: string[], read: StepResultReader, errors: string[]): string[] {
  const out: string[] = [];
  for (const arg of argv) {
    const star = /^\$\(steps\.([^.()\s]+)\.results\.([^.[()\s]+)\[\*\]\)$/.exec(arg);
    const value = star ? read(star[1], star[2]) : undefined;
    if (value?.ok && Array.isArray(value.value)) out.push(...value.value);
    else out.push(substituteString(arg, read, errors));
  }
  return out;
}

/** substituteWhen replaces references in each expression's input and values. */
export function substituteWhen(expressions: StepWhenExpression[], read: StepResultReader, errors: string[]): StepWhenExpression[] {
  return expressions.map((we) => ({
    ...we,
    ...(we.input !== undefined ? { input: substituteString(we.input, read, errors) } : {}),
    ...(we.values ? { values: substituteArgs(we.values, read, errors) } : {}),
  }));
}

/** substituteEnv replaces references in environment values (Tekton os.Setenv's the substituted values). */
export function substituteEnv(env: NodeJS.ProcessEnv, read: StepResultReader, errors: string[]): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    out[name] = value?.includes('$(steps.') ? substituteString(value, read, errors) : value;
  }
  return out;
}
