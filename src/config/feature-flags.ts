// feature-flags.ts: the `feature-flags` ConfigMap (pkg/apis/config/feature_flags.go): keys, defaults,
// parsing with Tekton's error wording.
import { FieldError } from '../errors/index.ts';

/** FeatureFlags are the parsed `feature-flags` ConfigMap (one field per key of feature_flags.go). */
export interface FeatureFlags {
  enableApiFields: 'stable' | 'beta' | 'alpha';
  coschedule: string;
  disableCredsInit: boolean;
  awaitSidecarReadiness: boolean;
  runningInEnvironmentWithInjectedSidecars: boolean;
  requireGitSshSecretKnownHosts: boolean;
  enableTektonOciBundles: boolean;
  sendCloudeventsForRuns: boolean;
  trustedResourcesVerificationNoMatchPolicy: string;
  enableProvenanceInStatus: boolean;
  enforceNonfalsifiability: string;
  resultsFrom: 'termination-message' | 'sidecar-logs';
  maxResultSize: number;
  setSecurityContext: boolean;
  setSecurityContextReadOnlyRootFilesystem: boolean;
  keepPodOnCancel: boolean;
  enableCelInWhenExpression: boolean;
  enableArtifacts: boolean;
  enableParamEnum: boolean;
  disableInlineSpec: string[];
  enableConciseResolverSyntax: boolean;
  enableKubernetesSidecar: boolean;
  enableStepActions: boolean;
  enableWaitExponentialBackoff: boolean;
  enableTerminationMessageCompression: boolean;
  enableInformerCacheTransforms: boolean;
}

type BoolField = { [K in keyof FeatureFlags]: FeatureFlags[K] extends boolean ? K : never }[keyof FeatureFlags];

// Boolean keys and their defaults (config/config-feature-flags.yaml).
const BOOLS: [string, BoolField, boolean][] = [
  ['disable-creds-init', 'disableCredsInit', false],
  ['await-sidecar-readiness', 'awaitSidecarReadiness', true],
  ['running-in-environment-with-injected-sidecars', 'runningInEnvironmentWithInjectedSidecars', true],
  ['require-git-ssh-secret-known-hosts', 'requireGitSshSecretKnownHosts', false],
  ['enable-tekton-oci-bundles', 'enableTektonOciBundles', false],
  ['send-cloudevents-for-runs', 'sendCloudeventsForRuns', true],
  ['enable-provenance-in-status', 'enableProvenanceInStatus', true],
  ['set-security-context', 'setSecurityContext', false],
  ['set-security-context-read-only-root-filesystem', 'setSecurityContextReadOnlyRootFilesystem', false],
  ['keep-pod-on-cancel', 'keepPodOnCancel', false],
  ['enable-cel-in-whenexpression', 'enableCelInWhenExpression', false],
  ['enable-artifacts', 'enableArtifacts', false],
  ['enable-param-enum', 'enableParamEnum', false],
  ['enable-concise-resolver-syntax', 'enableConciseResolverSyntax', false],
  ['enable-kubernetes-sidecar', 'enableKubernetesSidecar', false],
  ['enable-step-actions', 'enableStepActions', true],
  ['enable-wait-exponential-backoff', 'enableWaitExponentialBackoff', false],
  ['enable-termination-message-compression', 'enableTerminationMessageCompression', false],
  ['enable-informer-cache-transforms', 'enableInformerCacheTransforms', true],
];

type EnumField = 'enableApiFields' | 'coschedule' | 'trustedResourcesVerificationNoMatchPolicy' | 'enforceNonfalsifiability' | 'resultsFrom';

// Enumerated keys: values are lower-cased before the check, as Tekton's setters do.
const ENUMS: [string, EnumField, string, string[]][] = [
  ['enable-api-fields', 'enableApiFields', 'beta', ['alpha', 'beta', 'stable']],
  ['coschedule', 'coschedule', 'workspaces', ['workspaces', 'pipelineruns', 'isolate-pipelinerun', 'disabled']],
  ['trusted-resources-verification-no-match-policy', 'trustedResourcesVerificationNoMatchPolicy', 'ignore', ['fail', 'warn', 'ignore']],
  ['enforce-nonfalsifiability', 'enforceNonfalsifiability', 'none', ['none', 'spire']],
  ['results-from', 'resultsFrom', 'termination-message', ['termination-message', 'sidecar-logs']],
];

// max-result-size must stay under the 1.5 MB CRD limit (setMaxResultSize).
const MAX_RESULT_SIZE_LIMIT = 1572864;

/** defaultFeatureFlags returns Tekton's defaults for every feature flag. */
export function defaultFeatureFlags(): FeatureFlags {
  const ff: Record<string, unknown> = { maxResultSize: 4096, disableInlineSpec: [] };
  for (const [, field, def] of BOOLS) ff[field] = def;
  for (const [, field, def] of ENUMS) ff[field] = def;
  return ff as unknown as FeatureFlags;
}

/** parseGoBool is Go's strconv.ParseBool; undefined when the text is not a boolean. */
export function parseGoBool(text: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  return undefined;
}

/** parseGoInt is Go's strconv.Atoi for decimal text; undefined when it is not an integer. */
export function parseGoInt(text: string): number | undefined {
  return /^[+-]?\d+$/.test(text) ? Number(text) : undefined;
}

/** applyFeatureFlags overlays one ConfigMap's data on flags; bad values are errors at `data[key]`. */
export function applyFeatureFlags(flags: FeatureFlags, data: Record<string, string>): FieldError | undefined {
  const errs: (FieldError | undefined)[] = [];
  const at = (key: string, message: string) => errs.push(FieldError.of(message, [`data[${key}]`]));
  const set = flags as unknown as Record<string, unknown>;
  for (const [key, field] of BOOLS) {
    if (!(key in data)) continue;
    const v = parseGoBool(data[key]);
    if (v === undefined) {
      at(key, `failed parsing feature flags config ${JSON.stringify(data[key])}: strconv.ParseBool: parsing ${JSON.stringify(data[key])}: invalid syntax`);
    } else set[field] = v;
  }
  for (const [key, field, , allowed] of ENUMS) {
    if (!(key in data)) continue;
    const v = data[key].toLowerCase();
    if (allowed.includes(v)) set[field] = v;
    else at(key, `invalid value for feature flag ${JSON.stringify(key)}: ${JSON.stringify(v)}`);
  }
  if ('max-result-size' in data) {
    const n = parseGoInt(data['max-result-size']);
    if (n === undefined) at('max-result-size', `strconv.Atoi: parsing ${JSON.stringify(data['max-result-size'])}: invalid syntax`);
    else if (n >= MAX_RESULT_SIZE_LIMIT) {
      at('max-result-size', `invalid value for feature flag "max-result-size": "${n}". This is exceeding the CRD limit`);
    } else flags.maxResultSize = n;
  }
  if ('disable-inline-spec' in data) {
    flags.disableInlineSpec = data['disable-inline-spec']
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  return FieldError.merge(...errs);
}
