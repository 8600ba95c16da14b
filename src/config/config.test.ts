import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildConfig, defaultConfig } from './index.ts';

describe('defaultConfig', () => {
  it('matches a fresh Tekton install', () => {
    const c = defaultConfig();
    assert.equal(c.featureFlags.enableApiFields, 'beta');
    assert.equal(c.featureFlags.awaitSidecarReadiness, true);
    assert.equal(c.featureFlags.enableStepActions, true);
    assert.equal(c.featureFlags.enableParamEnum, false);
    assert.equal(c.featureFlags.coschedule, 'workspaces');
    assert.equal(c.featureFlags.resultsFrom, 'termination-message');
    assert.equal(c.featureFlags.maxResultSize, 4096);
    assert.deepEqual(c.featureFlags.disableInlineSpec, []);
    assert.deepEqual(c.defaults, {
      defaultTimeoutMinutes: 60,
      defaultServiceAccount: 'default',
      defaultManagedByLabelValue: 'tekton-pipelines',
      defaultCloudEventsSink: '',
      defaultMaxMatrixCombinationsCount: 256,
      defaultForbiddenEnv: [],
      defaultResolverType: '',
      defaultImagePullBackOffTimeoutMs: 0,
      defaultCreateContainerErrorTimeoutMs: 0,
      defaultMaximumResolutionTimeoutMs: 60000,
      defaultSidecarLogPollingIntervalMs: 100,
      defaultStepRefConcurrencyLimit: 5,
    });
  });
});

describe('buildConfig', () => {
  it('lets later ConfigMaps override earlier ones, case-insensitively for enable-api-fields', () => {
    const { config, error } = buildConfig([{ 'enable-api-fields': 'stable', 'enable-param-enum': 'true' }, { 'enable-api-fields': 'ALPHA' }], []);
    assert.equal(error, undefined);
    assert.equal(config.featureFlags.enableApiFields, 'alpha');
    assert.equal(config.featureFlags.enableParamEnum, true);
  });

  it('does not turn per-feature flags on with enable-api-fields=alpha', () => {
    assert.equal(buildConfig([{ 'enable-api-fields': 'alpha' }], []).config.featureFlags.enableCelInWhenExpression, false);
  });

  it('accepts every boolean spelling of Go strconv.ParseBool', () => {
    for (const [text, want] of [
      ['1', true],
      ['T', true],
      ['True', true],
      ['0', false],
      ['f', false],
      ['FALSE', false],
    ] as const) {
      assert.equal(buildConfig([{ 'keep-pod-on-cancel': text }], []).config.featureFlags.keepPodOnCancel, want);
    }
  });

  it('parses config-defaults: numbers, lists, YAML and durations', () => {
    const { config, error } = buildConfig(
      [],
      [
        {
          'default-timeout-minutes': '5',
          'default-service-account': 'robot',
          'default-forbidden-env': 'A, B',
          'default-pod-template': 'nodeSelector:\n  disk: ssd\n',
          'default-task-run-workspace-binding': 'emptyDir: {}',
          'default-maximum-resolution-timeout': '2m30s',
        },
      ],
    );
    assert.equal(error, undefined);
    assert.equal(config.defaults.defaultTimeoutMinutes, 5);
    assert.equal(config.defaults.defaultServiceAccount, 'robot');
    assert.deepEqual(config.defaults.defaultForbiddenEnv, ['A', 'B']);
    assert.deepEqual(config.defaults.defaultPodTemplate, { nodeSelector: { disk: 'ssd' } });
    assert.deepEqual(config.defaults.defaultTaskRunWorkspaceBinding, { emptyDir: {} });
    assert.equal(config.defaults.defaultMaximumResolutionTimeoutMs, 150000);
  });

  it("reports every bad value in Tekton's words and keeps the defaults", () => {
    const { config, error } = buildConfig(
      [{ 'enable-api-fields': 'gamma', 'await-sidecar-readiness': 'yes', 'max-result-size': '2000000' }],
      [{ 'default-timeout-minutes': 'ten', 'default-pod-template': '- a list' }],
    );
    assert.equal(
      error?.toString(),
      [
        'failed parsing feature flags config "yes": strconv.ParseBool: parsing "yes": invalid syntax: feature-flags.data[await-sidecar-readiness]',
        'failed parsing tracing config "default-timeout-minutes": config-defaults.data[default-timeout-minutes]',
        'failed to unmarshal - a list: config-defaults.data[default-pod-template]',
        'invalid value for feature flag "enable-api-fields": "gamma": feature-flags.data[enable-api-fields]',
        'invalid value for feature flag "max-result-size": "2000000". This is exceeding the CRD limit: feature-flags.data[max-result-size]',
      ].join('\n'),
    );
    assert.equal(config.featureFlags.enableApiFields, 'beta');
    assert.equal(config.defaults.defaultTimeoutMinutes, 60);
  });
});
