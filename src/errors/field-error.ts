// field-error.ts: knative's apis.FieldError, ported: user errors as values with field paths.
// Error() text, merge and sort order follow knative.dev/pkg/apis/field_error.go.

/** FieldErrorLevel: errors fail validation, warnings are only reported. */
export type FieldErrorLevel = 'error' | 'warning';

interface FieldErrorEntry {
  message: string;
  paths: string[];
  details: string;
  level: FieldErrorLevel;
  /** bare entries are plain Go errors (reconciler checks): printed as the message alone. */
  bare?: boolean;
}

/** FieldError is an immutable list of validation problems, each with the field paths it concerns. */
export class FieldError {
  readonly entries: readonly FieldErrorEntry[];

  private constructor(entries: readonly FieldErrorEntry[]) {
    this.entries = entries;
  }

  /** of makes one error; a FieldError with no paths prints as `<message>: `. */
  static of(message: string, paths: string[] = [], details = '', level: FieldErrorLevel = 'error'): FieldError {
    return new FieldError([{ message, paths: [...paths], details, level }]);
  }

  /**
   * bare makes a pathless error that prints as its message alone, for Tekton's runtime checks
   * that return a Go `error` rather than a FieldError (e.g. `missing values for these params ...: [a]`).
   */
  static bare(message: string): FieldError {
    return new FieldError([{ message, paths: [], details: '', level: 'error', bare: true }]);
  }

  /** also merges errors; undefined inputs are ignored, so validators can chain freely. */
  static merge(...errs: (FieldError | undefined)[]): FieldError | undefined {
    // Validators merge mostly nothing: a loop, not flatMap's closure and arrays per call.
    let only: FieldError | undefined;
    let count = 0;
    for (const e of errs) {
      if (e?.entries.length) {
        only = e;
        count++;
      }
    }
    if (count <= 1) return only;
    const entries: FieldErrorEntry[] = [];
    for (const e of errs) if (e) entries.push(...e.entries);
    return new FieldError(entries);
  }

  also(...errs: (FieldError | undefined)[]): FieldError {
    return FieldError.merge(this, ...errs)!;
  }

  /** viaField prefixes every path with a field name (`spec` + `steps[0]` → `spec.steps[0]`). */
  viaField(...prefix: string[]): FieldError {
    return this.mapPaths((p) =>
      [...prefix, p]
        .filter((s) => s !== '')
        .join('.')
        .replace(/\.\[/g, '['),
    );
  }

  /** viaIndex prefixes every path with `[i]`, attached to the previous field by viaField. */
  viaIndex(i: number): FieldError {
    return this.mapPaths((p) => (p === '' ? `[${i}]` : p.startsWith('[') ? `[${i}]${p}` : `[${i}].${p}`));
  }

  /** viaFieldIndex is viaIndex(i).viaField(field): `steps` + 0 → `steps[0]`. */
  viaFieldIndex(field: string, i: number): FieldError {
    return this.viaIndex(i).viaField(field);
  }

  /** viaKey prefixes every path with `[key]` (e.g. `params[foo]`). */
  viaKey(key: string): FieldError {
    return this.mapPaths((p) => (p === '' ? `[${key}]` : p.startsWith('[') ? `[${key}]${p}` : `[${key}].${p}`));
  }

  viaFieldKey(field: string, key: string): FieldError {
    return this.viaKey(key).viaField(field);
  }

  /** filter keeps entries of one level (Tekton reports warnings separately). */
  filter(level: FieldErrorLevel): FieldError | undefined {
    const kept = this.entries.filter((e) => e.level === level);
    return kept.length ? new FieldError(kept) : undefined;
  }

  /** merged groups entries with equal message/details/level, unions and sorts their paths. */
  merged(): FieldErrorEntry[] {
    const groups = new Map<string, FieldErrorEntry>();
    for (const e of this.entries) {
      const key = JSON.stringify([e.level, e.message, e.details, !!e.bare]);
      const g = groups.get(key);
      if (g) g.paths = [...new Set([...g.paths, ...e.paths])].sort();
      else groups.set(key, { ...e, paths: [...new Set(e.paths)].sort() });
    }
    return [...groups.values()].sort((a, b) => cmp(a.message, b.message) || cmp(a.details, b.details) || cmp(a.level, b.level));
  }

  /** toString is knative's Error(): `<msg>: <paths>` (+ `\n<details>`), entries joined by newlines. */
  toString(): string {
    return this.merged()
      .map((e) => (e.bare ? e.message : `${e.message}: ${e.paths.join(', ')}${e.details ? `\n${e.details}` : ''}`))
      .join('\n');
  }

  private mapPaths(f: (p: string) => string): FieldError {
    return new FieldError(this.entries.map((e) => ({ ...e, paths: e.paths.length ? e.paths.map(f) : e.paths })));
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** errMissingField: `missing field(s): <paths>`. */
export const errMissingField = (...paths: string[]) => FieldError.of('missing field(s)', paths);
/** errDisallowedFields: `must not set the field(s): <paths>`. */
export const errDisallowedFields = (...paths: string[]) => FieldError.of('must not set the field(s)', paths);
/** errInvalidValue: `invalid value: <value>: <path>` (+ details). */
export const errInvalidValue = (value: unknown, path: string, details = '') => FieldError.of(`invalid value: ${String(value)}`, [path], details);
/** errMissingOneOf: `expected exactly one, got neither: <paths>`. */
export const errMissingOneOf = (...paths: string[]) => FieldError.of('expected exactly one, got neither', paths);
/** errMultipleOneOf: `expected exactly one, got both: <paths>`. */
export const errMultipleOneOf = (...paths: string[]) => FieldError.of('expected exactly one, got both', paths);
/** errInvalidKeyName: `invalid key name "<k>": <path>`. */
export const errInvalidKeyName = (key: string, path: string, details = '') => FieldError.of(`invalid key name ${JSON.stringify(key)}`, [path], details);
/** errOutOfBoundsValue: `expected <lower> <= <value> <= <upper>: <path>`. */
export const errOutOfBoundsValue = (value: unknown, lower: unknown, upper: unknown, path: string) => FieldError.of(`expected ${lower} <= ${value} <= ${upper}`, [path]);
/** errGeneric: a message with optional paths. */
export const errGeneric = (message: string, ...paths: string[]) => FieldError.of(message, paths);
