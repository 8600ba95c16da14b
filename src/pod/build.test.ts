import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskRun, TaskSpec } from '../api/index.ts';
import { applyTaskSubstitutions } from '../substitution/index.ts';
import { resolveWorkspaces } from '../workspaces/index.ts';
import { buildPod, childName, podName, sidecarContainerName, stepContainerName, type PodBuildOptions } from './index.ts';

const options: PodBuildOptions = {
  entrypointImage: 'tekton/entrypoint',
  shellImage: 'busybox',
  awaitSidecarReadiness: true,
  runningInEnvironmentWithInjectedSidecars: true,
  resultsFromSidecarLogs: false,
  disableCredsInit: false,
  managedByLabelValue: 'tekton-pipelines',
  releaseAnnotation: 'v1.0.0',
  randomSuffix: () => 'abcde',
};

const taskRun: TaskRun = {
  apiVersion: 'tekton.dev/v1',
  kind: 'TaskRun',
  metadata: { name: 'tr', namespace: 'ns', uid: 'uid-1', labels: { app: 'x' }, annotations: { note: 'y' } },
  spec: { serviceAccountName: 'default', timeout: '1h0m0s', workspaces: [{ name: 'src', emptyDir: {} }] },
};

const taskSpec: TaskSpec = {
  workspaces: [{ name: 'src' }],
  results: [{ name: 'out' }],
  steps: [
    { name: 'build', image: 'alpine', script: 'echo hi' },
    { image: 'busybox', command: ['ls', '-l'], args: ['$(workspaces.src.path)'] },
  ],
  sidecars: [{ name: 'db', image: 'redis' }],
};

function build(tr: TaskRun, spec: TaskSpec, opts = options) {
  const ws = resolveWorkspaces(spec.workspaces ?? [], tr.spec.workspaces ?? [], tr);
  const substituted = applyTaskSubstitutions(spec, {
    params: tr.spec.params ?? [],
    taskRun: { name: 'tr', namespace: 'ns', uid: 'uid-1' },
    taskName: 'tr',
    retryCount: 0,
    workspaces: ws.workspaces,
  });
  return buildPod(tr, substituted, ws, opts);
}

const implicit = [
  { name: 'tekton-internal-bin', mountPath: '/tekton/bin', readOnly: true },
  { name: 'tekton-internal-workspace', mountPath: '/workspace' },
  { name: 'tekton-internal-home', mountPath: '/tekton/home' },
  { name: 'tekton-internal-results', mountPath: '/tekton/results' },
  { name: 'tekton-internal-steps', mountPath: '/tekton/steps', readOnly: true },
  { name: 'tekton-internal-artifacts', mountPath: '/tekton/artifacts' },
];
const runs = (own: number) =>
  [0, 1].map((j) =>
    j === own ? { name: `tekton-internal-run-${j}`, mountPath: `/tekton/run/${j}` } : { name: `tekton-internal-run-${j}`, mountPath: `/tekton/run/${j}`, readOnly: true },
  );
const wsMount = { name: 'ws-d33ce', mountPath: '/workspace/src' };

