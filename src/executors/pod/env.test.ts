import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { VolumeSources } from '../executor.ts';
import { containerEnv, expandKubeVars, fieldValue } from './env.ts';

const sources = (configMaps: Record<string, Record<string, string>> = {}, secrets: Record<string, Record<string, string>> = {}): VolumeSources => ({
  configMap: (_ns, name) => configMaps[name],
  secret: (_ns, name) => secrets[name] && Object.fromEntries(Object.entries(secrets[name]).map(([k, v]) => [k, Buffer.from(v)])),
  pvcDir: () => '/nowhere',
});

const pod: V1Pod = {
  metadata: { name: 'p', namespace: 'ns', uid: 'u-1', labels: { b: '2', a: '1' }, annotations: { note: 'say "hi"\\' } },
  spec: { containers: [], serviceAccountName: 'builder' },
};

const envOf = (c: Partial<V1Container>, src = sources()): [string, string][] | string => {
  const r = containerEnv({ name: 'step-a', ...c }, pod, src);
  return 'configError' in r ? r.configError : [...r.env];
};

describe('expandKubeVars', () => {
  it('expands $(VAR) like Kubernetes: defined names replaced, unknown kept, $$ escaped, other $ kept', () => {
    const vars = new Map([
      ['A', 'a'],
      ['B', 'b'],
      ['EMPTY', ''],
    ]);
    const table: [string, string][] = [
      ['$(A)', 'a'],
      ['x$(A)y$(B)', 'xayb'],
      ['$(EMPTY)|', '|'],
      ['$(C)', '$(C)'],
      ['$$(A)', '$(A)'],
      ['$$$(A)', '$a'],
      ['$$', '$'],
      ['$A', '$A'],
      ['a$b', 'a$b'],
      ['$(A', '$(A'],
      ['tail$', 'tail$'],
      ['$($$)', '$($$)'],
      ['$(constructor)', '$(constructor)'],
    ];
    for (const [input, want] of table) assert.equal(expandKubeVars(input, vars), want, input);
    assert.equal(
      expandKubeVars('$(A)-$(Z)', (n) => (n === 'Z' ? 'z' : undefined)),
      '$(A)-z',
    );
  });
});

describe('containerEnv', () => {
  it('puts envFrom (with prefixes) first, then env in order, expanding $(VAR) from what is defined before', () => {
    const env = envOf(
      {
        envFrom: [{ configMapRef: { name: 'cm' }, prefix: 'CM_' }, { secretRef: { name: 's' } }],
        env: [
          { name: 'LATER', value: '$(FIRST)' },
          { name: 'FIRST', value: 'one' },
          { name: 'BOTH', value: '$(CM_color)/$(token)/$(FIRST)/$$(FIRST)' },
          { name: 'CM_color', value: 'red' },
          { name: 'EMPTY' },
        ],
      },
      sources({ cm: { color: 'blue' } }, { s: { token: 't0k' } }),
    );
    assert.deepEqual(env, [
      ['CM_color', 'red'],
      ['token', 't0k'],
      ['LATER', '$(FIRST)'],
      ['FIRST', 'one'],
      ['BOTH', 'blue/t0k/one/$(FIRST)'],
      ['EMPTY', ''],
    ]);
  });

  it('reads valueFrom: fieldRef, configMapKeyRef and secretKeyRef; optional missing ones stay unset', () => {
    const env = envOf(
      {
        env: [
          { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'cm', key: 'color' } } },
          { name: 'PW', valueFrom: { secretKeyRef: { name: 's', key: 'pw' } } },
          { name: 'NO_CM', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k', optional: true } } },
          { name: 'NO_KEY', valueFrom: { secretKeyRef: { name: 's', key: 'absent', optional: true } } },
        ],
        envFrom: [{ configMapRef: { name: 'absent', optional: true } }],
      },
      sources({ cm: { color: 'blue' } }, { s: { pw: 'hunter2' } }),
    );
    assert.deepEqual(env, [
      ['POD', 'p'],
      ['SA', 'builder'],
      ['COLOR', 'blue'],
      ['PW', 'hunter2'],
    ]);
  });

  it('reads resourceFieldRef: limits and requests (defaulted to limits) in divisor units, rounded up; unset limits are the node', () => {
    const resources = { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m' } };
    const ref = (resource: string, divisor?: string) => ({ resourceFieldRef: { resource, divisor } });
    const env = envOf({
      resources,
      env: [
        { name: 'CPU', valueFrom: ref('limits.cpu') },
        { name: 'CPU_M', valueFrom: ref('limits.cpu', '1m') },
        { name: 'REQ_CPU_M', valueFrom: ref('requests.cpu', '1m') },
        { name: 'MEM_MI', valueFrom: ref('limits.memory', '1Mi') },
        { name: 'REQ_MEM', valueFrom: ref('requests.memory') },
        { name: 'REQ_STORAGE', valueFrom: ref('requests.ephemeral-storage') },
      ],
    });
    assert.deepEqual(env, [
      ['CPU', '1'],
      ['CPU_M', '500'],
      ['REQ_CPU_M', '100'],
      ['MEM_MI', '64'],
      ['REQ_MEM', String(64 * 2 ** 20)],
      ['REQ_STORAGE', '0'],
    ]);
    const node = envOf({ env: [{ name: 'CPUS', valueFrom: ref('limits.cpu') }] });
    assert.ok(typeof node === 'object' && Number(node[0][1]) >= 1, JSON.stringify(node));
    assert.equal(envOf({ env: [{ name: 'X', valueFrom: ref('limits.gpu') }] }), 'unsupported container resource : limits.gpu');
  });

  it("returns the kubelet's CreateContainerConfigError messages for missing objects and keys", () => {
    const src = sources({ cm: {} }, { s: {} });
    const table: [Partial<V1Container>, string][] = [
      [{ envFrom: [{ configMapRef: { name: 'absent' } }] }, 'configmap "absent" not found'],
      [{ envFrom: [{ secretRef: { name: 'absent' } }] }, 'secret "absent" not found'],
      [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'absent', key: 'k' } } }] }, 'configmap "absent" not found'],
      [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'absent', key: 'k' } } }] }, 'secret "absent" not found'],
      [{ env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k' } } }] }, "couldn't find key k in ConfigMap ns/cm"],
      [{ env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }, "couldn't find key k in Secret ns/s"],
    ];
    for (const [c, want] of table) assert.equal(envOf(c, src), want, JSON.stringify(c));
  });
});

describe('fieldValue', () => {
  it('reads metadata and spec fields, and whole maps as sorted key="value" lines', () => {
    assert.equal(fieldValue("metadata.labels['a']", pod), '1');
    assert.equal(fieldValue("metadata.labels['nope']", pod), '');
    assert.equal(fieldValue('metadata.namespace', pod), 'ns');
    assert.equal(fieldValue('metadata.uid', pod), 'u-1');
    assert.equal(fieldValue('metadata.labels', pod), 'a="1"\nb="2"');
    assert.equal(fieldValue('metadata.annotations', pod), 'note="say \\"hi\\"\\\\"');
    assert.equal(fieldValue('status.podIP', pod), '127.0.0.1');
    assert.equal(fieldValue('metadata.namespace', { metadata: {} }), 'default');
  });

  it('reads annotations newer than the Pod when given (the ready annotation)', () => {
    assert.equal(fieldValue("metadata.annotations['tekton.dev/ready']", pod), '');
    assert.equal(fieldValue("metadata.annotations['tekton.dev/ready']", pod, { 'tekton.dev/ready': 'READY' }), 'READY');
  });
});
