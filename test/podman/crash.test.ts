// crash.test.ts: `kill -9` of `tektite run --executor podman` at chosen points of a PipelineRun:
// while images are checked, while a step container runs, between Tasks, while a sidecar runs, as
// finally starts. The next process on the state dir (`tektite controller`, or `tektite run` of the
// same file again) must find the dead process's Pods: their podman containers and pods are removed
// (by the label tektite.dev/pod), the Pods fail (NodeLost), the interrupted TaskRuns fail with that
// reason, the PipelineRun carries on and ends; nothing stays Running, nothing is left in podman or
// in the process table.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliPath, runCli } from '../helpers/cli.ts';
import { childrenOf, crashWhen, everythingEnded, processesWhere, recoverWithController, succeeded, until, type Run } from '../helpers/crash.ts';
import { storedObject, storedObjects } from '../helpers/store.ts';
import { killLeftovers } from '../../src/kubelet/leftovers.ts';
import { images, leftovers, skipReason } from './helpers.ts';

const skip = skipReason || (!existsSync(cliPath) && `${cliPath} is not built (npm run build)`);
// Every podman object of this file's runs is named after the PipelineRun (pod names start with it).
const pr = `crashpod-${randomBytes(3).toString('hex')}`;
// A marker the steps' and the sidecar's commands carry, to find the containers' processes in /proc.
const MARK = '.5381';
const yaml = (busybox: string) => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ${pr}}
spec:
  pipelineSpec:
    tasks:
    - {name: a, taskSpec: {steps: [{name: s, image: ${busybox}, script: 'sleep 1${MARK}'}]}}
    - name: b
      runAfter: [a]
      taskSpec:
        sidecars: [{name: side, image: ${busybox}, command: [sleep, '30${MARK}']}]
        steps: [{name: s, image: ${busybox}, script: 'sleep 1${MARK}'}]
    finally:
    - {name: f, taskSpec: {steps: [{name: s, image: ${busybox}, script: 'echo done'}]}}
`;

const podman = ['--executor', 'podman'];
const running = (arg: string) => processesWhere((argv) => argv.includes(arg)).length > 0;
const podmanChild = (pid: number, subcommands: string[]) => childrenOf(pid).some((a) => a[0].endsWith('podman') && subcommands.includes(a[1]));
const taskRun = (state: string, task: string) => storedObject<Run>(state, 'TaskRun', `${pr}-${task}`);

/** The kill points: each holds for a moment of the run (polled every 10 ms) and the process is killed then. */
const points: { name: string; when: (state: string) => (pid: number) => boolean }[] = [
  // A fresh process checks every image of a Pod once (`podman image exists`; the executor's own images built or imported).
  {
    name: 'while images are checked',
    when: (state) => (pid) => podmanChild(pid, ['image', 'pull', 'build', 'import']) && storedObjects(state, 'Pod').length > 0,
  },
  // `podman run` has been spawned and may not have made its container yet when the next process cleans up.
  { name: 'as a container is created', when: (state) => (pid) => podmanChild(pid, ['run']) && storedObjects(state, 'Pod').length > 0 },
  { name: 'while a step container runs', when: () => () => running(`1${MARK}`) },
  { name: 'between Tasks', when: (state) => () => succeeded(taskRun(state, 'a') ?? ({} as Run))?.status === 'True' },
  { name: 'while a sidecar runs', when: () => () => running(`30${MARK}`) },
  { name: 'as finally starts', when: (state) => () => taskRun(state, 'f') !== undefined },
];

/** podmanLeftovers lists podman containers and pods of this file's runs, and processes of them or their containers. */
function podmanLeftovers(): string[] {
  const procs = processesWhere((argv) => argv.some((a) => a.includes(pr) || a.endsWith(MARK)));
  return [...leftovers(pr), ...procs.map((p) => `process ${p}`)];
}

describe('kill -9 of tektite run --executor podman during a PipelineRun', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-podman-crash-'));
  const file = join(dir, 'crashpod.yaml');
  before(async () => writeFileSync(file, yaml((await images()).busybox)));
  after(() => rmSync(dir, { recursive: true, force: true }));

  points.forEach(({ name, when }, i) => {
    it(`${name}: the next ${i % 2 ? 'tektite run' : 'tektite controller'} removes its containers, fails the interrupted TaskRun and ends every run`, async () => {
      const state = join(dir, `state-${i}`);
      assert.ok(await crashWhen(file, state, when(state), podman), 'the kill fell before the run ended');
      if (i % 2 === 0) {
        await recoverWithController(state, podman);
      } else {
        // Running the same file again replaces the dead process's run, which must have ended first.
        const again = await runCli(['run', '-f', file, '--state-dir', state, ...podman], 60_000);
        assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
      }
      assert.ok(everythingEnded(state), `everything ended in ${state}`);
      const run = storedObject<Run>(state, 'PipelineRun', pr);
      assert.ok(run, 'the PipelineRun was created');
      // The finally Task ran: the PipelineRun carried on past the interrupted Task.
      assert.ok(succeeded(taskRun(state, 'f') ?? ({} as Run)), `finally ran: ${JSON.stringify(succeeded(run))}`);
      // A TaskRun whose Pod the crash cut off failed (one whose steps had all ended, its sidecars
      // still being stopped, had succeeded already), and says why: as Tekton words it ("step-s"
      // exited with code 137), with the cause on the steps the crash cut off.
      for (const pod of storedObjects<Run>(state, 'Pod').filter((p) => p.status?.reason === 'NodeLost')) {
        const tr = storedObject<Run>(state, 'TaskRun', pod.metadata.labels?.['tekton.dev/taskRun'] ?? '');
        if (succeeded(tr ?? ({} as Run))?.status === 'True') continue;
        const said = JSON.stringify([succeeded(tr ?? ({} as Run))?.message, tr?.status?.steps]);
        assert.match(said, /the tektite process running this Pod .* ended before the Pod did/, `${pod.metadata.name}'s TaskRun says why it failed`);
      }
      await until('the podman objects and processes of the dead run to be gone', () => podmanLeftovers().length === 0, 10_000).catch(() => {});
      assert.deepEqual(podmanLeftovers(), [], 'nothing of the runs is left in podman or in the process table');
    });
  });
});

describe('clean-up of a dead run’s podman objects', { skip }, () => {
  it('kills the podman commands the run left still making its containers before removing them', async () => {
    const { busybox } = await images();
    const key = `${pr}-late`;
    // A `podman run` of the dead process that makes its container only after the clean-up has looked:
    // its command line carries the run's label, as the executor's does.
    const late = spawn('sh', ['-c', `sleep 1; exec podman run -d --name ${key}-step --label "$2" ${busybox} sleep 30${MARK}`, 'sh', '--label', `tektite.dev/pod=${key}`], {
      stdio: 'ignore',
    });
    const exited = new Promise((r) => late.on('close', r));
    await killLeftovers([{ podman: key }], join(tmpdir(), 'no-such-pods-dir'));
    await exited;
    assert.equal(late.signalCode, 'SIGKILL', 'the late podman command was killed');
    await new Promise((r) => setTimeout(r, 1500));
    assert.deepEqual(leftovers(key), [], 'no container was made after the clean-up');
  });
});
