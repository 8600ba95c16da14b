// volumes.test.ts: the Pod's volumes as host directories inside real containers (configMap/secret
// read-only, subPath, PVC directories), env from ConfigMaps/Secrets/fieldRefs, and podTemplate fields.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import { fakeSources, images, leftovers, runPod, skipReason, tektonPod, terminatedOf, uniqueName } from './helpers.ts';

function pod(name: string, c: Omit<V1Container, 'name'>, spec: Partial<V1Pod['spec']> = {}): V1Pod {
  return { metadata: { name, namespace: 'team-a', labels: { app: 'demo' } }, spec: { containers: [{ name: 'step-main', ...c }], ...spec } };
}

describe('podman executor: volumes and pod template', { skip: skipReason }, () => {
  let busybox: string;
  before(async () => {
    busybox = (await images()).busybox;
  });

  it('mounts configMap and secret volumes read-only, with items, modes and subPath', async () => {
    const name = uniqueName('cm-secret');
    const root = mkdtempSync(join(tmpdir(), 'tektite-podman-src-'));
    const sources = fakeSources(root, { settings: { 'a.txt': 'alpha', 'b.txt': 'beta' } }, { creds: { token: 's3cret' } });
    const script = 'cat /cm/a.txt /cm/b.txt /sec/renamed /one/b.txt; stat -c %a /sec/renamed; touch /cm/x 2>/dev/null || echo cm-read-only';
    const r = await runPod(
      pod(
        name,
        {
          image: busybox,
          command: ['sh', '-c', script],
          volumeMounts: [
            { name: 'cm', mountPath: '/cm' },
            { name: 'sec', mountPath: '/sec' },
            { name: 'cm', mountPath: '/one', subPath: '.' },
          ],
        },
        {
          volumes: [
            { name: 'cm', configMap: { name: 'settings' } },
            { name: 'sec', secret: { secretName: 'creds', items: [{ key: 'token', path: 'renamed', mode: 0o400 }] } },
          ],
        },
      ),
      { sources },
    );
    assert.equal(r.text('step-main', 'stdout'), 'alphabetas3cretbeta400\ncm-read-only\n');
    assert.deepEqual(leftovers(name), []);
  });

  it('backs a persistentVolumeClaim with the directory the volume sources name', async () => {
    const name = uniqueName('pvc');
    const root = mkdtempSync(join(tmpdir(), 'tektite-podman-src-'));
    const sources = fakeSources(root);
    const r = await runPod(
      pod(
        name,
        {
          image: busybox,
          command: ['sh', '-c', 'echo kept > /data/sub/file'],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
        },
        {
          volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'shared' } }],
          initContainers: [{ name: 'mk', image: busybox, command: ['mkdir', '-p', '/data/sub'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
        },
      ),
      { sources },
    );
    assert.equal(r.status.phase, 'Succeeded');
    assert.equal(readFileSync(join(root, 'pvc', 'team-a', 'shared', 'sub', 'file'), 'utf8'), 'kept\n');
  });

  it('sets env from values, ConfigMap and Secret keys and fieldRefs, and expands $(VAR) in args', async () => {
    const name = uniqueName('env');
    const sources = fakeSources(mkdtempSync(join(tmpdir(), 'tektite-podman-src-')), { cm: { color: 'blue' } }, { sec: { pw: 'hunter2' } });
    const r = await runPod(
      pod(name, {
        image: busybox,
        command: ['echo'],
        args: ['$(GREETING)', '$(COLOR)', '$(PW)', '$(POD)', '$(NS)', '$(APP)', '$$(GREETING)', '$(UNDEFINED)'],
        env: [
          { name: 'GREETING', value: 'hello' },
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cm', key: 'color' } } },
          { name: 'PW', valueFrom: { secretKeyRef: { name: 'sec', key: 'pw' } } },
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
          { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        ],
      }),
      { sources },
    );
    assert.equal(r.text('step-main', 'stdout'), `hello blue hunter2 ${name} team-a demo $(GREETING) $(UNDEFINED)\n`);
  });

  it('honours runAsUser, workingDir, hostAliases and a memory limit, with the Pod name as hostname', async () => {
    const name = uniqueName('template');
    const r = await runPod(
      pod(
        name,
        {
          image: busybox,
          workingDir: '/made/by/runtime',
          command: [
            'sh',
            '-c',
            'hostname; id -u; id -g; pwd; grep -c "10.1.2.3.*db.internal" /etc/hosts; cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes',
          ],
          securityContext: { runAsUser: 1234, runAsGroup: 5678 },
          resources: { limits: { memory: '64Mi' } },
        },
        { hostAliases: [{ ip: '10.1.2.3', hostnames: ['db.internal'] }] },
      ),
    );
    assert.equal(r.text('step-main', 'stderr'), '');
    assert.equal(r.text('step-main', 'stdout'), `${name}\n1234\n5678\n/made/by/runtime\n1\n${64 * 1024 * 1024}\n`);
  });

  it('lets steps with different runAsUsers write in emptyDirs (0777 as the kubelet makes them), subPaths included', async () => {
    const name = uniqueName('uids');
    const p = tektonPod(name, [
      { name: 'first', image: busybox, command: ['sh', '-c', 'id -u > /workspace/first; mkdir /workspace/dir; stat -c %a /sub'] },
      { name: 'second', image: busybox, command: ['sh', '-c', 'id -u > /workspace/second; echo x > /tekton/home/file'] },
    ]);
    const [first, second] = p.spec!.containers;
    first.securityContext = { runAsUser: 2000 };
    first.volumeMounts!.push({ name: 'tekton-internal-home', mountPath: '/sub', subPath: 'made/by/kubelet' });
    second.securityContext = { runAsUser: 16000 };
    const r = await runPod(p);
    assert.equal(r.status.phase, 'Succeeded', `${r.text('step-first')}${r.text('step-second')}`);
    assert.equal(r.text('step-first', 'stdout'), '777\n');
    const workspace = join(r.workDir, 'volumes', 'tekton-internal-workspace');
    assert.equal(readFileSync(join(workspace, 'first'), 'utf8'), '2000\n');
    assert.equal(readFileSync(join(workspace, 'second'), 'utf8'), '16000\n');
    assert.deepEqual(leftovers(name), []);
  });

  it('refuses runAsNonRoot with runAsUser 0 as CreateContainerConfigError', async () => {
    const name = uniqueName('nonroot');
    const r = await runPod(pod(name, { image: busybox, command: ['true'], securityContext: { runAsNonRoot: true, runAsUser: 0 } }));
    assert.deepEqual(r.status.containerStatuses![0].state, { waiting: { reason: 'CreateContainerConfigError', message: "container's runAsUser breaks non-root policy" } });
    assert.equal(terminatedOf(r.status, 'step-main'), undefined);
    assert.deepEqual(leftovers(name), []);
  });
});
