// defaults.ts: the `config-defaults` ConfigMap (pkg/apis/config/default.go): keys, defaults, parsing.
import { parse as parseYAML } from 'yaml';
import { parseGoDuration } from '../duration/index.ts';
import { FieldError } from '../errors/index.ts';
import { parseGoInt } from './feature-flags.ts';

/** ConfigDefaults are the parsed `config-defaults` ConfigMap; durations are in milliseconds. */
export interface ConfigDefaults {
  /** defaultTimeoutMinutes: 0 means runs have no timeout. */
  defaultTimeoutMinutes: number;
  defaultServiceAccount: string;
  defaultManagedByLabelValue: string;
  defaultPodTemplate?: Record<string, unknown>;
  defaultAffinityAssistantPodTemplate?: Record<string, unknown>;
  defaultCloudEventsSink: string;
  defaultTaskRunWorkspaceBinding?: Record<string, unknown>;
  defaultMaxMatrixCombinationsCount: number;
  defaultForbiddenEnv: string[];
  defaultResolverType: string;
  defaultContainerResourceRequirements?: Record<string, unknown>;
  defaultImagePullBackOffTimeoutMs: number;
  defaultCreateContainerErrorTimeoutMs: number;
  defaultMaximumResolutionTimeoutMs: number;
  defaultSidecarLogPollingIntervalMs: number;
  defaultStepRefConcurrencyLimit: number;
}

/** defaultConfigDefaults returns Tekton's built-in config-defaults. */
export function defaultConfigDefaults(): ConfigDefaults {
  return {
    defaultTimeoutMinutes: 60,
    defaultServiceAccount: 'default',
    defaultManagedByLabelValue: 'tekton-pipelines',
    defaultCloudEventsSink: '',
    defaultMaxMatrixCombinationsCount: 256,
    defaultForbiddenEnv: [],
    defaultResolverType: '',
    defaultImagePullBackOffTimeoutMs: 0,
    defaultCreateContainerErrorTimeoutMs: 0,
    defaultMaximumResolutionTimeoutMs: 60_000,
    defaultSidecarLogPollingIntervalMs: 100,
    defaultStepRefConcurrencyLimit: 5,
  };
}

type NumberField = 'defaultTimeoutMinutes' | 'defaultMaxMatrixCombinationsCount' | 'defaultStepRefConcurrencyLimit';
type StringField = 'defaultServiceAccount' | 'defaultManagedByLabelValue' | 'defaultCloudEventsSink' | 'defaultResolverType';
type YAMLField = 'defaultPodTemplate' | 'defaultAffinityAssistantPodTemplate' | 'defaultTaskRunWorkspaceBinding' | 'defaultContainerResourceRequirements';
type DurationField = 'defaultImagePullBackOffTimeoutMs' | 'defaultCreateContainerErrorTimeoutMs' | 'defaultMaximumResolutionTimeoutMs' | 'defaultSidecarLogPollingIntervalMs';

const NUMBERS: [string, NumberField][] = [
  ['default-timeout-minutes', 'defaultTimeoutMinutes'],
  ['default-max-matrix-combinations-count', 'defaultMaxMatrixCombinationsCount'],
  ['default-step-ref-concurrency-limit', 'defaultStepRefConcurrencyLimit'],
];
const STRINGS: [string, StringField][] = [
  ['default-service-account', 'defaultServiceAccount'],
  ['default-managed-by-label-value', 'defaultManagedByLabelValue'],
  ['default-cloud-events-sink', 'defaultCloudEventsSink'],
  ['default-resolver-type', 'defaultResolverType'],
];
const YAMLS: [string, YAMLField][] = [
  ['default-pod-template', 'defaultPodTemplate'],
  ['default-affinity-assistant-pod-template', 'defaultAffinityAssistantPodTemplate'],
  ['default-task-run-workspace-binding', 'defaultTaskRunWorkspaceBinding'],
  ['default-container-resource-requirements', 'defaultContainerResourceRequirements'],
];
const DURATIONS: [string, DurationField][] = [
  ['default-imagepullbackoff-timeout', 'defaultImagePullBackOffTimeoutMs'],
  ['default-create-container-error-timeout', 'defaultCreateContainerErrorTimeoutMs'],
  ['default-maximum-resolution-timeout', 'defaultMaximumResolutionTimeoutMs'],
  ['default-sidecar-log-polling-interval', 'defaultSidecarLogPollingIntervalMs'],
];

/** applyConfigDefaults overlays one ConfigMap's data on defaults; bad values are errors at `data[key]`. */
export function applyConfigDefaults(d: ConfigDefaults, data: Record<string, string>): FieldError | undefined {
  const errs: (FieldError | undefined)[] = [];
  const at = (key: string, message: string) => errs.push(FieldError.of(message, [`data[${key}]`]));
  for (const [key, field] of NUMBERS) {
    if (!(key in data)) continue;
    const n = parseGoInt(data[key]);
    // Tekton's default.go really says "tracing" here (a copy-paste it never fixed).
    if (n === undefined) at(key, `failed parsing tracing config ${JSON.stringify(key)}`);
    else d[field] = n;
  }
  for (const [key, field] of STRINGS) if (key in data) d[field] = data[key];
  for (const [key, field] of YAMLS) {
    if (!(key in data)) continue;
    const v = parseObject(data[key]);
    if (v === undefined) at(key, `failed to unmarshal ${data[key]}`);
    else d[field] = v;
  }
  for (const [key, field] of DURATIONS) {
    if (!(key in data)) continue;
    const parsed = parseGoDuration(data[key]);
    if (!parsed.ok) at(key, `failed parsing default config ${JSON.stringify(key)}: ${parsed.error}`);
    else d[field] = parsed.ms;
  }
  if ('default-forbidden-env' in data) {
    d.defaultForbiddenEnv = data['default-forbidden-env']
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  }
  return FieldError.merge(...errs);
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = parseYAML(text);
    if (v === null || v === undefined) return {};
    return typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
