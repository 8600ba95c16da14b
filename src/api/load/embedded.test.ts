import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatProblem, loadFiles, loadYaml } from './index.ts';
import type { Task, TaskRun } from '../v1/index.ts';

const lines = (text: string) => loadYaml(text, 'f.yaml').problems.map(formatProblem);

const task = (steps: string, more = '') => `apiVersion: tekton.dev/v1
kind: Task
metadata:
  name: t
spec:
  steps:
  - name: one
    image: alpine
${steps}${more}`;

const taskRun = (spec: string, apiVersion = 'tekton.dev/v1') => `apiVersion: ${apiVersion}
kind: TaskRun
metadata:
  name: tr
spec:
  taskRef:
    name: t
${spec}`;

const pipelineRun = (spec: string) => `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata:
  name: pr
spec:
  pipelineRef:
    name: p
${spec}`;

const CASES: { name: string; text: string; want: string[] }[] = [
  {
    name: 'a step securityContext field',
    text: task('    securityContext:\n      runAsUsr: 1\n'),
    want: ['spec.steps[0].securityContext: unknown field "runAsUsr" (f.yaml:10:7)'],
  },
  {
    name: 'a field deep in a sidecar readinessProbe',
    text: task('', '  sidecars:\n  - name: db\n    image: postgres\n    readinessProbe:\n      exec:\n        comand: [true]\n'),
    want: ['spec.sidecars[0].readinessProbe.exec: unknown field "comand" (f.yaml:14:9)'],
  },
  {
    name: 'an envFrom source',
    text: task('    envFrom:\n    - configMapRf:\n        name: cm\n'),
    want: ['spec.steps[0].envFrom[0]: unknown field "configMapRf" (f.yaml:10:7)'],
  },
  {
    name: 'an env valueFrom selector',
    text: task('    env:\n    - name: A\n      valueFrom:\n        secretKeyRef: {name: s, kee: k}\n'),
    want: ['spec.steps[0].env[0].valueFrom.secretKeyRef: unknown field "kee" (f.yaml:12:33)'],
  },
  {
    name: 'a Task volume emptyDir',
    text: task('', '  volumes:\n  - name: scratch\n    emptyDir:\n      sizeLimt: 1Gi\n'),
    want: ['spec.volumes[0].emptyDir: unknown field "sizeLimt" (f.yaml:12:7)'],
  },
  {
    name: 'a Volume source nobody types (downwardAPI)',
    text: task('', '  volumes:\n  - name: info\n    downwardAPI:\n      items:\n      - path: labels\n        fieldRef: {fieldPth: metadata.labels}\n'),
    want: ['spec.volumes[0].downwardAPI.items[0].fieldRef: unknown field "fieldPth" (f.yaml:14:20)'],
  },
  {
    name: 'a workspace binding configMap',
    text: taskRun('  workspaces:\n  - name: ws\n    configMap:\n      name: cm\n      itemz: []\n'),
    want: ['spec.workspaces[0].configMap: unknown field "itemz" (f.yaml:12:7)'],
  },
  {
    name: 'a podTemplate securityContext field',
    text: taskRun('  podTemplate:\n    securityContext:\n      fsGrop: 1000\n'),
    want: ['spec.podTemplate.securityContext: unknown field "fsGrop" (f.yaml:10:7)'],
  },
  {
    name: 'a podTemplate key Tekton does not have (a PodSpec field outside pod.Template)',
    text: pipelineRun('  taskRunTemplate:\n    podTemplate:\n      nodeSelector: {disk: ssd}\n      initContainers: []\n'),
    want: ['spec.taskRunTemplate.podTemplate: unknown field "initContainers" (f.yaml:11:7)'],
  },
  {
    name: 'a volumeClaimTemplate spec field',
    text: pipelineRun('  workspaces:\n  - name: ws\n    volumeClaimTemplate:\n      spec:\n        accessModez: [ReadWriteOnce]\n'),
    want: ['spec.workspaces[0].volumeClaimTemplate.spec: unknown field "accessModez" (f.yaml:12:9)'],
  },
  {
    name: 'a step of an inline Task of a PipelineRun’s inline Pipeline',
    text: `apiVersion: tekton.dev/v1\nkind: PipelineRun\nmetadata:\n  name: pr\nspec:\n  pipelineSpec:\n    tasks:\n    - name: a\n      taskSpec:\n        steps:\n        - image: alpine\n          securityContext: {privilegd: true}\n`,
    want: ['spec.pipelineSpec.tasks[0].taskSpec.steps[0].securityContext: unknown field "privilegd" (f.yaml:12:29)'],
  },
  {
    name: 'a v1beta1 step port (dropped by conversion, still decoded by Tekton)',
    text: task('    ports:\n    - containerPrt: 80\n').replace('tekton.dev/v1', 'tekton.dev/v1beta1'),
    want: ['spec.steps[0].ports[0]: unknown field "containerPrt" (f.yaml:10:7)'],
  },
  {
    name: 'a v1beta1 taskPodTemplate, at the path the user wrote',
    text: `apiVersion: tekton.dev/v1beta1\nkind: PipelineRun\nmetadata:\n  name: pr\nspec:\n  pipelineRef: {name: p}\n  taskRunSpecs:\n  - pipelineTaskName: a\n    taskPodTemplate:\n      tolerations:\n      - {key: k, efect: NoSchedule}\n`,
    want: ['spec.taskRunSpecs[0].taskPodTemplate.tolerations[0]: unknown field "efect" (f.yaml:11:18)'],
  },
  {
    name: 'a PersistentVolumeClaim object',
    text: 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: c\nspec:\n  resources:\n    request: {storage: 1Gi}\n',
    want: ['spec.resources: unknown field "request" (f.yaml:7:5)'],
  },
  {
    name: 'every unknown field, in file order',
    text: task('    securityContext: {runAsUsr: 1}\n    volumeDevices:\n    - {name: d, devicePth: /dev/x}\n'),
    want: ['spec.steps[0].securityContext: unknown field "runAsUsr" (f.yaml:9:23)', 'spec.steps[0].volumeDevices[0]: unknown field "devicePth" (f.yaml:11:17)'],
  },
  {
    name: 'a sidecar lifecycle hook',
    text: task('', '  sidecars:\n  - image: postgres\n    lifecycle:\n      preStop: {slep: {seconds: 1}}\n'),
    want: ['spec.sidecars[0].lifecycle.preStop: unknown field "slep" (f.yaml:12:17)'],
  },
  {
    name: 'a stepTemplate computeResources claim',
    text: task('', '  stepTemplate:\n    computeResources:\n      claims: [{name: gpu, requst: r}]\n'),
    want: ['spec.stepTemplate.computeResources.claims[0]: unknown field "requst" (f.yaml:11:28)'],
  },
];

