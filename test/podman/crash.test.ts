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
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cliPath, runCli } from '../helpers/cli.ts';
import { childrenOf, condition, crashWhen, everythingEnded, processesWhere, recoverWithController, succeeded, until, type Run } from '../helpers/crash.ts';
import { storedObject, storedObjects } from '../helpers/store.ts';
import { killLeftovers } from '../../src/kubelet/leftovers.ts';
import { images, leftovers, skipReason } from './helpers.ts';

const skip = skipReason || (!existsSync(cliPath) && `${cliPath} is not built (npm run build)`);
// Each kill point runs its own PipelineRun: every podman object of it is named after it (Pod names
// start with it), and its steps' and sidecar's commands carry its marker (to find the containers'
// processes in /proc), so that a leftover is told apart from the other points' and other files'.
const base = `crashpod-${randomBytes(3).toString('hex')}`;

interface Scenario {
  pr: string;
  mark: string;
  state: string;
}

const yaml = (busybox: string, { pr, mark }: Scenario) => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: ${pr}}
spec:
  pipelineSpec:
    tasks:
    - {name: a, taskSpec: {steps: [{name: s, image: ${busybox}, script: 'sleep 1${mark}'}]}}
    - name: b
      runAfter: [a]
      retries: 1
      taskSpec:
        sidecars: [{name: side, image: ${busybox}, command: [sleep, '30${mark}']}]
        steps: [{name: s, image: ${busybox}, script: 'sleep 1${mark}'}]
    finally:
    - {name: f, taskSpec: {steps: [{name: s, image: ${busybox}, script: 'echo done'}]}}
