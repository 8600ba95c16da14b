import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { V1Container, V1Pod, V1Volume } from '@kubernetes/client-node';
import type { VolumeSources } from '../executor.ts';
import { containerMounts, hostPathOf, setUpVolumes, terminationMount, type Mount, type PodVolumes } from './volumes.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'tektite-pod-volumes-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

const sources: VolumeSources = {
  configMap: (_ns, name) => (name === 'cfg' ? { a: 'A', b: 'B' } : undefined),
  secret: (_ns, name) => (name === 'creds' ? { token: Buffer.from('s3cr3t') } : undefined),
  pvcDir: (ns, claim) => path.join(root, 'pvcs', ns, claim),
};

const podWith = (volumes: V1Volume[], annotations: Record<string, string> = {}): V1Pod => ({
  metadata: { name: 'p', namespace: 'ns', annotations },
  spec: { containers: [{ name: 'c', resources: { limits: { memory: '64Mi' } } }], volumes },
});

/** setUp sets up the volumes in a fresh workDir; returns them, or the mount error. */
function setUp(volumes: V1Volume[], annotations?: Record<string, string>): { volumes: PodVolumes; workDir: string } | string {
  const workDir = path.join(root, `w${n++}`);
  const r = setUpVolumes(podWith(volumes, annotations), workDir, sources);
  return 'mountError' in r ? r.mountError : { volumes: r.volumes, workDir };
}

/** setUpOk sets up volumes that must succeed. */
function setUpOk(volumes: V1Volume[], annotations?: Record<string, string>): { volumes: PodVolumes; workDir: string } {
  const r = setUp(volumes, annotations);
  if (typeof r === 'string') assert.fail(r);
  return r;
}

const modeOf = (p: string): number => statSync(p).mode & 0o7777;

