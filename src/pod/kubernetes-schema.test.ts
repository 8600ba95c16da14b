// kubernetes-schema.test.ts: "the Pod is the contract". Every Pod the reconcilers build for
// examples/taskruns and examples/pipelineruns (child TaskRuns included, retries too) must be a
// Pod the Kubernetes API server accepts, shaped as TEKTON-FACTS §2 says. The Pods are taken from
// the real control plane (as `tektite run` chains them: admit, default, the controllers, the
// kubelet) over a recording executor that reports the steps as finished
// with a value for every declared result, so downstream PipelineTasks are built as well.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { V1ContainerStatus, V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { TaskResult, TaskRun } from '../api/index.ts';
import { startLocalEngine } from '../cli/local-engine.ts';
import { admitFiles } from '../cli/objects.ts';
import { RunWaiter } from '../cli/wait.ts';
import type { Executor } from '../executors/index.ts';
import { localResolver } from '../resolution/index.ts';
import { keyOf, openMemoryStore, type KObject } from '../store/index.ts';
import { podProblems, schemaErrors, unknownFields } from './kubernetes-schema-test-support.ts';

const examples = join(import.meta.dirname, '..', '..', 'examples');
const yamlFiles = (dir: string) =>
  readdirSync(join(examples, dir))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(examples, dir, f));

/** BuiltPod is a Pod the reconciler handed to the executor, with the TaskRun it was built for. */
interface BuiltPod {
  pod: V1Pod;
  taskRun: TaskRun;
}

