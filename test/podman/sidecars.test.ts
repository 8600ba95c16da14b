// sidecars.test.ts: sidecars share the pod's network namespace, gate step 0 through the downward
// `ready` file (readinessProbe exec / tcpSocket / httpGet) and are killed after the last step.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Probe } from '@kubernetes/client-node';
import { images, leftovers, runPod, skipReason, tektonPod, terminatedOf, uniqueName } from './helpers.ts';

describe('podman executor: sidecars', { skip: skipReason }, () => {
  let img: { busybox: string; shellOnly: string };
  before(async () => {
    img = await images();
  });

  const probes: Array<[string, V1Probe]> = [
    ['tcpSocket', { tcpSocket: { port: 8080 } }],
    ['httpGet', { httpGet: { path: '/', port: 'web' } }],
    ['exec', { exec: { command: ['sh', '-c', 'wget -q -O /dev/null http://127.0.0.1:8080/'] } }],
  ];
  for (const [kind, readinessProbe] of probes) {
    it(`reaches a sidecar's server on 127.0.0.1 once its ${kind} readiness probe passes`, async () => {
      const name = uniqueName(`sidecar-${kind.toLowerCase()}`);
      // The server starts late: without readiness gating the step's request would fail.
      const sidecar = {
        name: 'sidecar-web',
        image: img.busybox,
        ports: [{ name: 'web', containerPort: 8080 }],
        readinessProbe,
        command: ['sh', '-c', 'sleep 1; mkdir -p /www && echo hello-from-sidecar > /www/index.html && exec httpd -f -p 127.0.0.1:8080 -h /www'],
      };
      const pod = tektonPod(name, [{ name: 'client', image: img.busybox, command: ['wget', '-q', '-O', '-', 'http://127.0.0.1:8080/'] }], [sidecar]);
      const r = await runPod(pod);
      assert.equal(r.status.phase, 'Succeeded', JSON.stringify(r.status.containerStatuses));
      assert.equal(r.text('step-client', 'stdout'), 'hello-from-sidecar\n');
      // Stopped like Tekton's nop image: the sidecar reads as Completed, exit 0.
      assert.deepEqual(terminatedOf(r.status, 'sidecar-web'), { exitCode: 0, reason: 'Completed' });
      assert.deepEqual(leftovers(name), []);
    });
  }

  it('reports a sidecar that fails on its own with its real exit code', async () => {
    const name = uniqueName('sidecar-fails');
    const pod = tektonPod(name, [{ name: 'wait', image: img.busybox, command: ['sleep', '2'] }], [{ name: 'sidecar-broken', image: img.busybox, command: ['sh', '-c', 'exit 4'] }]);
    const r = await runPod(pod);
    assert.deepEqual(terminatedOf(r.status, 'sidecar-broken'), { exitCode: 4, reason: 'Error' });
    assert.equal(terminatedOf(r.status, 'step-wait')?.exitCode, 0);
    assert.deepEqual(leftovers(name), []);
  });
});
