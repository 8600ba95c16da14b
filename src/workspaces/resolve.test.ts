import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskSpec } from '../api/index.ts';
import { applyWorkspaceMounts, generateHashedName, resolveWorkspaces } from './index.ts';

const owner = { metadata: { name: 'tr', uid: 'uid-1' }, spec: { params: [{ name: 'claim', value: 'my-pvc' }] } };

describe('generateHashedName', () => {
  const cases: [string, string][] = [
    ['a', 'ws-e40c2'],
    ['foobar', 'ws-bf9cf'],
    ['src', 'ws-d33ce'],
  ];
  for (const [name, want] of cases) it(`names workspace ${name} ${want} (first 5 hex of fnv32a)`, () => assert.equal(generateHashedName('ws', name), want));
});

describe('resolveWorkspaces', () => {
  it('resolves declarations and bindings: PVC shared once, optional unbound, undeclared binding added', () => {
    const got = resolveWorkspaces(
      [{ name: 'a', mountPath: '/data' }, { name: 'b' }, { name: 'opt', optional: true }],
      [
        { name: 'a', persistentVolumeClaim: { claimName: '$(params.claim)' }, subPath: 'sub' },
        { name: 'b', persistentVolumeClaim: { claimName: 'my-pvc' } },
        { name: 'extra', configMap: { name: 'cm' } },
      ],
      owner,
    );
    assert.deepEqual(got.workspaces, [
      { name: 'a', path: '/data', bound: true, claim: 'my-pvc', volume: generateHashedName('ws', 'a') },
      { name: 'b', path: '/workspace/b', bound: true, claim: 'my-pvc', volume: generateHashedName('ws', 'a') },
      { name: 'opt', path: '', bound: false, claim: '', volume: '' },
      { name: 'extra', path: '/workspace/extra', bound: true, claim: '', volume: generateHashedName('ws', 'extra') },
    ]);
    assert.deepEqual(got.volumes, [
      { name: generateHashedName('ws', 'a'), persistentVolumeClaim: { claimName: 'my-pvc' } },
      { name: generateHashedName('ws', 'extra'), configMap: { name: 'cm' } },
    ]);
  });

  it('names a volumeClaimTemplate PVC <template name or pvc>-<10 hex of sha256(workspace+owner uid)>', () => {
    const got = resolveWorkspaces([{ name: 'w' }], [{ name: 'w', volumeClaimTemplate: { spec: {} } }], owner);
    // sha256("wuid-1") = 4258f82136... (sha256sum)
    assert.deepEqual(got.bindings, [{ name: 'w', persistentVolumeClaim: { claimName: 'pvc-4258f82136' } }]);
  });
});

describe('applyWorkspaceMounts', () => {
  it('mounts shared workspaces via the stepTemplate and every sidecar, isolated ones only where listed', () => {
    const spec: TaskSpec = {
      workspaces: [{ name: 'shared', readOnly: true }, { name: 'iso' }],
      steps: [{ image: 'i' }, { image: 'i', workspaces: [{ name: 'iso', mountPath: '/own' }] }],
      sidecars: [{ image: 's', volumeMounts: [{ name: 'x', mountPath: '/workspace/shared' }] }, { image: 's' }],
    };
    const ws = resolveWorkspaces(
      spec.workspaces!,
      [
        { name: 'shared', emptyDir: {} },
        { name: 'iso', emptyDir: {}, subPath: 'p' },
      ],
      owner,
    );
    const shared = { name: generateHashedName('ws', 'shared'), mountPath: '/workspace/shared', readOnly: true };
    assert.deepEqual(applyWorkspaceMounts(spec, ws), {
      workspaces: spec.workspaces,
      stepTemplate: { volumeMounts: [shared] },
      steps: [
        { image: 'i' },
        { image: 'i', workspaces: [{ name: 'iso', mountPath: '/own' }], volumeMounts: [{ name: generateHashedName('ws', 'iso'), mountPath: '/own', subPath: 'p' }] },
      ],
      sidecars: [
        { image: 's', volumeMounts: [{ name: 'x', mountPath: '/workspace/shared' }] },
        { image: 's', volumeMounts: [shared] },
      ],
      volumes: [
        { name: generateHashedName('ws', 'shared'), emptyDir: {} },
        { name: generateHashedName('ws', 'iso'), emptyDir: {} },
      ],
    });
  });
});
