// A Tekton-shaped pod (TEKTON-FACTS §2: prepare, place-scripts, entrypoint-wrapped steps, internal
// volumes) run with the real entrypoint, in-process and as the bundled binary.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Container, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { spawnGroup } from '../../proc/index.ts';
import { hostExecutor } from './index.ts';
import { emptyDirs, logText, podOf, recordingOptions, settlesDead, stateOf } from './test-support.ts';
import { withTektonController } from '../pod/controller-test-support.ts';

const stepNames = ['step-a', 'step-b', 'step-c'];
const scriptA = '#!/bin/sh\nset -e\necho "hello from a" | tee /workspace/a\nprintf result-a > /tekton/results/out\n';

const placeScripts = `scriptfile="/tekton/scripts/script-0-abcde"
touch \${scriptfile} && chmod +x \${scriptfile}
cat > \${scriptfile} << '_EOF_'
${Buffer.from(scriptA).toString('base64')}
_EOF_
/tekton/bin/entrypoint decode-script "\${scriptfile}"
`;

/** stepMounts are the implicit mounts of step i (TEKTON-FACTS §2.4). */
function stepMounts(i: number): V1VolumeMount[] {
  return [
    { name: 'tekton-internal-scripts', mountPath: '/tekton/scripts', readOnly: true },
    { name: 'tekton-internal-bin', mountPath: '/tekton/bin', readOnly: true },
    { name: 'tekton-internal-workspace', mountPath: '/workspace' },
    { name: 'tekton-internal-home', mountPath: '/tekton/home' },
    { name: 'tekton-internal-results', mountPath: '/tekton/results' },
    { name: 'tekton-internal-steps', mountPath: '/tekton/steps', readOnly: true },
    ...stepNames.map((_, j) => ({ name: `tekton-internal-run-${j}`, mountPath: `/tekton/run/${j}`, readOnly: i !== j })),
    ...(i === 0 ? [{ name: 'tekton-internal-downward', mountPath: '/tekton/downward', readOnly: true }] : []),
  ];
}

/** step is an entrypoint-wrapped step container. */
function step(i: number, command: string[]): V1Container {
  const wait = i === 0 ? ['-wait_file', '/tekton/downward/ready', '-wait_file_content'] : ['-wait_file', `/tekton/run/${i - 1}/out`];
  return {
    name: stepNames[i],
    image: 'alpine',
    command: ['/tekton/bin/entrypoint'],
    args: [
      ...wait,
      '-post_file',
      `/tekton/run/${i}/out`,
      '-termination_path',
      '/tekton/termination',
      '-step_metadata_dir',
      `/tekton/run/${i}/status`,
      ...(i === 0 ? ['-results', 'out'] : []),
      '-entrypoint',
      command[0],
      '--',
      ...command.slice(1),
    ],
    terminationMessagePath: '/tekton/termination',
    terminationMessagePolicy: 'File',
    volumeMounts: stepMounts(i),
  };
}

const volumes: V1Volume[] = [
  ...emptyDirs(
    'tekton-internal-workspace',
    'tekton-internal-home',
    'tekton-internal-results',
    'tekton-internal-steps',
    'tekton-internal-scripts',
    'tekton-internal-bin',
    ...stepNames.map((_, j) => `tekton-internal-run-${j}`),
  ),
  { name: 'tekton-internal-downward', downwardAPI: { items: [{ path: 'ready', fieldRef: { fieldPath: "metadata.annotations['tekton.dev/ready']" } }] } },
];

const pod = podOf({
  initContainers: [
    {
      name: 'prepare',
      image: 'entrypoint',
      workingDir: '/',
      command: ['/ko-app/entrypoint', 'init', '/ko-app/entrypoint', '/tekton/bin/entrypoint', ...stepNames],
      volumeMounts: [
        { name: 'tekton-internal-bin', mountPath: '/tekton/bin' },
        { name: 'tekton-internal-steps', mountPath: '/tekton/steps' },
      ],
    },
    {
      name: 'place-scripts',
      image: 'busybox',
      command: ['sh'],
      args: ['-c', placeScripts],
      volumeMounts: [
        { name: 'tekton-internal-scripts', mountPath: '/tekton/scripts' },
        { name: 'tekton-internal-bin', mountPath: '/tekton/bin' },
      ],
    },
  ],
  containers: [step(0, ['/tekton/scripts/script-0-abcde']), step(1, ['sh', '-c', 'cat /workspace/a; ls /tekton/steps/step-a/; exit 3']), step(2, ['sh', '-c', 'echo never'])],
  volumes,
});

