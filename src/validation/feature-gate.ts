// feature-gate.ts: config.ValidateEnabledAPIFields, the "enable-api-fields" gate on beta/alpha fields.
import type { Config } from '../config/index.ts';
import { FieldError } from '../errors/index.ts';

/**
 * validateEnabledAPIFields fails when `feature` needs a more permissive enable-api-fields than
 * configured. The error has no path, so it prints with a trailing `: ` as Tekton's does.
 */
export function validateEnabledAPIFields(config: Config, feature: string, wanted: 'alpha' | 'beta'): FieldError | undefined {
  const current = config.featureFlags.enableApiFields;
  if (wanted === 'beta' && current !== 'beta' && current !== 'alpha') {
    return FieldError.of(`${feature} requires "enable-api-fields" feature gate to be "alpha" or "beta" but it is "${current}"`);
  }
  if (wanted === 'alpha' && current !== 'alpha') {
    return FieldError.of(`${feature} requires "enable-api-fields" feature gate to be "alpha" but it is "${current}"`);
  }
  return undefined;
}