describe('setUpVolumes', () => {
  it('makes emptyDirs 0777, and a volume naming no source an emptyDir', () => {
    const r = setUpOk([{ name: 'ws', emptyDir: {} }, { name: 'bare' }]);
    for (const name of ['ws', 'bare']) {
      const v = r.volumes.byName.get(name)!;
      assert.deepEqual(v, { hostPath: path.join(r.workDir, 'volumes', name), readOnly: false });
      assert.equal(modeOf(v.hostPath), 0o777);
    }
  });

  it('writes configMap and secret keys, items and modes, read-only', () => {
    const r = setUpOk([
      { name: 'all', configMap: { name: 'cfg' } },
      { name: 'one', configMap: { name: 'cfg', items: [{ key: 'b', path: 'sub/renamed', mode: 0o600 }] } },
      { name: 'sec', secret: { secretName: 'creds', defaultMode: 0o400 } },
    ]);
    const dir = (name: string) => r.volumes.byName.get(name)!.hostPath;
    assert.deepEqual(readdirSync(dir('all')).sort(), ['a', 'b']);
    assert.equal(modeOf(path.join(dir('all'), 'a')), 0o644);
    assert.equal(readFileSync(path.join(dir('one'), 'sub/renamed'), 'utf8'), 'B');
    assert.equal(modeOf(path.join(dir('one'), 'sub/renamed')), 0o600);
    assert.equal(readFileSync(path.join(dir('sec'), 'token'), 'utf8'), 's3cr3t');
    assert.equal(modeOf(path.join(dir('sec'), 'token')), 0o400);
    for (const name of ['all', 'one', 'sec']) assert.equal(r.volumes.byName.get(name)!.readOnly, true);
  });

  it("fails with the kubelet's FailedMount messages, unless the source is optional", () => {
    const table: [V1Volume, string][] = [
      [{ name: 'v', configMap: { name: 'absent' } }, 'MountVolume.SetUp failed for volume "v" : configmap "absent" not found'],
      [{ name: 'v', secret: { secretName: 'absent' } }, 'MountVolume.SetUp failed for volume "v" : secret "absent" not found'],
      [{ name: 'v', configMap: { name: 'cfg', items: [{ key: 'k', path: 'k' }] } }, 'MountVolume.SetUp failed for volume "v" : configmap references non-existent config key: k'],
      [{ name: 'v', secret: { secretName: 'creds', items: [{ key: 'k', path: 'k' }] } }, 'MountVolume.SetUp failed for volume "v" : references non-existent secret key: k'],
      [{ name: 'v', projected: { sources: [{ configMap: { name: 'absent' } }] } }, 'MountVolume.SetUp failed for volume "v" : configmap "absent" not found'],
      [{ name: 'v', csi: { driver: 'x' } }, 'MountVolume.SetUp failed for volume "v" : this volume type is not supported by this executor'],
    ];
    for (const [volume, want] of table) assert.equal(setUp([volume]), want, JSON.stringify(volume));
    const optional = setUpOk([
      { name: 'a', configMap: { name: 'absent', optional: true } },
      { name: 'b', secret: { secretName: 'creds', optional: true, items: [{ key: 'k', path: 'k' }] } },
    ]);
    assert.deepEqual(readdirSync(optional.volumes.byName.get('b')!.hostPath), []);
  });

  it('uses PVC directories and hostPaths as given, a readOnly claim read-only', () => {
    const made = path.join(root, 'made-by-hostpath');
    const r = setUpOk([
      { name: 'claim', persistentVolumeClaim: { claimName: 'c', readOnly: true } },
      { name: 'host', hostPath: { path: made, type: 'DirectoryOrCreate' } },
    ]);
    assert.deepEqual(r.volumes.byName.get('claim'), { hostPath: path.join(root, 'pvcs', 'ns', 'c'), readOnly: true });
    assert.deepEqual(r.volumes.byName.get('host'), { hostPath: made, readOnly: false });
    assert.ok(existsSync(made));
  });

  it('writes downwardAPI and projected files, and rewrites them from newer annotations', () => {
    const ready = [{ path: 'ready', fieldRef: { fieldPath: "metadata.annotations['tekton.dev/ready']" } }];
    const r = setUpOk(
      [
        {
          name: 'down',
          downwardAPI: {
            items: [
              ...ready,
              { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
              { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory', divisor: '1Mi' } },
            ],
          },
        },
        { name: 'proj', projected: { defaultMode: 0o440, sources: [{ downwardAPI: { items: ready } }, { secret: { name: 'creds' } }] } },
      ],
      { other: 'x' },
    );
    const file = (v: string, f: string) => path.join(r.volumes.byName.get(v)!.hostPath, f);
    assert.equal(readFileSync(file('down', 'ready'), 'utf8'), '');
    assert.equal(readFileSync(file('down', 'name'), 'utf8'), 'p');
    assert.equal(readFileSync(file('down', 'mem'), 'utf8'), '64');
    assert.equal(modeOf(file('proj', 'token')), 0o440);
    r.volumes.refreshDownward({ other: 'x', 'tekton.dev/ready': 'READY' });
    assert.equal(readFileSync(file('down', 'ready'), 'utf8'), 'READY');
    assert.equal(readFileSync(file('proj', 'ready'), 'utf8'), 'READY');
    assert.equal(modeOf(file('proj', 'ready')), 0o440);
    assert.deepEqual(readdirSync(r.volumes.byName.get('down')!.hostPath).sort(), ['mem', 'name', 'ready']);
  });
});

describe('containerMounts', () => {
  const r = setUpOk([
    { name: 'ws', emptyDir: {} },
    { name: 'cfg', configMap: { name: 'cfg' } },
  ]);
  const mountsOf = (c: Partial<V1Container>, env: Record<string, string> = {}) => {
    const m = containerMounts({ name: 'step-a', ...c }, r.volumes, new Map(Object.entries(env)));
    return 'configError' in m ? m.configError : m.mounts;
  };
  const ws = r.volumes.byName.get('ws')!.hostPath;

  it('binds each volumeMount, creating a missing subPath with its volume mode, read-only when the mount or the volume is', () => {
    const mounts = mountsOf(
      {
        volumeMounts: [
          { name: 'ws', mountPath: '/workspace/' },
          { name: 'ws', mountPath: '/data', subPath: 'nested/dir', readOnly: true },
          { name: 'ws', mountPath: '/expr', subPathExpr: 'by-$(POD)' },
          { name: 'cfg', mountPath: '/etc/cfg' },
        ],
      },
      { POD: 'p' },
    );
    assert.deepEqual(mounts, [
      { containerPath: '/workspace', hostPath: ws, readOnly: false },
      { containerPath: '/data', hostPath: path.join(ws, 'nested/dir'), readOnly: true },
      { containerPath: '/expr', hostPath: path.join(ws, 'by-p'), readOnly: false },
      { containerPath: '/etc/cfg', hostPath: r.volumes.byName.get('cfg')!.hostPath, readOnly: true },
    ]);
    assert.equal(modeOf(path.join(ws, 'nested/dir')), 0o777);
  });

  it("returns the kubelet's CreateContainerConfigError messages for bad mounts", () => {
    const table: [Partial<V1Container>, string][] = [
      [{ volumeMounts: [{ name: 'nope', mountPath: '/x' }] }, 'cannot find volume "nope" to mount into container "step-a"'],
      [{ volumeMounts: [{ name: 'ws', mountPath: '/x', subPath: '/abs' }] }, 'error SubPath `/abs` must not be an absolute path'],
      [{ volumeMounts: [{ name: 'ws', mountPath: '/x', subPath: 'a/../../b' }] }, "unable to provision SubPath `a/../../b`: must not contain '..'"],
      [{ volumeMounts: [{ name: 'ws', mountPath: '/x', subPathExpr: '$(B)/$(EMPTY)/$(A)' }] }, 'missing value for A, B, EMPTY'],
    ];
    for (const [c, want] of table) assert.equal(mountsOf(c, { EMPTY: '' }), want, JSON.stringify(c));
  });
});

describe('terminationMount', () => {
  it('backs terminationMessagePath (default /dev/termination-log) with a fresh 0666 file per container', () => {
    const dir = path.join(root, 'termination');
    const custom = terminationMount(dir, { name: 'step-a', terminationMessagePath: '/tekton/termination' });
    assert.deepEqual(custom, { containerPath: '/tekton/termination', hostPath: path.join(dir, 'step-a'), readOnly: false });
    assert.equal(modeOf(custom.hostPath), 0o666);
    assert.equal(terminationMount(dir, { name: 'step-b' }).containerPath, '/dev/termination-log');
  });
});

describe('hostPathOf', () => {
  it('maps a container path through the deepest mount that covers it, the last of equal ones winning', () => {
    const mounts: Mount[] = [
      { containerPath: '/workspace', hostPath: '/h/ws', readOnly: false },
      { containerPath: '/workspace/source', hostPath: '/h/src', readOnly: false },
      { containerPath: '/tekton/run/0', hostPath: '/h/old', readOnly: false },
      { containerPath: '/tekton/run/0', hostPath: '/h/run0', readOnly: false },
    ];
    const table: [string, string | undefined][] = [
      ['/workspace', '/h/ws'],
      ['/workspace/x/../y/', '/h/ws/y'],
      ['/workspace/source/a', '/h/src/a'],
      ['/workspace/sourcery', '/h/ws/sourcery'],
      ['/workspacex', undefined],
      ['/tekton/run/0/out', '/h/run0/out'],
      ['/tekton/run/1/out', undefined],
    ];
    for (const [p, want] of table) assert.equal(hostPathOf(p, mounts), want, p);
    assert.equal(hostPathOf('/etc/x', [{ containerPath: '/', hostPath: '/root', readOnly: true }]), '/root/etc/x');
  });
});