describe('unknown fields in the Kubernetes types Tekton embeds', () => {
  for (const c of CASES) {
    it(`reports an unknown field in ${c.name} with its path and position`, () => {
      assert.deepEqual(lines(c.text), c.want);
    });
  }

  it('matches field names case-insensitively like Go and stores them in canonical case', () => {
    const r = loadYaml(
      task('    securityContext:\n      runasuser: 1000\n      CAPABILITIES: {Drop: [ALL]}\n', '  volumes:\n  - name: v\n    emptyDir: {sizelimit: 1Gi}\n'),
      'f.yaml',
    );
    assert.deepEqual(r.problems, []);
    const spec = (r.objects[0].object as Task).spec;
    assert.deepEqual(spec.steps?.[0].securityContext, { runAsUser: 1000, capabilities: { drop: ['ALL'] } });
    assert.deepEqual(spec.volumes?.[0], { name: 'v', emptyDir: { sizeLimit: '1Gi' } });
  });

  it('carries canonical case through v1beta1 conversion', () => {
    const r = loadYaml(taskRun('  podTemplate:\n    securitycontext: {fsgroup: 1}\n    NodeSelector: {a: b}\n', 'tekton.dev/v1beta1'), 'f.yaml');
    assert.deepEqual(r.problems, []);
    assert.deepEqual((r.objects[0].object as TaskRun).spec.podTemplate, { securityContext: { fsGroup: 1 }, nodeSelector: { a: 'b' } });
  });

  it('accepts every field of pod.Template and of the workspace volume sources', () => {
    const text = pipelineRun(`  taskRunTemplate:
    podTemplate:
      nodeSelector: {disk: ssd}
      env: [{name: A, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
      tolerations: [{key: k, operator: Exists, effect: NoSchedule}]
      affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [{matchExpressions: [{key: a, operator: In, values: [b]}]}]}}}
      securityContext: {fsGroup: 1, runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
      volumes: [{name: v, projected: {sources: [{serviceAccountToken: {path: t, expirationSeconds: 600}}]}}]
      runtimeClassName: r
      automountServiceAccountToken: false
      dnsPolicy: None
      dnsConfig: {nameservers: [1.1.1.1], options: [{name: ndots, value: "2"}]}
      enableServiceLinks: false
      priorityClassName: p
      schedulerName: s
      imagePullSecrets: [{name: reg}]
      hostAliases: [{ip: 127.0.0.1, hostnames: [a]}]
      hostNetwork: false
      topologySpreadConstraints: [{maxSkew: 1, topologyKey: zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {a: b}}}]
  workspaces:
  - name: a
    volumeClaimTemplate: {metadata: {name: c}, spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}}
  - name: b
    csi: {driver: d, volumeAttributes: {anything: goes}, nodePublishSecretRef: {name: s}}
  - name: c
    secret: {secretName: s, items: [{key: k, path: p, mode: 0400}]}
`);
    assert.deepEqual(lines(text), []);
  });

  it('loads every example in examples/ with no problem', async () => {
    const root = join(import.meta.dirname, '..', '..', '..', 'examples');
    const files: string[] = [];
    for (const dir of await readdir(root)) {
      for (const name of await readdir(join(root, dir))) if (/\.ya?ml$/.test(name)) files.push(join(root, dir, name));
    }
    assert.ok(files.length > 50);
    const r = await loadFiles(files);
    assert.deepEqual(r.problems.map(formatProblem), []);
    assert.ok(r.objects.length >= files.length);
    // The texts are read back to be sure each one was loaded, not skipped.
    assert.ok((await Promise.all(files.map((f) => readFile(f, 'utf8')))).every((t) => t.includes('apiVersion')));
  });
});
