// A real crash: a tektite process running a Pod on a SQLite state dir is killed with SIGKILL; the
// next kubelet on that state dir kills what the run left behind and fails the Pod.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hostExecutor } from '../executors/host/index.ts';
import { LogStore, openStateStore, type ObjectStore } from '../store/index.ts';
import { startKubelet, type Kubelet } from './index.ts';
import { createPod, getPod, podEnded, processRunning, taskRunPod, tempStateDir, waitFor } from './test-support.ts';

const kubeletModule = fileURLToPath(new URL('./index.ts', import.meta.url));
const storeModule = fileURLToPath(new URL('../store/index.ts', import.meta.url));
const hostModule = fileURLToPath(new URL('../executors/host/index.ts', import.meta.url));

// The child: a kubelet on the state dir, running until it is killed.
const child = (stateDir: string) => `
import { startKubelet } from ${JSON.stringify(kubeletModule)};
import { LogStore, openStateStore } from ${JSON.stringify(storeModule)};
import { hostExecutor } from ${JSON.stringify(hostModule)};
const opened = await openStateStore(${JSON.stringify(stateDir)});
if (!opened.ok) throw new Error(opened.message);
const k = startKubelet({ store: opened.store, logs: new LogStore(${JSON.stringify(stateDir)}), backend: hostExecutor(), stateDir: ${JSON.stringify(stateDir)}, nodeName: 'doomed' });
await k.synced;
console.log('synced');
setInterval(() => {}, 1000);
`;

let store: ObjectStore | undefined;
let kubelet: Kubelet | undefined;
after(async () => {
  await kubelet?.stop();
  await store?.close();
});

describe('after a kill -9 of the tektite process running a Pod', () => {
  it('the next kubelet kills the leftover processes and fails the Pod', async () => {
    const stateDir = tempStateDir();
    const opened = await openStateStore(stateDir);
    assert.ok(opened.ok);
    store = opened.store;
    const proc = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', child(stateDir)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await waitFor('the child kubelet', () => out.includes('synced'), 30_000);
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
    kubelet = startKubelet({ store, logs, backend: hostExecutor(), stateDir, nodeName: 'survivor' });
    await kubelet.synced;
    const pod = await podEnded(store, 'default', 'crash-pod', 5000);
    assert.equal(pod.status?.phase, 'Failed');
    assert.equal(pod.status?.reason, 'NodeLost');
    assert.equal(pod.status?.containerStatuses?.find((s) => s.name === 'step-bg')?.state?.terminated?.exitCode, 137);
    await waitFor('the leftover process to die', () => !processRunning(pid), 5000);
    assert.deepEqual(readdirSync(path.join(stateDir, 'pods')), [], "the dead run's work dir is removed");
    assert.deepEqual(readdirSync(path.join(stateDir, 'kubelet', 'pods')), [], "the dead run's record is removed");
  });
});
