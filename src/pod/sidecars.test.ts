import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { V1ContainerStatus, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { markedReady, NOP_IMAGE, sidecarsReady, sidecarsStopped } from './sidecars.ts';

const running = (name: string, ready = true): V1ContainerStatus => ({ name, image: 'img', imageID: '', ready, restartCount: 0, state: { running: {} } });
const ended = (name: string): V1ContainerStatus => ({ name, image: 'img', imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0 } } });
const status = (phase: string, ...containerStatuses: V1ContainerStatus[]): V1PodStatus => ({ phase, containerStatuses });

function pod(s: V1PodStatus): V1Pod {
  const names = (s.containerStatuses ?? []).map((c) => c.name);
  return { metadata: { name: 'p', annotations: { keep: 'me' } }, spec: { containers: names.map((name) => ({ name, image: 'img' })) }, status: s };
}

describe('Tekton’s controller duties to a running Pod (pkg/pod/entrypoint.go, status.go)', () => {
  it('sidecarsReady: Running, and every non-step container running and Ready or terminated', () => {
    assert.equal(sidecarsReady(status('Pending', running('step-a'))), false, 'not before the Pod runs');
    assert.equal(sidecarsReady(status('Running', running('step-a', false))), true, 'steps do not count');
    assert.equal(sidecarsReady(status('Running', running('step-a'), running('sidecar-db', false))), false, 'a sidecar not yet Ready');
    assert.equal(sidecarsReady(status('Running', running('step-a'), running('sidecar-db'), ended('sidecar-once'))), true);
    assert.equal(sidecarsReady(status('Running', running('step-a'), running('istio-proxy', false))), false, 'an injected sidecar counts whatever its name');
  });

  it('markedReady adds tekton.dev/ready=READY and keeps the other annotations; nothing when already set', () => {
    const marked = markedReady(pod(status('Running')));
    assert.deepEqual(marked?.metadata?.annotations, { keep: 'me', 'tekton.dev/ready': 'READY' });
    assert.equal(markedReady(marked!), undefined);
  });

  it('sidecarsStopped gives running sidecars the nop image, not steps, ended sidecars or the results sidecar', () => {
    const p = pod(status('Running', ended('step-a'), running('sidecar-db'), ended('sidecar-once'), running('sidecar-tekton-log-results')));
    const stopped = sidecarsStopped(p, NOP_IMAGE);
    assert.deepEqual(
      stopped?.spec?.containers.map((c) => [c.name, c.image]),
      [
        ['step-a', 'img'],
        ['sidecar-db', NOP_IMAGE],
        ['sidecar-once', 'img'],
        ['sidecar-tekton-log-results', 'img'],
      ],
    );
    assert.equal(sidecarsStopped({ ...stopped!, status: p.status }, NOP_IMAGE), undefined, 'already the nop image');
    assert.equal(sidecarsStopped(pod(status('Succeeded', ended('step-a'), running('sidecar-db'))), NOP_IMAGE), undefined, 'only a Running Pod');
  });
});
