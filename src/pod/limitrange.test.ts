import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import type { LimitRange } from '../api/index.ts';
import { applyLimitRanges, virtualLimit } from './limitrange.ts';

// The LimitRange of Tekton's examples/v1/taskruns/no-ci/limitrange.yaml.
const EXAMPLE: LimitRange = {
  apiVersion: 'v1',
  kind: 'LimitRange',
  metadata: { name: 'limit-mem-cpu-per-container' },
  spec: {
    limits: [
      {
        type: 'Container',
        max: { cpu: '800m', memory: '1Gi' },
        min: { cpu: '100m', memory: '99Mi' },
        default: { cpu: '700m', memory: '900Mi' },
        defaultRequest: { cpu: '110m', memory: '111Mi' },
      },
    ],
  },
};

function pod(steps: number, extra: Partial<V1Pod['spec']> = {}): V1Pod {
  const containers = Array.from({ length: steps }, (_, i) => ({ name: `step-s${i}`, image: 'x' }));
  return { metadata: { name: 'tr-pod' }, spec: { initContainers: [{ name: 'prepare', image: 'e' }], containers: [...containers, { name: 'sidecar-db', image: 'd' }], ...extra } };
}

describe('applyLimitRanges', () => {
  it('gives every container the defaults, as a cluster admits the example TaskRun', () => {
    const out = applyLimitRanges(pod(1), [EXAMPLE]);
    assert.ok('pod' in out);
    for (const c of [...out.pod.spec!.initContainers!, ...out.pod.spec!.containers]) {
      assert.deepEqual(c.resources, { requests: { cpu: '110m', memory: '111Mi' }, limits: { cpu: '700m', memory: '900Mi' } }, c.name);
    }
  });
  it('splits the default request among the steps (Tekton transformer.go), but not below min', () => {
    const out = applyLimitRanges(pod(2), [EXAMPLE]);
    assert.ok('pod' in out);
    const [a, b, sidecar] = out.pod.spec!.containers;
    // 110m/2 = 55m < min 100m; 111Mi/2 = 55.5Mi < min 99Mi.
    assert.deepEqual(
      [a.resources!.requests, b.resources!.requests],
      [
        { cpu: '100m', memory: '99Mi' },
        { cpu: '100m', memory: '99Mi' },
      ],
    );
    assert.deepEqual(sidecar.resources!.requests, { cpu: '110m', memory: '111Mi' });
    const big: LimitRange = { ...EXAMPLE, spec: { limits: [{ type: 'Container', defaultRequest: { cpu: '1', memory: '1Gi' } }] } };
    const split = applyLimitRanges(pod(4), [big]);
    assert.ok('pod' in split);
    assert.deepEqual(split.pod.spec!.containers[0].resources!.requests, { cpu: '250m', memory: '256Mi' });
  });
  it('keeps what a step sets and refuses a Pod over max or under min, in LimitRanger words', () => {
    const p = pod(1);
    p.spec!.containers[0].resources = { limits: { cpu: '1' }, requests: { memory: '10Mi' } };
    const out = applyLimitRanges(p, [EXAMPLE]);
    assert.deepEqual(out, { forbidden: ['minimum memory usage per Container is 99Mi, but request is 10Mi', 'maximum cpu usage per Container is 800m, but limit is 1'] });
    assert.equal(p.spec!.containers[0].resources.limits!.memory, undefined, 'the input Pod is not changed');
  });
  it('merges several LimitRanges: largest min, smallest max and defaults; ignores other types', () => {
    const a: LimitRange = {
      ...EXAMPLE,
      spec: {
        limits: [
          { type: 'Container', min: { cpu: '50m' }, max: { cpu: '2' }, default: { cpu: '1' } },
          { type: 'Pod', max: { cpu: '10m' } },
        ],
      },
    };
    const b: LimitRange = { ...EXAMPLE, spec: { limits: [{ type: 'Container', min: { cpu: '100m' }, max: { cpu: '1500m' }, default: { cpu: '500m' } }] } };
    assert.deepEqual(virtualLimit([a, b]), {
      min: { cpu: '100m' },
      max: { cpu: '1500m' },
      default: { cpu: '500m' },
      defaultRequest: { cpu: '500m' },
    });
    assert.equal(virtualLimit([]), undefined);
  });
  it('leaves the Pod alone without LimitRanges', () => {
    const p = pod(1);
    assert.deepEqual(applyLimitRanges(p, []), { pod: p });
  });
});