/** entries parses a termination message into key → [value, type], dropping StartedAt's changing value. */
function entries(message: string | undefined): Record<string, unknown> {
  const parsed = JSON.parse(message ?? '[]') as { key: string; value: string; type: number }[];
  return Object.fromEntries(parsed.map((e) => [e.key, e.key === 'StartedAt' ? e.type : [e.value, e.type]]));
}

let bundle = '';
before(async () => {
  bundle = path.join(mkdtempSync(path.join(os.tmpdir(), 'tektite-bundle-')), 'entrypoint.cjs');
  const built = await spawnGroup([process.execPath, 'scripts/bundle-entrypoint.mjs', bundle], { env: { PATH: process.env.PATH ?? '' } }).result;
  assert.deepEqual(built, { exitCode: 0 });
});
after(() => rmSync(path.dirname(bundle), { recursive: true, force: true }));

const cases: { inProcessEntrypoint: boolean; sandbox: 'auto' | 'none' }[] = [
  { inProcessEntrypoint: true, sandbox: 'auto' },
  { inProcessEntrypoint: false, sandbox: 'auto' },
  { inProcessEntrypoint: true, sandbox: 'none' },
];

for (const { inProcessEntrypoint, sandbox } of cases) {
  describe(`a Tekton pod on the host with the entrypoint ${inProcessEntrypoint ? 'in-process' : 'as a process'}, sandbox ${sandbox}`, () => {
    it('places the entrypoint and scripts, orders the steps, skips after a failure and reports termination messages', async () => {
      const { options, recorded } = recordingOptions();
      const status = await hostExecutor({ entrypointBundle: bundle, inProcessEntrypoint, sandbox, tmpfsScratch: false }).runPod(pod, withTektonController(pod, options));
      assert.deepEqual(stateOf(status, 'prepare'), { terminated: { exitCode: 0, reason: 'Completed' } });
      assert.deepEqual(stateOf(status, 'place-scripts'), { terminated: { exitCode: 0, reason: 'Completed' } });
      assert.equal(logText(recorded, 'step-a'), 'hello from a\n');
      assert.equal(logText(recorded, 'step-b'), 'hello from a\nartifacts\nexitCode\nresults\n');
      assert.equal(logText(recorded, 'step-c'), 'Skipping step because a previous step failed\n');
      const states = status.containerStatuses?.map((c) => c.state?.terminated);
      assert.deepEqual(
        states?.map((t) => [t?.exitCode, t?.reason]),
        [
          [0, 'Completed'],
          [3, 'Error'],
          [1, 'Error'],
        ],
      );
      assert.deepEqual(entries(states?.[0]?.message), { out: ['result-a', 1], StartedAt: 3 });
      assert.deepEqual(entries(states?.[2]?.message), { Reason: ['Skipped', 3], StartedAt: 3 });
      // Without a namespace the link is retargeted to the host directory behind /tekton/run/0.
      const linkTarget = sandbox === 'none' ? path.join(recorded.workDir, 'volumes/tekton-internal-run-0/status') : '/tekton/run/0/status';
      assert.equal(readlinkSync(path.join(recorded.workDir, 'volumes/tekton-internal-steps/step-a')), linkTarget);
      assert.equal(status.phase, 'Failed');
    });
  });
}

describe('cancelling a Tekton pod with the in-process entrypoint', () => {
  it('kills the step command and its grandchildren and reports the step as killed', async () => {
    const controller = new AbortController();
    const { options, recorded } = recordingOptions({}, controller.signal);
    const sleeper = podOf(
      {
        initContainers: pod.spec!.initContainers!.slice(0, 1),
        containers: [step(0, ['sh', '-c', 'sleep 100 & echo $! > /workspace/pid; wait'])],
        volumes,
      },
      { 'tekton.dev/ready': 'READY' },
    );
    const running = hostExecutor({ entrypointBundle: bundle }).runPod(sleeper, withTektonController(sleeper, options));
    const pidFile = path.join(recorded.workDir, 'volumes/tekton-internal-workspace/pid');
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await sleep(10);
    controller.abort();
    const status = await running;
    const terminated = status.containerStatuses?.[0]?.state?.terminated;
    assert.deepEqual([terminated?.exitCode, terminated?.reason, entries(terminated?.message)], [137, 'Error', { StartedAt: 3 }]);
    assert.equal(await settlesDead(Number(readFileSync(pidFile, 'utf8'))), true);
  });
});
