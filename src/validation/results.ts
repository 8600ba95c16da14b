// results.ts: TaskResult validation (result_validation.go): name format, object/array results.
import type { TaskResult } from '../api/index.ts';
import type { Config } from '../config/index.ts';
import { validateEnabledAPIFields } from './feature-gate.ts';
import { FieldError, errInvalidKeyName, errMissingField } from './field-error.ts';

/** ResultNameFormat is the regex a result name must match (result_validation.go). */
export const ResultNameFormat = '^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$';
const RESULT_NAME = new RegExp(ResultNameFormat);

/** validateResultName: `invalid key name "<n>": name` with Tekton's explanation. */
export function validateResultName(name: string): FieldError | undefined {
  if (RESULT_NAME.test(name)) return undefined;
  return errInvalidKeyName(name, 'name',
    `Name must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '${ResultNameFormat}')`);
}

/** validateResults checks each result (TaskResult.Validate); paths are relative to `results`. */
export function validateResults(results: TaskResult[], config: Config): FieldError | undefined {
  return FieldError.merge(...results.map((r, i) => validateResult(r, config)?.viaIndex(i)));
}

function validateResult(r: TaskResult, config: Config): FieldError | undefined {
  const nameErr = validateResultName(r.name);
  if (nameErr) return nameErr;
  if (r.type === 'object') return FieldError.merge(validateObjectResult(r), validateEnabledAPIFields(config, 'results type', 'beta'));
  if (r.type === 'array') return validateEnabledAPIFields(config, 'results type', 'beta');
  return undefined;
}

function validateObjectResult(r: TaskResult): FieldError | undefined {
  if (!r.properties) return errMissingField(`${r.name}.properties`);
  const invalid = Object.entries(r.properties).filter(([, p]) => p.type !== 'string').map(([k]) => k);
  if (invalid.length === 0) return undefined;
  return FieldError.of(`The value type specified for these keys [${invalid.join(' ')}] is invalid, the type must be string`, [`${r.name}.properties`]);
}

