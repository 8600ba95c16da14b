// Tests the in-process entrypoint seam with a tiny stand-in for the entrypoint library, so the
// executor's side (resolvePath through the mounts, the Runner in the sandbox, logs, termination
// file) is checked independently of src/entrypoint.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Container } from '@kubernetes/client-node';
import type { EntrypointIO, RunEntrypointCommand } from './entrypoint-link.ts';
import { detectSandbox } from './sandbox.ts';
import { runPodLifecycle } from '../pod/index.ts';
import { hostRuntime } from './pod-run.ts';
import { emptyDirs, logText, podOf, recordingOptions, stateOf } from './test-support.ts';

/** fakeEntrypoint understands -wait_file (skipping on .err), -post_file, -termination_path and -entrypoint ... -- args. */
const fakeEntrypoint: RunEntrypointCommand = async (argv, partial) => {
  const io = partial as EntrypointIO;
  const flag = (name: string): string | undefined => argv[argv.indexOf(name) + 1];
  const waitFile = argv.includes('-wait_file') ? flag('-wait_file') : undefined;
  while (waitFile && !existsSync(io.resolvePath(waitFile)) && !existsSync(io.resolvePath(`${waitFile}.err`))) await sleep(5);
  const skip = waitFile !== undefined && !existsSync(io.resolvePath(waitFile));
  const command = [flag('-entrypoint')!, ...argv.slice(argv.indexOf('--') + 1)];
  const result = skip ? { exitCode: 1 } : await io.runner.run(command, { env: io.env, stdout: io.stdout, stderr: io.stderr, signal: io.signal ?? new AbortController().signal });
  const exitCode = 'exitCode' in result ? result.exitCode : 1;
  const post = io.resolvePath(flag('-post_file')!);
  mkdirSync(path.dirname(post), { recursive: true });
  writeFileSync(exitCode === 0 ? post : `${post}.err`, '');
  writeFileSync(io.resolvePath(flag('-termination_path')!), JSON.stringify([{ key: 'StartedAt', value: 'now', type: 3 }]));
  return exitCode;
};

/** step builds a Tekton-shaped step container for index i of n. */
function step(i: number, n: number, script: string): V1Container {
  return {
    name: `step-s${i}`,
    image: 'alpine',
    command: ['/tekton/bin/entrypoint'],
    args: [
      ...(i > 0 ? ['-wait_file', `/tekton/run/${i - 1}/out`] : []),
      '-post_file',
      `/tekton/run/${i}/out`,
      '-termination_path',
      '/tekton/termination',
      '-entrypoint',
      'sh',
      '--',
      '-c',
      script,
    ],
    terminationMessagePath: '/tekton/termination',
    volumeMounts: [
      { name: 'tekton-internal-workspace', mountPath: '/workspace' },
      ...Array.from({ length: n }, (_, j) => ({ name: `tekton-internal-run-${j}`, mountPath: `/tekton/run/${j}`, readOnly: j !== i })),
    ],
  };
}

describe('the in-process entrypoint seam', () => {
  it('runs /tekton/bin/entrypoint containers through the library, user commands in the sandbox', async () => {
    const { options, recorded } = recordingOptions();
    const pod = podOf({
      containers: [step(0, 3, 'echo one > /workspace/f; echo out'), step(1, 3, 'cat /workspace/f; exit 4'), step(2, 3, 'echo never')],
      volumes: emptyDirs('tekton-internal-workspace', 'tekton-internal-run-0', 'tekton-internal-run-1', 'tekton-internal-run-2'),
    });
    const mode = await detectSandbox('auto');
    const status = await runPodLifecycle(pod, options, hostRuntime({ mode, bundle: undefined, entrypoint: fakeEntrypoint }));
    assert.equal(logText(recorded, 'step-s0'), 'out\n');
    assert.equal(logText(recorded, 'step-s1'), 'one\n');
    assert.deepEqual(stateOf(status, 'step-s0'), { terminated: { exitCode: 0, reason: 'Completed', message: '[{"key":"StartedAt","value":"now","type":3}]' } });
    assert.deepEqual(stateOf(status, 'step-s1'), { terminated: { exitCode: 4, reason: 'Error', message: '[{"key":"StartedAt","value":"now","type":3}]' } });
    assert.ok(existsSync(path.join(recorded.workDir, 'volumes/tekton-internal-run-1/out.err')));
    assert.deepEqual(stateOf(status, 'step-s2'), { terminated: { exitCode: 1, reason: 'Error', message: '[{"key":"StartedAt","value":"now","type":3}]' } });
    assert.equal(logText(recorded, 'step-s2'), '');
    assert.equal(status.phase, 'Failed');
  });
});
