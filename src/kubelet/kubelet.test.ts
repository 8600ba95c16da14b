import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LogChunk } from '../executors/index.ts';
import { hostExecutor } from '../executors/host/index.ts';
import { LogStore, openMemoryStore, type ObjectStore } from '../store/index.ts';
import { startKubelet, type Kubelet } from './index.ts';
import { Records } from './records.ts';
import { createPod, getPod, podEnded, processRunning, taskRunPod, tempStateDir, waitFor } from './test-support.ts';

const backend = hostExecutor();

async function logText(logs: LogStore, namespace: string, pod: string, container: string): Promise<string> {
  let text = '';
  for await (const chunk of logs.read({ namespace, pod, container })) text += chunk.toString();
  return text;
}

/** setUp starts a kubelet on a fresh memory store and state dir; stopped after the suite. */
function setUp(nodeName?: string, store: ObjectStore = openMemoryStore(), stateDir = tempStateDir()) {
  const logs = new LogStore(stateDir);
  const heard: LogChunk[] = [];
  const warnings: string[] = [];
  const kubelet = startKubelet({ store, logs, backend, stateDir, nodeName, onLog: (_p, c) => heard.push(c), onWarning: (_p, m) => warnings.push(m) });
  kubelets.push(kubelet);
  return { store, logs, stateDir, kubelet, heard, warnings };
}
const kubelets: Kubelet[] = [];
after(() => Promise.all(kubelets.map((k) => k.stop())));

