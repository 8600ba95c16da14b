import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { hostExecutor } from './index.ts';
import { emptyDirs, logText, podOf, recordingOptions, settlesDead, shContainer, stateOf } from './test-support.ts';
import { withTektonController } from '../pod/controller-test-support.ts';

const executor = hostExecutor();

/** freePort returns a TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const downward = { name: 'downward', downwardAPI: { items: [{ path: 'ready', fieldRef: { fieldPath: "metadata.annotations['tekton.dev/ready']" } }] } };
const waitReady = 'while [ ! -s /tekton/downward/ready ]; do sleep 0.01; done; ';

describe('the host executor pod lifecycle', () => {
  it('stops the pod at a failing init container: later containers never start', async () => {
    const { options, recorded } = recordingOptions();
    const pod = podOf({
      initContainers: [shContainer('prepare', 'echo preparing; exit 3'), shContainer('place-scripts', 'touch /w/init2', [{ name: 'w', mountPath: '/w' }])],
      containers: [shContainer('step-a', 'touch /w/step', [{ name: 'w', mountPath: '/w' }])],
      volumes: emptyDirs('w'),
    });
    const status = await executor.runPod(pod, withTektonController(pod, options));
    assert.equal(status.phase, 'Failed');
    assert.deepEqual(stateOf(status, 'prepare'), { terminated: { exitCode: 3, reason: 'Error' } });
    assert.deepEqual(stateOf(status, 'place-scripts'), { waiting: { reason: 'PodInitializing' } });
    assert.deepEqual(stateOf(status, 'step-a'), { waiting: { reason: 'PodInitializing' } });
    assert.equal(logText(recorded, 'prepare'), 'preparing\n');
    assert.equal(existsSync(path.join(recorded.workDir, 'volumes/w/init2')), false);
    assert.equal(existsSync(path.join(recorded.workDir, 'volumes/w/step')), false);
    assert.deepEqual(
      recorded.statuses.map((s) => s.phase).filter((p, i, a) => p !== a[i - 1]),
      ['Pending', 'Failed'],
    );
  });

  it('writes the downward ready file once a sidecar passes its exec readiness probe, then stops the sidecar after the steps', async () => {
    const port = await freePort();
    const { options, recorded } = recordingOptions();
    const www = [{ name: 'www', mountPath: '/www' }];
    const pod = podOf({
      containers: [
        shContainer('step-client', `${waitReady}busybox wget -qO- http://127.0.0.1:${port}/index.html`, [{ name: 'downward', mountPath: '/tekton/downward', readOnly: true }]),
        shContainer('sidecar-server', `echo pong > /www/index.html; exec busybox httpd -f -p 127.0.0.1:${port} -h /www`, www, {
          readinessProbe: { exec: { command: ['busybox', 'wget', '-qO-', `http://127.0.0.1:${port}/index.html`] }, periodSeconds: 1 },
        }),
      ],
      volumes: [...emptyDirs('www'), downward],
    });
    const status = await executor.runPod(pod, withTektonController(pod, options));
    assert.equal(logText(recorded, 'step-client'), 'pong\n');
    assert.equal(readFileSync(path.join(recorded.workDir, 'volumes/downward/ready'), 'utf8'), 'READY');
    assert.deepEqual(stateOf(status, 'step-client'), { terminated: { exitCode: 0, reason: 'Completed' } });
    assert.deepEqual(stateOf(status, 'sidecar-server'), { terminated: { exitCode: 0, reason: 'Completed' } });
    assert.equal(status.phase, 'Succeeded');
    assert.ok(recorded.statuses.some((s) => s.containerStatuses?.find((c) => c.name === 'sidecar-server')?.ready));
  });

  it('writes the downward ready file only once a sidecar without a readinessProbe has started its command', async () => {
    const { options, recorded } = recordingOptions();
    const shared = [{ name: 'shared', mountPath: '/shared' }];
    const pod = podOf({
      containers: [
        shContainer('step-read', `${waitReady}cat /shared/first`, [...shared, { name: 'downward', mountPath: '/tekton/downward', readOnly: true }]),
        shContainer('sidecar-writer', 'echo up > /shared/first; sleep 100', shared),
      ],
      volumes: [...emptyDirs('shared'), downward],
    });
    const status = await executor.runPod(pod, withTektonController(pod, options));
    assert.equal(logText(recorded, 'step-read'), 'up\n');
    assert.equal(status.phase, 'Succeeded');
  });

  it('writes the downward ready file at once when there is no sidecar', async () => {
    const { options, recorded } = recordingOptions();
    const pod = podOf({
      containers: [shContainer('step-only', `${waitReady}cat /tekton/downward/ready`, [{ name: 'downward', mountPath: '/tekton/downward', readOnly: true }])],
      volumes: [downward],
    });
    await executor.runPod(pod, withTektonController(pod, options));
    assert.equal(logText(recorded, 'step-only'), 'READY');
  });

  it('kills every process group of the pod on cancel, grandchildren included, and reports exit 137', async () => {
    const controller = new AbortController();
    const { options, recorded } = recordingOptions({}, controller.signal);
    const pod = podOf({
      containers: [shContainer('step-sleep', 'sleep 100 & echo $! > /w/pid; wait', [{ name: 'w', mountPath: '/w' }])],
      volumes: emptyDirs('w'),
    });
    const running = executor.runPod(pod, withTektonController(pod, options));
    const pidFile = path.join(recorded.workDir, 'volumes/w/pid');
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8').trim() === '') await sleep(10);
    controller.abort();
    const status = await running;
    assert.deepEqual(stateOf(status, 'step-sleep'), { terminated: { exitCode: 137, reason: 'Error' } });
    assert.equal(status.phase, 'Failed');
    // The pid is in bwrap's view, which shares the host pid namespace.
    assert.equal(await settlesDead(Number(readFileSync(pidFile, 'utf8'))), true);
  });

  it('reports a missing command as a StartError with the exec message', async () => {
    const { options } = recordingOptions();
    const pod = podOf({
      containers: [
        { name: 'step-missing', image: 'x', command: ['no-such-command-tektite', 'arg'] },
        { name: 'step-abs', command: ['/no/such/bin'] },
      ],
    });
    const status = await executor.runPod(pod, withTektonController(pod, options));
    assert.deepEqual(stateOf(status, 'step-missing'), {
      terminated: { exitCode: 128, reason: 'StartError', message: 'exec: "no-such-command-tektite": executable file not found in $PATH' },
    });
    assert.deepEqual(stateOf(status, 'step-abs'), { terminated: { exitCode: 128, reason: 'StartError', message: 'fork/exec /no/such/bin: no such file or directory' } });
    assert.equal(status.phase, 'Failed');
  });

  it('builds env like a kubelet: valueFrom, $(VAR) expansion in env and args, HOME only with /tekton/home', async () => {
    const { options, recorded } = recordingOptions({ configMaps: { cfg: { color: 'blue' } }, secrets: { s: { pw: 'hunter2' } } });
    const pod = podOf({
      containers: [
        {
          name: 'step-env',
          command: ['sh', '-c', 'echo "$1|$COLOR|$PW|$POD|$GREETING|$HOME"', 'sh', '$(COLOR)-$$(COLOR)-$(UNKNOWN)'],
          env: [
            { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
            { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'pw' } } },
            { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
            { name: 'GREETING', value: 'hi $(COLOR)' },
          ],
          volumeMounts: [{ name: 'home', mountPath: '/tekton/home' }],
        },
      ],
      volumes: emptyDirs('home'),
    });
    await executor.runPod(pod, withTektonController(pod, options));
    assert.equal(logText(recorded, 'step-env'), 'blue-$(COLOR)-$(UNKNOWN)|blue|hunter2|demo-pod|hi blue|/tekton/home\n');
  });

  it('reports a missing ConfigMap key in env as CreateContainerConfigError and starts nothing', async () => {
    const { options } = recordingOptions({ configMaps: { cfg: {} } });
    const pod = podOf({
      containers: [shContainer('step-a', 'true'), shContainer('step-b', 'true', [], { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nope' } } }] })],
    });
    const status = await executor.runPod(pod, withTektonController(pod, options));
    assert.deepEqual(stateOf(status, 'step-a'), { waiting: { reason: 'ContainerCreating' } });
    assert.deepEqual(stateOf(status, 'step-b'), { waiting: { reason: 'CreateContainerConfigError', message: "couldn't find key nope in ConfigMap default/cfg" } });
  });

  it('fails the pod with FailedMount when a configMap volume does not exist', async () => {
    const { options } = recordingOptions();
    const pod = podOf({ containers: [shContainer('step-a', 'true')], volumes: [{ name: 'cfg', configMap: { name: 'absent' } }] });
    const status = await executor.runPod(pod, withTektonController(pod, options));
    assert.equal(status.phase, 'Failed');
    assert.equal(status.reason, 'FailedMount');
    assert.equal(status.message, 'MountVolume.SetUp failed for volume "cfg" : configmap "absent" not found');
  });
});
