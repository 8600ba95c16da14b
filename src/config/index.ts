// config: Tekton's two settings ConfigMaps, `feature-flags` and `config-defaults` (pkg/apis/config),
// parsed into one Config with Tekton's defaults and error wording.
import { FieldError } from '../errors/index.ts';
import { applyConfigDefaults, defaultConfigDefaults, type ConfigDefaults } from './defaults.ts';
import { applyFeatureFlags, defaultFeatureFlags, type FeatureFlags } from './feature-flags.ts';

export type { ConfigDefaults } from './defaults.ts';
export type { FeatureFlags } from './feature-flags.ts';
export { parseGoBool, parseGoInt } from './feature-flags.ts';

/** Config is everything a controller reads from its ConfigMaps. */
export interface Config {
  featureFlags: FeatureFlags;
  defaults: ConfigDefaults;
}

/** defaultConfig is the configuration of a fresh Tekton install (no ConfigMap edits). */
export function defaultConfig(): Config {
  return { featureFlags: defaultFeatureFlags(), defaults: defaultConfigDefaults() };
}

/**
 * buildConfig overlays ConfigMap data on the defaults, later maps overriding earlier ones.
 * A bad value keeps the default for that key and is reported at `feature-flags.data[<key>]`
 * or `config-defaults.data[<key>]` (Tekton's controller would refuse the whole ConfigMap).
 */
export function buildConfig(featureFlagsData: Record<string, string>[], configDefaultsData: Record<string, string>[]): { config: Config; error?: FieldError } {
  const config = defaultConfig();
  const error = FieldError.merge(
    ...featureFlagsData.map((d) => applyFeatureFlags(config.featureFlags, d)?.viaField('feature-flags')),
    ...configDefaultsData.map((d) => applyConfigDefaults(config.defaults, d)?.viaField('config-defaults')),
  );
  return error ? { config, error } : { config };
}