describe('the kubelet', () => {
  it('binds a Pod, runs it on the host, and writes Succeeded with exit codes, termination messages and logs', async () => {
    const { store, logs, stateDir, kubelet, heard } = setUp();
    await kubelet.synced;
    const pod = taskRunPod('hello', [{ name: 'say', image: 'busybox', script: 'echo hello; printf 42 > $(results.answer.path)' }], 'default', { results: [{ name: 'answer' }] });
    await createPod(store, pod);
    const done = await podEnded(store, 'default', 'hello-pod');
    assert.equal(done.spec?.nodeName, kubelet.nodeName);
    assert.equal(done.status?.phase, 'Succeeded');
    const step = done.status?.containerStatuses?.find((s) => s.name === 'step-say');
    assert.equal(step?.state?.terminated?.exitCode, 0);
    assert.equal(step?.state?.terminated?.reason, 'Completed');
    const results = JSON.parse(step?.state?.terminated?.message ?? '[]') as { key: string; value: string }[];
    assert.equal(results.find((r) => r.key === 'answer')?.value, '42');
    assert.ok(done.status?.initContainerStatuses?.every((s) => s.state?.terminated?.exitCode === 0));
    assert.equal(await logText(logs, 'default', 'hello-pod', 'step-say'), 'hello\n');
    assert.ok(logs.ended({ namespace: 'default', pod: 'hello-pod', container: 'step-say' }), 'the log is complete when the final status is written');
    assert.ok(heard.some((c) => c.container === 'step-say' && c.data.toString().includes('hello')));
    await kubelet.idle();
    assert.deepEqual(readdirSync(path.join(stateDir, 'pods')), [], 'the work dir is removed');
    assert.deepEqual(readdirSync(path.join(stateDir, 'kubelet', 'pods')), [], 'the record of the run is removed');
  });

  it('fails a Pod whose step exits non-zero, with the exit code', async () => {
    const { store, kubelet } = setUp();
    await createPod(store, taskRunPod('fails', [{ name: 'bad', image: 'busybox', script: 'echo oops >&2; exit 3' }]));
    const done = await podEnded(store, 'default', 'fails-pod');
    assert.equal(done.status?.phase, 'Failed');
    assert.equal(done.status?.containerStatuses?.find((s) => s.name === 'step-bad')?.state?.terminated?.exitCode, 3);
    await kubelet.idle();
  });

  it('kills a running Pod when it is deleted, writes its final status and removes the finalizer', async () => {
    const { store, logs, stateDir, kubelet } = setUp();
    const statuses: string[] = [];
    const watch = store.watch({ kind: 'Pod' }, (e) => {
      if (e.type !== 'ERROR') statuses.push(`${e.type}:${(e.object.status as { phase?: string } | undefined)?.phase ?? '-'}`);
    });
    await createPod(store, taskRunPod('sleepy', [{ name: 'sleep', image: 'busybox', script: 'echo started; sleep 30' }]));
    await waitFor('the step to start', async () => (await logText(logs, 'default', 'sleepy-pod', 'step-sleep')).includes('started'));
    const pod = await getPod(store, 'default', 'sleepy-pod');
    assert.equal(pod?.status?.phase, 'Running');
    const record = new Records(stateDir).pods().find((r) => r.header.name === 'sleepy-pod');
    const groups = record?.started.flatMap((s) => ('pgid' in s ? [s.pgid] : [])) ?? [];
    assert.ok(groups.length > 0, 'the run recorded its process groups');
    const t0 = Date.now();
    assert.ok((await store.delete({ kind: 'Pod', namespace: 'default', name: 'sleepy-pod' })).ok);
    await waitFor('the Pod to be gone', async () => (await getPod(store, 'default', 'sleepy-pod')) === undefined, 10_000);
    assert.ok(Date.now() - t0 < 5000, `deletion took ${Date.now() - t0} ms`);
    await waitFor('the watch to deliver the deletion', () => statuses.some((x) => x.startsWith('DELETED')));
    watch.stop();
    // The final status (Failed, the step killed) was written before the finalizer went.
    assert.ok(statuses.includes('MODIFIED:Failed'), statuses.join(' '));
    assert.equal(statuses.at(-1), 'DELETED:Failed');
    await kubelet.idle();
    for (const pgid of groups) assert.equal(processRunning(pgid), false, `process group ${pgid} is gone`);
  });

  it('removes the finalizer of a deleted Pod that no kubelet had bound', async () => {
    const { store, kubelet } = setUp();
    await kubelet.drain(); // takes no new Pods
    await createPod(store, taskRunPod('unbound', [{ name: 'x', image: 'busybox', script: 'true' }]));
    assert.ok((await store.delete({ kind: 'Pod', namespace: 'default', name: 'unbound' + '-pod' })).ok);
    await waitFor('the Pod to be gone', async () => (await getPod(store, 'default', 'unbound-pod')) === undefined);
  });

  it('binds only the Pods accept lets it take', async () => {
    const store = openMemoryStore();
    const stateDir = tempStateDir();
    const picky = startKubelet({ store, logs: new LogStore(stateDir), backend, stateDir, nodeName: 'picky', accept: (pod) => pod.metadata.labels?.mine === 'yes' });
    kubelets.push(picky);
    const mine = taskRunPod('mine', [{ name: 'x', image: 'busybox', script: 'true' }]);
    mine.metadata.labels = { ...mine.metadata.labels, mine: 'yes' };
    await createPod(store, mine);
    await createPod(store, taskRunPod('theirs', [{ name: 'x', image: 'busybox', script: 'true' }]));
    assert.equal((await podEnded(store, 'default', 'mine-pod')).spec?.nodeName, 'picky');
    await picky.idle();
    assert.equal((await getPod(store, 'default', 'theirs-pod'))?.spec?.nodeName, undefined);
  });

  it('runs each Pod exactly once with two kubelets on one store', async () => {
    const store = openMemoryStore();
    const stateDir = tempStateDir();
    const a = setUp('node-a', store, stateDir);
    const b = setUp('node-b', store, stateDir);
    await Promise.all([a.kubelet.synced, b.kubelet.synced]);
    const names = ['p1', 'p2', 'p3', 'p4'];
    await Promise.all(names.map((n) => createPod(store, taskRunPod(n, [{ name: 'once', image: 'busybox', script: 'echo ran' }]))));
    for (const n of names) {
      const done = await podEnded(store, 'default', `${n}-pod`);
      assert.equal(done.status?.phase, 'Succeeded');
      assert.ok(['node-a', 'node-b'].includes(done.spec?.nodeName ?? ''));
      assert.equal(await logText(a.logs, 'default', `${n}-pod`, 'step-once'), 'ran\n', 'one run wrote the log once');
    }
    const ran = [...a.heard, ...b.heard].filter((c) => c.container === 'step-once').map((c) => c.data.toString());
    assert.equal(ran.join(''), 'ran\n'.repeat(names.length));
    await Promise.all([a.kubelet.idle(), b.kubelet.idle()]);
  });

  it('serves ConfigMap and Secret volumes from the store', async () => {
    const { store, logs } = setUp();
    await store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, data: { greeting: 'hi there' } });
    await store.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'creds', namespace: 'default' }, data: { token: Buffer.from('s3cr3t').toString('base64') } });
    const pod = taskRunPod(
      'volumes',
      [
        {
          name: 'read',
          image: 'busybox',
          script: 'cat /etc/cfg/greeting; echo; cat /etc/creds/token',
          volumeMounts: [
            { name: 'cfg', mountPath: '/etc/cfg' },
            { name: 'creds', mountPath: '/etc/creds' },
          ],
        },
      ],
      'default',
      {
        volumes: [
          { name: 'cfg', configMap: { name: 'cfg' } },
          { name: 'creds', secret: { secretName: 'creds' } },
        ],
      },
    );
    await createPod(store, pod);
    const done = await podEnded(store, 'default', 'volumes-pod');
    assert.equal(done.status?.phase, 'Succeeded');
    assert.equal(await logText(logs, 'default', 'volumes-pod', 'step-read'), 'hi there\ns3cr3t');
  });

  it('fails a Pod with a message when the machine cannot give it a work dir', async () => {
    const stateDir = tempStateDir();
    writeFileSync(path.join(stateDir, 'pods'), 'not a directory');
    const { store, kubelet } = setUp(undefined, openMemoryStore(), stateDir);
    await createPod(store, taskRunPod('nodir', [{ name: 'x', image: 'busybox', script: 'true' }]));
    const done = await podEnded(store, 'default', 'nodir-pod');
    assert.equal(done.status?.phase, 'Failed');
    assert.equal(done.status?.reason, 'KubeletError');
    assert.match(done.status?.message ?? '', /^the kubelet could not run the Pod: .*(EEXIST|ENOTDIR)/);
    await kubelet.idle();
    assert.deepEqual(readdirSync(path.join(stateDir, 'kubelet', 'pods')), [], 'the record of the failed run is removed');
  });

  it('stop kills the Pods it runs and waits for their final status; drain lets them finish and takes no new ones', async () => {
    const { store, logs, kubelet } = setUp();
    await createPod(store, taskRunPod('stopped', [{ name: 'sleep', image: 'busybox', script: 'echo started; sleep 30' }]));
    await waitFor('the step to start', async () => (await logText(logs, 'default', 'stopped-pod', 'step-sleep')).includes('started'));
    const t0 = Date.now();
    await kubelet.stop();
    assert.ok(Date.now() - t0 < 5000, `stop took ${Date.now() - t0} ms`);
    const stopped = await getPod(store, 'default', 'stopped-pod');
    assert.equal(stopped?.status?.phase, 'Failed');
    assert.equal(stopped?.status?.containerStatuses?.find((c) => c.name === 'step-sleep')?.state?.terminated?.exitCode, 137);

    const other = setUp(undefined, store);
    await createPod(store, taskRunPod('drained', [{ name: 'short', image: 'busybox', script: 'sleep 0.3; echo done' }]));
    await waitFor('the Pod to be bound', async () => (await getPod(store, 'default', 'drained-pod'))?.spec?.nodeName);
    await other.kubelet.drain();
    assert.equal((await getPod(store, 'default', 'drained-pod'))?.status?.phase, 'Succeeded', 'drain waits for the running Pod');
    await createPod(store, taskRunPod('late', [{ name: 'x', image: 'busybox', script: 'true' }]));
    await new Promise((r) => setTimeout(r, 200));
    assert.equal((await getPod(store, 'default', 'late-pod'))?.spec?.nodeName, undefined, 'a drained kubelet binds nothing');
  });

  it('fails a Pod that outlives spec.activeDeadlineSeconds (DeadlineExceeded)', async () => {
    const { store, kubelet } = setUp();
    const pod = taskRunPod('deadline', [{ name: 'sleep', image: 'busybox', script: 'sleep 30' }]);
    pod.spec!.activeDeadlineSeconds = 1;
    await createPod(store, pod);
    const done = await podEnded(store, 'default', 'deadline-pod', 10_000);
    assert.equal(done.status?.phase, 'Failed');
    assert.equal(done.status?.reason, 'DeadlineExceeded');
    assert.equal(done.status?.containerStatuses?.find((c) => c.name === 'step-sleep')?.state?.terminated?.exitCode, 137);
    await kubelet.idle();
  });
});
