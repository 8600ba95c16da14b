// A real crash: a tektite process running a Pod on a SQLite state dir is killed with SIGKILL; the
// next kubelet on that state dir kills what the run left behind and fails the Pod.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostExecutor } from '../executors/host/index.ts';
import { LogStore, openStateStore, type ObjectStore } from '../store/index.ts';
import { startKubelet, type Kubelet } from './index.ts';
import { createPod, getPod, podEnded, processRunning, taskRunPod, tempStateDir, waitFor } from './test-support.ts';

const kubeletModule = fileURLToPath(new URL('./index.ts', import.meta.url));
const storeModule = fileURLToPath(new URL('../store/index.ts', import.meta.url));
const hostModule = fileURLToPath(new URL('../executors/host/index.ts', import.meta.url));
const podmanModule = fileURLToPath(new URL('../executors/podman/index.ts', import.meta.url));

// The child: a kubelet on the state dir (host backend, or podman at podmanPath), running until it is killed.
const child = (stateDir: string, podmanPath?: string) => `
import { startKubelet } from ${JSON.stringify(kubeletModule)};
import { LogStore, openStateStore } from ${JSON.stringify(storeModule)};
import { hostExecutor } from ${JSON.stringify(hostModule)};
import { podmanExecutor } from ${JSON.stringify(podmanModule)};
const opened = await openStateStore(${JSON.stringify(stateDir)});
if (!opened.ok) throw new Error(opened.message);
const backend = ${podmanPath ? `podmanExecutor({ podmanPath: ${JSON.stringify(podmanPath)} })` : 'hostExecutor()'};
const k = startKubelet({ store: opened.store, logs: new LogStore(${JSON.stringify(stateDir)}), backend, stateDir: ${JSON.stringify(stateDir)}, nodeName: 'doomed' });
await k.synced;
console.log('synced');
setInterval(() => {}, 1000);
`;

const kubelets: Kubelet[] = [];
const stores: ObjectStore[] = [];
/** strays are processes a failed test may leave running. */
const strays: number[] = [];
after(async () => {
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const k of kubelets) await k.stop();
  for (const s of stores) await s.close();
});

/** startChild starts the child kubelet and resolves once it serves the store. */
async function startChild(stateDir: string, podmanPath?: string) {
  const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child(stateDir, podmanPath)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await waitFor('the child kubelet', () => out.includes('synced'), 30_000);
  return proc;
}

describe('after a kill -9 of the tektite process running a Pod', () => {
  it('the next kubelet kills the leftover processes and fails the Pod', async () => {
    const stateDir = tempStateDir();
    const opened = await openStateStore(stateDir);
    assert.ok(opened.ok);
    const store = opened.store;
    stores.push(store);
    const proc = await startChild(stateDir);
    // A background process in the step's process group: it outlives the step's shell and bubblewrap.
    await createPod(store, taskRunPod('crash', [{ name: 'bg', image: 'busybox', script: 'sleep 300 & echo "pid=$!"; wait' }]));
    const logs = new LogStore(stateDir);
    const pid = await waitFor('the step to start', async () => {
      let text = '';
      for await (const c of logs.read({ namespace: 'default', pod: 'crash-pod', container: 'step-bg' })) text += c.toString();
      const m = /pid=(\d+)/.exec(text);
      return m ? Number(m[1]) : undefined;
    });
    assert.equal((await getPod(store, 'default', 'crash-pod'))?.status?.phase, 'Running');
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));

    // (Here the background sleep still runs: bubblewrap's --die-with-parent reaches only its own child.)
    const kubelet = startKubelet({ store, logs, backend: hostExecutor(), stateDir, nodeName: 'survivor' });
    kubelets.push(kubelet);
    await kubelet.synced;
    const pod = await podEnded(store, 'default', 'crash-pod', 5000);
    assert.equal(pod.status?.phase, 'Failed');
    assert.equal(pod.status?.reason, 'NodeLost');
    assert.equal(pod.status?.containerStatuses?.find((s) => s.name === 'step-bg')?.state?.terminated?.exitCode, 137);
    await waitFor('the leftover process to die', () => !processRunning(pid), 5000);
    assert.deepEqual(readdirSync(path.join(stateDir, 'pods')), [], "the dead run's work dir is removed");
    assert.deepEqual(readdirSync(path.join(stateDir, 'kubelet', 'pods')), [], "the dead run's record is removed");
  });

  it('the next kubelet kills the podman calls of a dead podman run, which carry no label (a pull)', async () => {
    const stateDir = tempStateDir();
    // A stand-in podman: no image is local, a pull hangs (with a child in its process group), the rest succeeds.
    const fake = path.join(stateDir, 'podman');
    const pullPid = path.join(stateDir, 'pull.pid');
    writeFileSync(fake, `#!/bin/sh\ncase "$1 $2" in\n'image exists') exit 1 ;;\n'pull --quiet') sleep 300 & echo $! > ${pullPid}; wait ;;\nesac\nexit 0\n`);
    chmodSync(fake, 0o755);
    const opened = await openStateStore(stateDir);
    assert.ok(opened.ok);
    const store = opened.store;
    stores.push(store);
    const proc = await startChild(stateDir, fake);
    await createPod(store, taskRunPod('pulling', [{ name: 's', image: 'registry.invalid/never:1', command: ['true'] }]));
    const pid = await waitFor('the pull to start', () => {
      try {
        return Number(readFileSync(pullPid, 'utf8')) || undefined;
      } catch {
        return undefined;
      }
    });
    strays.push(pid);
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    assert.ok(processRunning(pid), 'the pull outlives the killed process');

    const kubelet = startKubelet({ store, logs: new LogStore(stateDir), backend: hostExecutor(), stateDir, nodeName: 'survivor', podmanPath: fake });
    kubelets.push(kubelet);
    await kubelet.synced;
    const pod = await podEnded(store, 'default', 'pulling-pod', 5000);
    assert.equal(pod.status?.reason, 'NodeLost');
    await waitFor('the pull to die', () => !processRunning(pid));
    assert.deepEqual(readdirSync(path.join(stateDir, 'kubelet', 'pods')), [], "the dead run's record is removed");
  });
});
