import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskRun, TaskSpec } from '../api/index.ts';
import type { ImageConfigs } from '../oci/index.ts';
import { resolveWorkspaces } from '../workspaces/index.ts';
import { buildPod, commandsForStep, lookupStepEntrypoints, type EntrypointCache, type PodBuildOptions } from './index.ts';

const options: PodBuildOptions = {
  entrypointImage: 'tekton/entrypoint',
  shellImage: 'busybox',
  awaitSidecarReadiness: true,
  runningInEnvironmentWithInjectedSidecars: false,
  resultsFromSidecarLogs: false,
  disableCredsInit: true,
  managedByLabelValue: 'tekton-pipelines',
  randomSuffix: () => 'abcde',
};
const taskRun: TaskRun = { apiVersion: 'tekton.dev/v1', kind: 'TaskRun', metadata: { name: 'tr', namespace: 'ns', uid: 'u' }, spec: {} };

const multi: ImageConfigs = {
  digest: 'sha256:1',
  platforms: {
    'linux/amd64': { entrypoint: ['/ep'], cmd: ['default'] },
    'linux/arm64/v8': { entrypoint: [], cmd: ['/bin/sh'] },
  },
};

function fakeCache(known: Record<string, ImageConfigs>, asked: string[] = []): EntrypointCache {
  return {
    get: async (image) => {
      asked.push(image);
      return known[image] ? { ok: true, configs: known[image] } : { ok: false, error: `no such image ${image}` };
    },
  };
}

describe('commandsForStep (entrypoint_lookup_impl.go imageInfo)', () => {
  it('joins ENTRYPOINT and CMD without args, keeps ENTRYPOINT alone with args, uses CMD when there is no ENTRYPOINT', () => {
    assert.deepEqual(commandsForStep(multi, false), { 'linux/amd64': ['/ep', 'default'], 'linux/arm64/v8': ['/bin/sh'] });
    assert.deepEqual(commandsForStep(multi, true), { 'linux/amd64': ['/ep'], 'linux/arm64/v8': ['/bin/sh'] });
  });
});

describe('lookupStepEntrypoints', () => {
  it('asks once per image, only for steps left without command by the stepTemplate and without script', async () => {
    const asked: string[] = [];
    const spec: TaskSpec = {
      stepTemplate: { env: [{ name: 'A', value: 'a' }] },
      steps: [
        { name: 'a', image: 'img/one' },
        { name: 'b', image: 'img/one', args: ['x'] },
        { name: 'c', image: 'img/script', script: 'echo' },
        { name: 'd', image: 'img/cmd', command: ['true'] },
      ],
    };
    const r = await lookupStepEntrypoints(spec, fakeCache({ 'img/one': multi }, asked));
    assert.ok(r.ok);
    assert.deepEqual(asked, ['img/one']);
    const fromTemplate = await lookupStepEntrypoints({ stepTemplate: { command: ['sh'] }, steps: [{ name: 'a', image: 'img/none' }] }, fakeCache({}, asked));
    assert.ok(fromTemplate.ok, "the stepTemplate's command is the step's");
    assert.deepEqual(asked, ['img/one']);
  });

  it('returns the failure of an image it cannot look up', async () => {
    const r = await lookupStepEntrypoints(
      {
        steps: [
          { name: 'a', image: 'img/one' },
          { name: 'b', image: 'img/missing' },
        ],
      },
      fakeCache({ 'img/one': multi }),
    );
    assert.deepEqual(r, { ok: false, error: 'no such image img/missing' });
  });
});

describe('buildPod with looked-up entrypoints', () => {
  it('passes the commands of every platform in TEKTON_PLATFORM_COMMANDS and no -entrypoint flag', async () => {
    const spec: TaskSpec = {
      steps: [
        { name: 'bare', image: 'img/one' },
        { name: 'args', image: 'img/one', args: ['given'], env: [{ name: 'MINE', value: '1' }] },
        { name: 'script', image: 'img/one', script: 'echo' },
      ],
    };
    const looked = await lookupStepEntrypoints(spec, fakeCache({ 'img/one': multi }));
    assert.ok(looked.ok);
    const built = buildPod(taskRun, spec, resolveWorkspaces([], [], taskRun), { ...options, entrypoints: looked.resolved });
    assert.ok('pod' in built);
    const [bare, args, script] = built.pod.spec!.containers;
    const platformCommands = (c: typeof bare) => c.env?.filter((e) => e.name === 'TEKTON_PLATFORM_COMMANDS').map((e) => JSON.parse(e.value!));
    assert.deepEqual(platformCommands(bare), [{ 'linux/amd64': ['/ep', 'default'], 'linux/arm64/v8': ['/bin/sh'] }]);
    assert.deepEqual(platformCommands(args), [{ 'linux/amd64': ['/ep'], 'linux/arm64/v8': ['/bin/sh'] }]);
    assert.deepEqual(
      args.env?.map((e) => e.name),
      ['MINE', 'TEKTON_PLATFORM_COMMANDS'],
      "appended after the step's own env, as resolveEntrypoints does",
    );
    assert.deepEqual(platformCommands(script) ?? [], []);
    assert.equal(bare.args?.includes('-entrypoint'), false);
    assert.deepEqual(args.args?.slice(args.args.indexOf('--')), ['--', 'given']);
    assert.equal(bare.image, 'img/one', 'the image is run as written (Tekton rewrites it to its digest; see docs/host-executor.md)');
  });
});