/** podsOf runs a file's TaskRuns and PipelineRuns and returns every Pod built for them. */
async function podsOf(file: string): Promise<BuiltPod[]> {
  const stateDir = mkdtempSync(join(tmpdir(), 'tektite-pod-schema-'));
  const store = openMemoryStore();
  try {
    const admitted = await admitFiles([file], { featureFlags: {}, defaults: {} }, { resolver: localResolver(store) });
    assert.deepEqual(admitted.errors, [], `${file} is admitted`);
    const objects = admitted.defaulted as unknown as KObject[];
    const isRun = (o: KObject) => o.kind === 'TaskRun' || o.kind === 'PipelineRun';
    for (const o of objects.filter((x) => !isRun(x))) assert.ok((await store.create(o)).ok);
    const pods: BuiltPod[] = [];
    const executor: Executor = {
      name: 'recording',
      async runPod(pod) {
        // The stored TaskRun's status.taskSpec gives the result types.
        const tr = (await store.get<TaskRun & KObject>({ kind: 'TaskRun', namespace: pod.metadata!.namespace!, name: pod.metadata!.labels!['tekton.dev/taskRun'] }))!;
        pods.push({ pod: JSON.parse(JSON.stringify(pod)) as V1Pod, taskRun: structuredClone(tr) });
        // A first attempt of a TaskRun with retries fails, so the retry Pods are built too.
        return finishedStatus(pod, tr.status?.taskSpec?.results ?? [], (tr.spec.retries ?? 0) > (tr.status?.retriesStatus?.length ?? 0));
      },
    };
    const runs = objects.filter(isRun);
    const waiter = new RunWaiter(runs.map((r) => keyOf(r)));
    const engine = startLocalEngine({ store, stateDir, executor, config: admitted.config, imageMap: {}, parallel: 4, emit: () => {}, onRunChange: (t, o) => waiter.see(t, o) });
    for (const r of runs) {
      const c = await store.create(r);
      assert.ok(c.ok);
      waiter.expect(keyOf(c.object), c.object.metadata.uid!);
    }
    await waiter.done();
    await engine.stop();
    return pods;
  } finally {
    await store.close();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** finishedStatus is the status of a Pod whose containers all ran; steps report one value per declared result. */
function finishedStatus(pod: V1Pod, results: TaskResult[], fail: boolean): V1PodStatus {
  const at = new Date();
  const terminated = (name: string, exitCode: number, message?: string): V1ContainerStatus => ({
    name,
    image: '',
    imageID: '',
    ready: false,
    restartCount: 0,
    state: { terminated: { exitCode, reason: exitCode ? 'Error' : 'Completed', startedAt: at, finishedAt: at, ...(message && { message }) } },
  });
  const containers = pod.spec!.containers.map((c) => {
    if (!c.name.startsWith('step-')) return terminated(c.name, 0);
    const names = c.args?.[c.args.indexOf('-results') + 1]?.split(',') ?? [];
    const entries = c.args?.includes('-results') ? results.filter((r) => names.includes(r.name)).map((r) => ({ key: r.name, value: resultValue(r), type: 1 })) : [];
    return terminated(c.name, fail ? 1 : 0, JSON.stringify(entries));
  });
  return {
    phase: fail ? 'Failed' : 'Succeeded',
    initContainerStatuses: (pod.spec!.initContainers ?? []).map((c) => terminated(c.name, 0)),
    containerStatuses: containers,
  };
}

function resultValue(r: TaskResult): string {
  if (r.type === 'array') return JSON.stringify(['a', 'b']);
  if (r.type === 'object') return JSON.stringify(Object.fromEntries(Object.keys(r.properties ?? {}).map((k) => [k, `${k}-value`])));
  return 'value';
}

/** tektonShapeProblems checks the Pod against TEKTON-FACTS §2 (activeDeadlineSeconds, entrypoint-wrapped steps, prepare). */
function tektonShapeProblems({ pod, taskRun }: BuiltPod): string[] {
  const out: string[] = [];
  const spec = pod.spec!;
  const timeout = taskRun.spec.timeout ?? '1h0m0s';
  const seconds = goDurationSeconds(timeout);
  const deadline = seconds === 0 ? 2147483647 : Math.trunc(seconds * 1.5);
  if (spec.activeDeadlineSeconds !== deadline) out.push(`activeDeadlineSeconds ${spec.activeDeadlineSeconds} for timeout ${timeout}, want ${deadline}`);
  const steps = spec.containers.filter((c) => c.name.startsWith('step-'));
  if (steps.length === 0) out.push('no step containers');
  steps.forEach((s, i) => {
    if (JSON.stringify(s.command) !== '["/tekton/bin/entrypoint"]') out.push(`${s.name}: command ${JSON.stringify(s.command)}`);
    if (s.terminationMessagePath !== '/tekton/termination') out.push(`${s.name}: terminationMessagePath ${s.terminationMessagePath}`);
    // Step i waits on step i-1's post file and writes its own (§2.3), in its RW run volume (§2.4).
    const args = s.args ?? [];
    const after = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
    if (after('-post_file') !== `/tekton/run/${i}/out`) out.push(`${s.name}: -post_file ${after('-post_file')}`);
    if (i > 0 && after('-wait_file') !== `/tekton/run/${i - 1}/out`) out.push(`${s.name}: -wait_file ${after('-wait_file')}`);
    if (after('-termination_path') !== '/tekton/termination') out.push(`${s.name}: -termination_path ${after('-termination_path')}`);
    const rw = (s.volumeMounts ?? []).filter((m) => m.mountPath.startsWith('/tekton/run/') && !m.readOnly).map((m) => m.mountPath);
    if (JSON.stringify(rw) !== JSON.stringify([`/tekton/run/${i}`])) out.push(`${s.name}: writable run mounts ${JSON.stringify(rw)}`);
  });
  for (const c of spec.containers.filter((x) => !x.name.startsWith('step-'))) {
    // Sidecars are not wrapped by the entrypoint (§2.3).
    if (c.command?.[0] === '/tekton/bin/entrypoint') out.push(`${c.name}: a sidecar runs the entrypoint`);
  }
  const prepare = spec.initContainers?.[0];
  if (prepare?.name !== 'prepare') out.push(`the first init container is ${prepare?.name}, not prepare`);
  else if (prepare.command?.slice(0, 4).join(' ') !== '/ko-app/entrypoint init /ko-app/entrypoint /tekton/bin/entrypoint')
    out.push(`prepare: command ${JSON.stringify(prepare.command)}`);
  if (pod.metadata?.labels?.['tekton.dev/taskRun'] !== taskRun.metadata.name) out.push('the tekton.dev/taskRun label does not name the TaskRun');
  return out;
}

// Only what the examples use: h, m, s (the full parser is src/duration; this is an independent reading).
function goDurationSeconds(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) total += Number(m[1]) * { h: 3600, m: 60, s: 1 }[m[2] as 'h' | 'm' | 's'];
  return total;
}

// These examples create no Pod: the PipelineRun is cancelled before it starts, or its when
// expression fails (TEKTON-FACTS §4) before any PipelineTask runs.
const NO_PODS = new Set(['cancelled.yaml', 'when-cel-not-boolean.yaml']);

/** assertValidPods checks every Pod built for a file and that each Pod name is unique. */
function assertValidPods(file: string, pods: BuiltPod[]): void {
  if (NO_PODS.has(basename(file))) {
    assert.deepEqual(
      pods.map((b) => b.pod.metadata?.name),
      [],
    );
    return;
  }
  assert.ok(pods.length > 0, `${file} builds at least one Pod`);
  const problems = pods.flatMap((b) =>
    [...schemaErrors(b.pod).map((e) => `schema: ${e}`), ...unknownFields(b.pod).map((f) => `unknown field: ${f}`), ...podProblems(b.pod), ...tektonShapeProblems(b)].map(
      (p) => `${b.pod.metadata?.name}: ${p}`,
    ),
  );
  assert.deepEqual(problems, []);
  const names = pods.map((b) => b.pod.metadata!.name!);
  assert.deepEqual(
    names.filter((n, i) => names.indexOf(n) !== i),
    [],
    'every Pod has its own name',
  );
}

describe('the Pods built for examples/taskruns are valid Kubernetes Pods shaped as Tekton builds them', () => {
  for (const file of yamlFiles('taskruns')) {
    it(`builds valid Pods for taskruns/${basename(file)}`, async () => assertValidPods(file, await podsOf(file)));
  }
});

describe('the Pods built for the child TaskRuns of examples/pipelineruns are valid Kubernetes Pods', () => {
  for (const file of yamlFiles('pipelineruns')) {
    it(`builds valid Pods for pipelineruns/${basename(file)}`, async () => assertValidPods(file, await podsOf(file)));
  }

  it('builds the retry Pods of a PipelineTask with retries, named -pod-retry<N>', async () => {
    const pods = await podsOf(join(examples, 'pipelineruns', 'retries.yaml'));
    const names = pods.map((b) => b.pod.metadata!.name!);
    assert.ok(
      names.some((n) => /-pod-retry1$/.test(n)),
      JSON.stringify(names),
    );
  });
});

describe('the Pods built for TaskRuns using every Pod-shaping field are valid Kubernetes Pods', () => {
  const testdata = join(import.meta.dirname, 'testdata');
  for (const name of ['pod-shapes.yaml', 'sidecar-logs.yaml']) {
    it(`builds valid Pods for testdata/${name}`, async () => assertValidPods(join(testdata, name), await podsOf(join(testdata, name))));
  }

  it('truncates the Pod names of a 63-character TaskRun and of its retry with an md5 (kmeta.ChildName, TEKTON-FACTS §2.1)', async () => {
    const pods = await podsOf(join(testdata, 'pod-shapes.yaml'));
    const name = 'a-taskrun-whose-name-is-exactly-sixty-three-characters-long-xyz';
    const md5 = createHash('md5').update(name).digest('hex');
    assert.deepEqual(
      pods.map((b) => b.pod.metadata!.name).filter((n) => n!.startsWith('a-taskrun')),
      [`${name.slice(0, 31 - '-pod'.length)}${md5}-pod`, `${name.slice(0, 31 - '-pod-retry1'.length)}${md5}-pod-retry1`],
    );
  });
});

describe('the Pod checks reject what the Kubernetes API server rejects', () => {
  const valid = (): V1Pod => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'run-pod', labels: { 'tekton.dev/taskRun': 'run' } },
    spec: {
      restartPolicy: 'Never',
      activeDeadlineSeconds: 5400,
      containers: [{ name: 'step-a', image: 'busybox', volumeMounts: [{ name: 'ws', mountPath: '/workspace' }] }],
      volumes: [{ name: 'ws', emptyDir: {} }],
    },
  });
  const cases: [string, (p: V1Pod) => void, string[]][] = [
    ['a valid Pod', () => {}, []],
    [
      'an unknown container field',
      (p) => {
        (p.spec!.containers[0] as unknown as Record<string, unknown>).computeResources = {};
      },
      ['unknown field: spec.containers[0].computeResources'],
    ],
    [
      'an unknown field of a volume source',
      (p) => {
        (p.spec!.volumes![0].emptyDir as Record<string, unknown>).size = '1Gi';
      },
      ['unknown field: spec.volumes[0].emptyDir.size'],
    ],
    [
      'a wrong type',
      (p) => {
        (p.spec as unknown as Record<string, unknown>).activeDeadlineSeconds = '5400';
      },
      ['schema: /spec/activeDeadlineSeconds must be integer', 'spec.activeDeadlineSeconds 5400 is not a positive integer'],
    ],
    [
      'a container name over 63 characters',
      (p) => {
        p.spec!.containers[0].name = `step-${'a'.repeat(59)}`;
      },
      [`spec.containers: "step-${'a'.repeat(59)}" is not a DNS-1123 label`],
    ],
    [
      'a duplicate container name',
      (p) => {
        p.spec!.initContainers = [{ name: 'step-a', image: 'busybox' }];
      },
      ['spec.containers: duplicate container name "step-a"'],
    ],
    [
      'a mount of an undeclared volume',
      (p) => {
        p.spec!.containers[0].volumeMounts![0].name = 'nope';
      },
      ['spec.containers[step-a].volumeMounts[nope]: Not found'],
    ],
    [
      'two mounts at one path',
      (p) => {
        p.spec!.containers[0].volumeMounts!.push({ name: 'ws', mountPath: '/workspace' });
      },
      ['spec.containers[step-a].volumeMounts: mountPath "/workspace" must be unique'],
    ],
    [
      'an invalid label value',
      (p) => {
        p.metadata!.labels!['tekton.dev/taskRun'] = 'x'.repeat(64);
      },
      [`metadata.labels[tekton.dev/taskRun]: invalid value "${'x'.repeat(64)}"`],
    ],
    [
      'a restartPolicy other than Never',
      (p) => {
        p.spec!.restartPolicy = 'Always';
      },
      ['spec.restartPolicy is "Always", not "Never"'],
    ],
  ];
  for (const [what, mutate, want] of cases) {
    it(`reports ${what}`, () => {
      const pod = valid();
      mutate(pod);
      assert.deepEqual([...schemaErrors(pod).map((e) => `schema: ${e}`), ...unknownFields(pod).map((f) => `unknown field: ${f}`), ...podProblems(pod)], want);
    });
  }
});