describe('buildPod', () => {
  it('builds the full pod of a two-step task with a script, a sidecar and a workspace', () => {
    const built = build(taskRun, taskSpec);
    assert.ok('pod' in built);
    assert.deepEqual(built.pod, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'tr-pod',
        namespace: 'ns',
        labels: { app: 'x', 'tekton.dev/taskRun': 'tr', 'tekton.dev/taskRunUID': 'uid-1', 'app.kubernetes.io/managed-by': 'tekton-pipelines' },
        annotations: { note: 'y', 'pipeline.tekton.dev/release': 'v1.0.0' },
        ownerReferences: [{ apiVersion: 'tekton.dev/v1', kind: 'TaskRun', name: 'tr', uid: 'uid-1', controller: true, blockOwnerDeletion: true }],
      },
      spec: {
        restartPolicy: 'Never',
        serviceAccountName: 'default',
        activeDeadlineSeconds: 5400,
        initContainers: [
          {
            name: 'prepare',
            image: 'tekton/entrypoint',
            workingDir: '/',
            command: ['/ko-app/entrypoint', 'init', '/ko-app/entrypoint', '/tekton/bin/entrypoint', 'step-build', 'step-unnamed-1'],
            volumeMounts: [
              { name: 'tekton-internal-bin', mountPath: '/tekton/bin' },
              { name: 'tekton-internal-steps', mountPath: '/tekton/steps' },
            ],
          },
          {
            name: 'place-scripts',
            image: 'busybox',
            command: ['sh'],
            args: [
              '-c',
              'scriptfile="/tekton/scripts/script-0-abcde"\ntouch ${scriptfile} && chmod +x ${scriptfile}\n' +
                "cat > ${scriptfile} << '_EOF_'\nIyEvYmluL3NoCnNldCAtZQplY2hvIGhp\n_EOF_\n" +
                '/tekton/bin/entrypoint decode-script "${scriptfile}"\n',
            ],
            volumeMounts: [
              { name: 'tekton-internal-scripts', mountPath: '/tekton/scripts' },
              { name: 'tekton-internal-bin', mountPath: '/tekton/bin' },
            ],
          },
        ],
        containers: [
          {
            name: 'step-build',
            image: 'alpine',
            command: ['/tekton/bin/entrypoint'],
            args: [
              '-wait_file',
              '/tekton/downward/ready',
              '-wait_file_content',
              '-post_file',
              '/tekton/run/0/out',
              '-termination_path',
              '/tekton/termination',
              '-step_metadata_dir',
              '/tekton/run/0/status',
              '-results',
              'out',
              '-entrypoint',
              '/tekton/scripts/script-0-abcde',
              '--',
            ],
            terminationMessagePath: '/tekton/termination',
            volumeMounts: [
              wsMount,
              { name: 'tekton-internal-scripts', mountPath: '/tekton/scripts', readOnly: true },
              { name: 'tekton-internal-downward', mountPath: '/tekton/downward', readOnly: true },
              { name: 'tekton-creds-init-home-0', mountPath: '/tekton/creds' },
              ...runs(0),
              ...implicit,
            ],
          },
          {
            name: 'step-unnamed-1',
            image: 'busybox',
            command: ['/tekton/bin/entrypoint'],
            args: [
              '-wait_file',
              '/tekton/run/0/out',
              '-post_file',
              '/tekton/run/1/out',
              '-termination_path',
              '/tekton/termination',
              '-step_metadata_dir',
              '/tekton/run/1/status',
              '-results',
              'out',
              '-entrypoint',
              'ls',
              '--',
              '-l',
              '/workspace/src',
            ],
            terminationMessagePath: '/tekton/termination',
            volumeMounts: [wsMount, { name: 'tekton-creds-init-home-1', mountPath: '/tekton/creds' }, ...runs(1), ...implicit],
          },
          { name: 'sidecar-db', image: 'redis', volumeMounts: [wsMount] },
        ],
        volumes: [
          { name: 'tekton-internal-workspace', emptyDir: {} },
          { name: 'tekton-internal-home', emptyDir: {} },
          { name: 'tekton-internal-results', emptyDir: {} },
          { name: 'tekton-internal-steps', emptyDir: {} },
          { name: 'tekton-internal-artifacts', emptyDir: {} },
          { name: 'tekton-internal-scripts', emptyDir: {} },
          { name: 'tekton-internal-bin', emptyDir: {} },
          { name: 'tekton-internal-downward', downwardAPI: { items: [{ path: 'ready', fieldRef: { fieldPath: "metadata.annotations['tekton.dev/ready']" } }] } },
          { name: 'tekton-creds-init-home-0', emptyDir: { medium: 'Memory' } },
          { name: 'tekton-internal-run-0', emptyDir: {} },
          { name: 'tekton-creds-init-home-1', emptyDir: { medium: 'Memory' } },
          { name: 'tekton-internal-run-1', emptyDir: {} },
          { name: 'ws-d33ce', emptyDir: {} },
        ],
      },
    });
  });

  it('marks the pod ready at once and lets step 0 start without waiting when no sidecars can exist', () => {
    const spec: TaskSpec = { steps: [{ name: 's', image: 'alpine', command: ['true'] }] };
    const built = build({ ...taskRun, spec: { timeout: '0s' } }, spec, { ...options, runningInEnvironmentWithInjectedSidecars: false, disableCredsInit: true });
    assert.ok('pod' in built);
    const pod = built.pod;
    assert.equal(pod.metadata!.annotations!['tekton.dev/ready'], 'READY');
    assert.equal(pod.spec!.activeDeadlineSeconds, 2147483647);
    assert.deepEqual(pod.spec!.containers[0].args, [
      '-post_file',
      '/tekton/run/0/out',
      '-termination_path',
      '/tekton/termination',
      '-step_metadata_dir',
      '/tekton/run/0/status',
      '-entrypoint',
      'true',
      '--',
    ]);
    assert.deepEqual(
      pod.spec!.volumes!.map((v) => v.name),
      [
        'tekton-internal-workspace',
        'tekton-internal-home',
        'tekton-internal-results',
        'tekton-internal-steps',
        'tekton-internal-artifacts',
        'tekton-internal-bin',
        'tekton-internal-run-0',
      ],
    );
  });

  it('passes -compress_termination_message=true with enable-termination-message-compression, but not with sidecar-logs results (pod.go)', () => {
    const spec: TaskSpec = { results: [{ name: 'a' }], steps: [{ name: 'one', image: 'alpine', command: ['true'] }] };
    const args = (opts: PodBuildOptions) => {
      const built = build({ ...taskRun, spec: {} }, spec, opts);
      assert.ok('pod' in built);
      return built.pod.spec!.containers.find((c) => c.name === 'step-one')!.args ?? [];
    };
    assert.ok(args({ ...options, compressTerminationMessage: true }).includes('-compress_termination_message=true'));
    assert.ok(!args(options).includes('-compress_termination_message=true'));
    assert.ok(!args({ ...options, compressTerminationMessage: true, resultsFromSidecarLogs: true }).includes('-compress_termination_message=true'));
  });

  it('adds the tekton-log-results sidecar under results-from=sidecar-logs (createResultsSidecar), results kept out of termination messages', () => {
    const spec: TaskSpec = {
      results: [{ name: 'a' }, { name: 'b' }],
      steps: [
        { name: 'one', image: 'alpine', command: ['true'], results: [{ name: 'r' }] },
        { name: 'two', image: 'alpine', script: 'echo {} > $(step.artifacts.path)' },
      ],
    };
    const opts = { ...options, resultsFromSidecarLogs: true, sidecarLogPollingIntervalMs: 250, disableCredsInit: true };
    const built = build({ ...taskRun, spec: {} }, spec, opts);
    assert.ok('pod' in built);
    const sidecar = built.pod.spec!.containers.find((c) => c.name === 'sidecar-tekton-log-results')!;
    assert.deepEqual(sidecar.command, [
      '/ko-app/sidecarlogresults',
      '-results-dir',
      '/tekton/results',
      '-result-names',
      'a,b',
      '-step-names',
      'step-two',
      '-step-results',
      '{"step-one":["r"]}',
    ]);
    assert.deepEqual(sidecar.env, [{ name: 'SIDECAR_LOG_POLLING_INTERVAL', value: '250ms' }]);
    assert.equal(sidecar.image, 'tekton/entrypoint');
    assert.deepEqual(
      sidecar.volumeMounts!.filter((m) => m.mountPath.startsWith('/tekton/run/')).map((m) => [m.mountPath, m.readOnly]),
      [
        ['/tekton/run/0', true],
        ['/tekton/run/1', true],
      ],
    );
    for (const step of built.pod.spec!.containers.filter((c) => c.name.startsWith('step-'))) {
      assert.deepEqual(step.args!.slice(step.args!.indexOf('-result_from'), step.args!.indexOf('-result_from') + 2), ['-result_from', 'sidecar-logs']);
    }
    // Artifacts alone also need the sidecar.
    const artifactsOnly = build({ ...taskRun, spec: {} }, { steps: [spec.steps![1]] }, opts);
    assert.ok('pod' in artifactsOnly);
    assert.deepEqual(
      artifactsOnly.pod.spec!.containers.map((c) => c.name),
      ['step-two', 'sidecar-tekton-log-results'],
    );
    // Without declared results and artifacts there is nothing to read: no sidecar, results stay in termination messages.
    const plain = build({ ...taskRun, spec: {} }, { steps: [{ name: 's', image: 'alpine', command: ['true'] }] }, opts);
    assert.ok('pod' in plain);
    assert.deepEqual(
      plain.pod.spec!.containers.map((c) => c.name),
      ['step-s'],
    );
    assert.ok(!plain.pod.spec!.containers[0].args!.includes('-result_from'));
  });

  it('passes onError, timeout, std paths, step results and when to the entrypoint in order', () => {
    const spec: TaskSpec = {
      steps: [
        {
          name: 's',
          image: 'alpine',
          command: ['sh', '-c'],
          args: ['x'],
          onError: 'continue',
          timeout: '90s',
          stdoutConfig: { path: '/o' },
          stderrConfig: { path: '/e' },
          results: [{ name: 'r1' }, { name: 'r2' }],
          when: [{ input: 'a', operator: 'in', values: ['a'] }],
        },
      ],
    };
    const built = build({ ...taskRun, spec: {} }, spec, { ...options, runningInEnvironmentWithInjectedSidecars: false, disableCredsInit: true });
    assert.ok('pod' in built);
    assert.deepEqual(built.pod.spec!.containers[0].args, [
      '-post_file',
      '/tekton/run/0/out',
      '-termination_path',
      '/tekton/termination',
      '-step_metadata_dir',
      '/tekton/run/0/status',
      '-on_error',
      'continue',
      '-timeout',
      '1m30s',
      '-stdout_path',
      '/o',
      '-stderr_path',
      '/e',
      '-step_results',
      'r1,r2',
      '--when_expressions',
      '[{"input":"a","operator":"in","values":["a"]}]',
      '-entrypoint',
      'sh',
      '--',
      '-c',
      'x',
    ]);
  });

  it('merges the stepTemplate: step env first, template-only env kept in place, mounts by path', () => {
    const spec: TaskSpec = {
      stepTemplate: {
        image: 'tmpl',
        env: [
          { name: 'KEEP_THIS', value: 'A' },
          { name: 'SOME_KEY', value: 'ORIGINAL' },
        ],
        workingDir: '/w',
      },
      steps: [
        {
          name: 's',
          env: [
            { name: 'NEW_KEY', value: 'A' },
            { name: 'SOME_KEY', value: 'NEW' },
          ],
          command: ['true'],
        },
      ],
    };
    const built = build(
      {
        ...taskRun,
        spec: {
          podTemplate: {
            env: [
              { name: 'FROM_TEMPLATE', value: '1' },
              { name: 'FORBIDDEN', value: '2' },
            ],
          },
        },
      },
      spec,
      { ...options, defaultForbiddenEnv: ['FORBIDDEN'] },
    );
    assert.ok('pod' in built);
    const c = built.pod.spec!.containers[0];
    assert.equal(c.image, 'tmpl');
    assert.equal(c.workingDir, '/w');
    assert.deepEqual(c.env, [
      { name: 'NEW_KEY', value: 'A' },
      { name: 'KEEP_THIS', value: 'A' },
      { name: 'SOME_KEY', value: 'NEW' },
      { name: 'FROM_TEMPLATE', value: '1' },
    ]);
  });

  it('adds a working-dir-initializer for relative and /workspace/ working dirs only', () => {
    const spec: TaskSpec = {
      steps: [
        { image: 'a', command: ['x'], workingDir: '/workspace/b/../c' },
        { image: 'a', command: ['x'], workingDir: 'rel' },
        { image: 'a', command: ['x'], workingDir: '/abs' },
      ],
    };
    const built = build({ ...taskRun, spec: {} }, spec);
    assert.ok('pod' in built);
    assert.deepEqual(built.pod.spec!.initContainers![1], {
      name: 'working-dir-initializer',
      image: 'tekton/entrypoint',
      command: ['/ko-app/workingdirinit'],
      args: ['/workspace/c', 'rel'],
      workingDir: '/workspace',
      volumeMounts: implicit.slice(1),
    });
  });

  it('splits Task-level compute resources over the steps', () => {
    const spec: TaskSpec = {
      steps: [
        { name: 'a', image: 'a', command: ['x'] },
        { name: 'b', image: 'a', command: ['x'] },
      ],
    };
    const built = build({ ...taskRun, spec: { computeResources: { requests: { cpu: '1', memory: '1Gi' }, limits: { cpu: 2 } } } }, spec);
    assert.ok('pod' in built);
    assert.deepEqual(
      built.pod.spec!.containers.map((c) => c.resources),
      [
        { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: 2 } },
        { requests: { cpu: '500m', memory: '512Mi' }, limits: { cpu: 2 } },
      ],
    );
  });

  it('rejects duplicate volume names and mounts under /tekton/ with Tekton messages', () => {
    const dup = build({ ...taskRun, spec: {} }, { steps: [{ image: 'a', command: ['x'] }], volumes: [{ name: 'tekton-internal-home', emptyDir: {} }] });
    assert.ok('error' in dup);
    assert.equal(dup.error.toString(), 'multiple volumes with same name "tekton-internal-home": [9].name');
    const mount = build({ ...taskRun, spec: {} }, { steps: [{ image: 'a', command: ['x'], volumeMounts: [{ name: 'v', mountPath: '/tekton/x' }] }] });
    assert.ok('error' in mount);
    assert.equal(mount.error.toString(), 'volumeMount cannot be mounted under /tekton/ (volumeMount "v" mounted at "/tekton/x"): steps[0].volumeMounts[0].mountPath');
  });
});