`;

const podman = ['--executor', 'podman'];
const running = (arg: string) => processesWhere((argv) => argv.includes(arg)).length > 0;
const podmanChild = (pid: number, subcommands: string[]) => childrenOf(pid).some((a) => a[0].endsWith('podman') && subcommands.includes(a[1]));
const taskRun = (s: Scenario, task: string) => storedObject<Run>(s.state, 'TaskRun', `${s.pr}-${task}`);

/**
 * The kill points: each holds for a moment of the run (polled every 10 ms) and the process is killed
 * then. The next process is `tektite controller`, which carries on with the run (cutOff names the
 * Task whose attempt the crash must have cut off), or `tektite run` of the same file again.
 */
const points: { name: string; when: (s: Scenario) => (pid: number) => boolean; recover: 'controller' | 'run'; cutOff?: string }[] = [
  // A fresh process checks every image of a Pod once (`podman image exists`; the executor's own images built or imported).
  {
    name: 'while images are checked',
    when: (s) => (pid) => podmanChild(pid, ['image', 'pull', 'build', 'import']) && storedObjects(s.state, 'Pod').length > 0,
    recover: 'controller',
    cutOff: 'a',
  },
  // `podman run` has been spawned and may not have made its container yet when the next process cleans up.
  { name: 'as a container is created', when: (s) => (pid) => podmanChild(pid, ['run']) && storedObjects(s.state, 'Pod').length > 0, recover: 'run' },
  { name: 'while a step container runs', when: (s) => () => running(`1${s.mark}`), recover: 'controller', cutOff: 'a' },
  { name: 'between Tasks', when: (s) => () => succeeded(taskRun(s, 'a'))?.status === 'True', recover: 'run' },
  // b has a retry: its next attempt runs, and the PipelineRun succeeds.
  { name: 'while a sidecar runs', when: (s) => () => running(`30${s.mark}`), recover: 'controller', cutOff: 'b' },
  { name: 'as finally starts', when: (s) => () => taskRun(s, 'f') !== undefined, recover: 'run' },
];

/** podmanLeftovers lists the podman containers and pods of a run, and the processes of them or of their containers. */
function podmanLeftovers({ pr, mark }: Scenario): string[] {
  const procs = processesWhere((argv) => argv.some((a) => a.includes(pr) || a.endsWith(mark)));
  return [...leftovers(pr), ...procs.map((p) => `process ${p}: ${commandLine(p)}`)];
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '(ended)';
  }
}

describe('kill -9 of tektite run --executor podman during a PipelineRun', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-podman-crash-'));
  let busybox: string;
  before(async () => {
    busybox = (await images()).busybox;
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  points.forEach(({ name, when, recover, cutOff }, i) => {
    it(`${name}: the next tektite ${recover} removes its containers, fails the interrupted TaskRun and ends every run`, async () => {
      const s: Scenario = { pr: `${base}-${i}`, mark: `.5381${i}`, state: join(dir, `state-${i}`) };
      const { pr, state } = s;
      const file = join(dir, `${pr}.yaml`);
      writeFileSync(file, yaml(busybox, s));
      assert.ok(await crashWhen(file, state, when(s), podman), 'the kill fell before the run ended');
      if (recover === 'controller') {
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
      assert.ok(succeeded(taskRun(s, 'f')), `finally ran: ${JSON.stringify(succeeded(run))}`);
      const lost = storedObjects<Run>(state, 'Pod').filter((p) => p.status?.reason === 'NodeLost');
      if (cutOff) {
        assert.ok(
          lost.some((p) => p.metadata.labels?.['tekton.dev/pipelineTask'] === cutOff),
          `${cutOff}'s Pod was lost`,
        );
        assert.equal(succeeded(run)?.reason, cutOff === 'b' ? 'Succeeded' : 'Failed', JSON.stringify(succeeded(run)));
      } else if (recover === 'run') {
        assert.equal(succeeded(run)?.reason, 'Succeeded', 'the run again replaced the dead one and succeeded');
      }
      // The attempt of a TaskRun whose Pod the crash cut off failed (one whose steps had all ended,
      // its sidecars still being stopped, had succeeded already), and says why: as Tekton words it
      // ("step-s" exited with code 137), with the cause on the steps the crash cut off. b has a
      // retry: its next attempt runs.
      for (const pod of lost) {
        const tr = storedObject<Run>(state, 'TaskRun', pod.metadata.labels?.['tekton.dev/taskRun'] ?? '');
        const attempts = [tr?.status, ...(tr?.status?.retriesStatus ?? [])];
        const attempt = attempts.find((a) => a?.podName === pod.metadata.name);
        if (condition(attempt)?.status === 'True') continue;
        assert.equal(condition(attempt)?.status, 'False', `${pod.metadata.name}'s attempt failed`);
        const said = JSON.stringify([condition(attempt)?.message, attempt?.steps]);
        assert.match(said, /the tektite process running this Pod .* ended before the Pod did/, `${pod.metadata.name}'s TaskRun says why it failed`);
        if (tr?.metadata.name === `${pr}-b`) assert.equal(tr.status?.retriesStatus?.length, 1, 'b was retried');
      }
      await until('the podman objects and processes of the dead run to be gone', () => podmanLeftovers(s).length === 0, 10_000).catch(() => {});
      assert.deepEqual(podmanLeftovers(s), [], 'nothing of the runs is left in podman or in the process table');
    });
  });
});

describe('clean-up of a dead run’s podman objects', { skip }, () => {
  it('waits for a podman run still making its container, then removes that container too', async () => {
    const { busybox } = await images();
    const key = `${base}-late`;
    // A `podman run` of the dead process that makes its container only after the clean-up has first
    // looked: its command line carries the run's label, as the executor's does, and it stays attached.
    const late = spawn('sh', ['-c', `sleep 1; exec podman run --name ${key}-step --label "$2" ${busybox} sleep 30.53819`, 'sh', '--label', `tektite.dev/pod=${key}`], {
      stdio: 'ignore',
    });
    const exited = new Promise((r) => late.on('close', r));
    assert.equal(await killLeftovers([{ podman: key }], join(tmpdir(), 'no-such-pods-dir')), true);
    assert.deepEqual(leftovers(key), [], 'the container made after the first removal was removed');
    await exited;
    assert.notEqual(late.signalCode, 'SIGKILL', 'the podman run ended with its container, unkilled');
  });
});
