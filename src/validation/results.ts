// results.ts: TaskResult validation (result_validation.go): name format, object results, `value`.
// Array and object results are not behind a feature gate at 3ee1745 (TaskResult.Validate has none).
import type { TaskResult } from '../api/index.ts';
import { FieldError, errInvalidKeyName, errMissingField } from '../errors/index.ts';
import { isDNS1123Label } from '../api/index.ts';
import { NAMES_URL } from './step.ts';

/** ResultNameFormat is the regex a result name must match (result_validation.go). */
export const ResultNameFormat = '^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$';
const RESULT_NAME = new RegExp(ResultNameFormat);

/** validateResultName: `invalid key name "<n>": name` with Tekton's explanation. */
export function validateResultName(name: string): FieldError | undefined {
  if (RESULT_NAME.test(name)) return undefined;
  return errInvalidKeyName(
    name,
    'name',
    `Name must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '${ResultNameFormat}')`,
  );
}

/** validateResults checks each result (TaskResult.Validate); paths are relative to `results`. */
export function validateResults(results: TaskResult[]): FieldError | undefined {
  return FieldError.merge(...results.map((r, i) => validateResult(r)?.viaIndex(i)));
}

function validateResult(r: TaskResult): FieldError | undefined {
  const nameErr = validateResultName(r.name);
  if (nameErr) return nameErr;
  return FieldError.merge(r.type === 'object' ? validateObjectResult(r) : undefined, validateValue(r));
}

// validateValue: a result's `value` must be a string `$(steps.<step>.results.<result>)` (result_validation.go).
function validateValue(r: TaskResult): FieldError | undefined {
  if (r.value === undefined) return undefined;
  if (typeof r.value !== 'string') {
    return FieldError.of(`Invalid Type. Wanted string but got: "${Array.isArray(r.value) ? 'array' : 'object'}"`, [`${r.name}.type`]);
  }
  if (r.value === '') return undefined;
  const m = /\$\(steps\.(.*?)\.results\.(.*?)\)/.exec(r.value);
  if (!m) {
    return FieldError.of(`Could not extract step name and result name. Expected value to look like $(steps.<stepName>.results.<resultName>) but got "${r.value}"`, [
      `${r.name}.value`,
    ]);
  }
  return FieldError.merge(
    isDNS1123Label(m[1]!)
      ? undefined
      : FieldError.of(
          `invalid extracted step name ${JSON.stringify(m[1])}`,
          [`${r.name}.value`],
          `stepName in $(steps.<stepName>.results.<resultName>) must be a valid DNS Label, For more info refer to ${NAMES_URL}`,
        ),
    RESULT_NAME.test(m[2]!)
      ? undefined
      : FieldError.of(
          `invalid extracted result name ${JSON.stringify(m[2])}`,
          [`${r.name}.value`],
          `resultName in $(steps.<stepName>.results.<resultName>) must consist of alphanumeric characters, '-', '_', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my-name',  or 'my_name', regex used for validation is '${ResultNameFormat}')`,
        ),
  );
}

function validateObjectResult(r: TaskResult): FieldError | undefined {
  if (!r.properties) return errMissingField(`${r.name}.properties`);
  const invalid = Object.entries(r.properties)
    .filter(([, p]) => p.type !== 'string')
    .map(([k]) => k);
  if (invalid.length === 0) return undefined;
  return FieldError.of(`The value type specified for these keys [${invalid.join(' ')}] is invalid, the type must be string`, [`${r.name}.properties`]);
}