describe('names', () => {
  const cases: [string, string, number, string][] = [
    ['a short TaskRun name gets -pod', 'task-run', 0, 'task-run-pod'],
    [
      'a long TaskRun name is md5-shortened (taskruns.md example)',
      'task-run-0123456789-0123456789-0123456789-0123456789-0123456789-0123456789',
      0,
      'task-run-0123456789-01234560d38957287bb0283c59440df14069f59-pod',
    ],
    ['a retry gets -pod-retry<N>', 'task-run', 2, 'task-run-pod-retry2'],
  ];
  for (const [title, tr, retries, want] of cases) it(title, () => assert.equal(podName(tr, retries), want));

  it('childName hashes everything when the suffix alone is too long', () => {
    assert.match(childName('p'.repeat(40), `-${'x'.repeat(40)}`), /^p{31}[0-9a-f]{32}$/);
    assert.match(childName('short', `-${'x'.repeat(60)}`), /^short[0-9a-f]{32}-x{25}$/);
  });

  it('names step and sidecar containers like Tekton', () => {
    assert.equal(stepContainerName('build', 0), 'step-build');
    assert.equal(stepContainerName(undefined, 3), 'step-unnamed-3');
    assert.equal(stepContainerName(`${'a'.repeat(58)}-b`, 0), `step-${'a'.repeat(58)}`);
    assert.equal(sidecarContainerName(undefined), 'sidecar');
    assert.equal(sidecarContainerName('db'), 'sidecar-db');
  });
});
