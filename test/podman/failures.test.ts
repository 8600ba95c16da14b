// failures.test.ts: what goes wrong is a container state, fast, and never leaves podman objects behind:
// missing images, a failing init container, a command that cannot start, config errors, cancel.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { images, leftovers, runPod, skipReason, tektonPod, terminatedOf, uniqueName } from './helpers.ts';

function plainPod(name: string, image: string, command: string[], extra: Partial<V1Pod['spec']> = {}): V1Pod {
  return { metadata: { name, namespace: 'default' }, spec: { containers: [{ name: 'step-main', image, command }], ...extra } };
}

describe('podman executor: failures', { skip: skipReason }, () => {
  let img: { busybox: string; shellOnly: string };
  before(async () => {
    img = await images();
  });

  it('fails a missing image within seconds with ErrImagePull and a message naming the image', async () => {
    const name = uniqueName('missing-image');
    const t0 = Date.now();
    const r = await runPod(tektonPod(name, [{ name: 'x', image: 'localhost/tektite-test/does-not-exist:1', command: ['true'] }]));
    assert.ok(Date.now() - t0 < 20_000);
    const step = r.status.containerStatuses!.find((c) => c.name === 'step-x')!;
    assert.equal(step.image, 'localhost/tektite-test/does-not-exist:1');
    assert.equal(step.state?.waiting?.reason, 'ErrImagePull');
    assert.match(step.state!.waiting!.message!, /^failed to pull image "localhost\/tektite-test\/does-not-exist:1": /);
    assert.equal(terminatedOf(r.status, 'prepare'), undefined); // nothing started
    assert.deepEqual(leftovers(name), []);
  });

  it('honours imagePullPolicy Never with the kubelet message', async () => {
    const name = uniqueName('never-pull');
    const pod = plainPod(name, 'localhost/tektite-test/absent:1', ['true']);
    pod.spec!.containers[0].imagePullPolicy = 'Never';
    const r = await runPod(pod);
    assert.deepEqual(r.status.containerStatuses![0].state, {
      waiting: { reason: 'ErrImageNeverPull', message: 'Container image "localhost/tektite-test/absent:1" is not present with pull policy of Never' },
    });
    assert.deepEqual(leftovers(name), []);
  });

  it('rewrites image names through imageMap', async () => {
    const name = uniqueName('image-map');
    const r = await runPod(plainPod(name, 'mirror.gcr.io/bash', ['sh', '-c', 'echo mapped']), { executor: { imageMap: { 'mirror.gcr.io/bash': img.busybox } } });
    assert.equal(r.status.phase, 'Succeeded');
    assert.equal(r.text('step-main'), 'mapped\n');
    assert.equal(r.status.containerStatuses![0].image, 'mirror.gcr.io/bash');
  });

  it('stops the pod at a failing init container', async () => {
    const name = uniqueName('init-fail');
    const pod = plainPod(name, img.busybox, ['sh', '-c', 'echo never']);
    pod.spec!.initContainers = [{ name: 'init', image: img.busybox, command: ['sh', '-c', 'exit 7'] }];
    const r = await runPod(pod);
    assert.equal(r.status.phase, 'Failed');
    assert.deepEqual(terminatedOf(r.status, 'init'), { exitCode: 7, reason: 'Error' });
    assert.deepEqual(r.status.containerStatuses![0].state, { waiting: { reason: 'PodInitializing' } });
    assert.deepEqual(leftovers(name), []);
  });

  it('reports a command missing from the image as StartError with exit code 128', async () => {
    const name = uniqueName('start-error');
    const r = await runPod(plainPod(name, img.shellOnly, ['/no/such/binary']));
    const t = terminatedOf(r.status, 'step-main')!;
    assert.equal(t.exitCode, 128);
    assert.equal(t.reason, 'StartError');
    assert.match(t.message!, /no such file or directory/);
    assert.deepEqual(leftovers(name), []);
  });

  it('fails with FailedMount when a ConfigMap volume does not exist (as the host does: one kubelet)', async () => {
    const name = uniqueName('config-error');
    const pod = plainPod(name, img.busybox, ['true'], { volumes: [{ name: 'cm', configMap: { name: 'nope' } }] });
    const r = await runPod(pod);
    assert.equal(r.status.phase, 'Failed');
    assert.deepEqual([r.status.reason, r.status.message], ['FailedMount', 'MountVolume.SetUp failed for volume "cm" : configmap "nope" not found']);
    assert.deepEqual(r.status.containerStatuses![0].state, { waiting: { reason: 'ContainerCreating' } }, 'never created');
    assert.deepEqual(leftovers(name), []);
  });

  it('kills every container promptly on cancel and leaves nothing behind', async () => {
    const name = uniqueName('cancel');
    const pod = tektonPod(name, [{ name: 'sleepy', image: img.busybox, command: ['sleep', '100'] }], [{ name: 'sidecar-idle', image: img.busybox, command: ['sleep', '100'] }]);
    const abort = new AbortController();
    const running = runPod(pod, { signal: abort.signal });
    // Cancel once the step is running (it reports running before its sleep starts).
    const t0 = Date.now();
    while (Date.now() - t0 < 20_000) {
      await new Promise((r) => setTimeout(r, 100));
      if (leftovers(name).some((n) => n.endsWith('step-sleepy'))) break;
    }
    await new Promise((r) => setTimeout(r, 500));
    const cancelledAt = Date.now();
    abort.abort();
    const r = await running;
    assert.ok(Date.now() - cancelledAt < 10_000, 'cancel took too long');
    assert.notEqual(terminatedOf(r.status, 'step-sleepy')?.exitCode, 0);
    assert.deepEqual(leftovers(name), []);
  });
});
