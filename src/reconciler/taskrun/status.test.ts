import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { makeTaskRunStatusFromPod } from './status-index.ts';
import { msg, NOW, pod, POD, podStatus, running, spec, started, stepDone, taskRun, terminated, waiting } from './status-test-support.ts';

const NOW_TEXT = '2026-01-01T00:01:00Z';
const cond = (status: 'True' | 'False' | 'Unknown', reason: string, message: string) => [{ type: 'Succeeded', status, reason, message, lastTransitionTime: NOW_TEXT }];
const base = { startTime: '2026-01-01T00:00:00Z', podName: POD, sidecars: [] };

describe('makeTaskRunStatusFromPod for finished pods', () => {
  it('reports success with steps in pod order, results, and the message without internal entries', () => {
    const p = pod(['step-a', 'step-b']);
    const ps = podStatus('Succeeded', [
      terminated('step-b', 0, msg(started('2026-01-01T00:00:05.000Z'))),
      terminated('step-a', 0, msg(started(), { key: 'foo', value: 'bar\n', type: 1 })),
    ]);
    const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec: spec(['a', 'b'], [{ name: 'foo', type: 'string' }]), pod: p, podStatus: ps, now: NOW });
    assert.deepEqual(got, {
      done: true,
      status: {
        ...base,
        completionTime: NOW_TEXT,
        artifacts: {},
        conditions: cond('True', 'Succeeded', 'All Steps have completed executing'),
        steps: [stepDone('a', 0, { message: '[{"key":"foo","value":"bar\\n","type":1}]' }), stepDone('b', 0, { startedAt: '2026-01-01T00:00:05Z' })],
        results: [{ name: 'foo', type: 'string', value: 'bar\n' }],
      },
    });
  });

  it('fails with StepFailed naming the failed step, and shows later steps as Skipped', () => {
    const skipped = msg(started(), { key: 'Reason', value: 'Skipped', type: 3 });
    const ps = podStatus('Failed', [terminated('step-a', 1, msg(started())), terminated('step-b', 1, skipped)]);
    const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec: spec(['a', 'b']), pod: pod(['step-a', 'step-b']), podStatus: ps, now: NOW });
    assert.deepEqual(got, {
      done: true,
      status: {
        ...base,
        completionTime: NOW_TEXT,
        artifacts: {},
        conditions: cond('False', 'StepFailed', '"step-a" exited with code 1'),
        steps: [stepDone('a', 1), stepDone('b', 1, {}, 'Skipped')],
      },
    });
  });

  it('reports an onError: continue step with its real exit code, reason Continued, and the TaskRun succeeds', () => {
    const ps = podStatus('Succeeded', [terminated('step-a', 0, msg(started(), { key: 'ExitCode', value: '3', type: 3 })), terminated('step-b', 0, msg(started()))]);
    const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec: spec(['a', 'b']), pod: pod(['step-a', 'step-b']), podStatus: ps, now: NOW });
    assert.deepEqual(got.status.conditions, cond('True', 'Succeeded', 'All Steps have completed executing'));
    assert.deepEqual(got.status.steps, [{ ...stepDone('a', 3, { reason: 'Completed' }, 'Continued') }, stepDone('b', 0)]);
  });

  it('names a step that exceeded its timeout', () => {
    const ps = podStatus('Failed', [terminated('step-a', 1, msg(started(), { key: 'Reason', value: 'TimeoutExceeded', type: 3 }))]);
    const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec: spec(['a']), pod: pod(['step-a']), podStatus: ps, now: NOW });
    assert.deepEqual(got.status.conditions, cond('False', 'StepFailed', '"step-a" exited because the step exceeded the specified timeout limit'));
    assert.deepEqual(got.status.steps, [stepDone('a', 1, {}, 'TimeoutExceeded')]);
  });

  it('fails as FailureIgnored when the PipelineTask has onError: continue', () => {
    const ps = podStatus('Failed', [terminated('step-a', 2, msg(started()))]);
    const tr = taskRun({ 'pipeline.tekton.dev/pipeline-task-on-error': 'continue' });
    const got = makeTaskRunStatusFromPod({ taskRun: tr, taskSpec: spec(['a']), pod: pod(['step-a']), podStatus: ps, now: NOW });
    assert.deepEqual(got.status.conditions, cond('False', 'FailureIgnored', '"step-a" exited with code 2'));
  });

  it('fails with SidecarFailed when a sidecar ended non-zero and the pod failed', () => {
    const ps = podStatus('Failed', [terminated('step-a', 0, msg(started())), terminated('sidecar-db', 1)]);
    const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec: spec(['a']), pod: pod(['step-a', 'sidecar-db']), podStatus: ps, now: NOW });
    assert.deepEqual(got, {
      done: true,
      status: {
        ...base,
        completionTime: NOW_TEXT,
        artifacts: {},
        conditions: cond('False', 'SidecarFailed', '"sidecar-db" exited with code 1'),
        steps: [stepDone('a', 0)],
        sidecars: [
          {
            name: 'db',
            container: 'sidecar-db',
            imageID: 'docker-pullable://img@sha256:1',
            terminated: { exitCode: 1, reason: 'Error', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:10Z', containerID: 'containerd://sidecar-db' },
          },
        ],
      },
    });
  });

  it('fails with InitContainerFailed when an init container failed', () => {
    const ps = podStatus('Failed', [waiting('step-a', 'PodInitializing')], [terminated('prepare', 1)]);
    const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec: spec(['a']), pod: pod(['step-a'], ['prepare']), podStatus: ps, now: NOW });
    assert.deepEqual(got, {
      done: true,
      status: {
        ...base,
        completionTime: NOW_TEXT,
        artifacts: {},
        conditions: cond('False', 'InitContainerFailed', 'init container failed, "prepare" exited with code 1'),
        steps: [{ name: 'a', container: 'step-a', waiting: { reason: 'PodInitializing' } }],
      },
    });
  });

  const classified: { name: string; status: ReturnType<typeof podStatus>; reason: string; message: string }[] = [
    {
      name: 'an evicted pod fails as PodEvicted with the pod message',
      status: podStatus('Failed', [terminated('step-a', 137)], undefined, { reason: 'Evicted', message: 'The node was low on resource: ephemeral-storage.' }),
      reason: 'PodEvicted',
      message: 'The node was low on resource: ephemeral-storage.',
    },
    {
      name: 'an OOMKilled step fails as StepOOM',
      status: podStatus('Failed', [terminated('step-a', 137, undefined, 'OOMKilled')]),
      reason: 'StepOOM',
      message: '"step-a" exited with code 137',
    },
    {
      name: 'an OOMKilled sidecar outranks a failed step',
      status: podStatus('Failed', [terminated('step-a', 1), terminated('sidecar-db', 137, undefined, 'OOMKilled')]),
      reason: 'SidecarOOM',
      message: '"step-a" exited with code 1',
    },
    {
      name: 'a failed pod with no failed container falls back to Failed and the generic message',
      status: podStatus('Failed', [terminated('step-a', 0)]),
      reason: 'Failed',
      message: 'build failed for unspecified reasons.',
    },
  ];
  for (const c of classified) {
    it(c.name, () => {
      const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec: spec(['a']), pod: pod(['step-a', 'sidecar-db']), podStatus: c.status, now: NOW });
      assert.deepEqual(got.status.conditions, cond('False', c.reason, c.message));
    });
  }
});

describe('makeTaskRunStatusFromPod for pods still running', () => {
  it('is Running while a step runs, without completionTime or results', () => {
    const ps = podStatus('Running', [terminated('step-a', 0, msg(started(), { key: 'foo', value: 'x', type: 1 })), running('step-b')]);
    const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec: spec(['a', 'b'], [{ name: 'foo' }]), pod: pod(['step-a', 'step-b']), podStatus: ps, now: NOW });
    assert.deepEqual(got, {
      done: false,
      status: {
        ...base,
        conditions: cond('Unknown', 'Running', 'Not all Steps in the Task have finished executing'),
        steps: [
          stepDone('a', 0, { message: '[{"key":"foo","value":"x","type":1}]' }),
          { name: 'b', container: 'step-b', imageID: 'docker-pullable://img@sha256:1', running: { startedAt: '2026-01-01T00:00:00Z' } },
        ],
      },
    });
  });

  it('is complete once every step ended in a Running pod, even with a sidecar still up', () => {
    const ps = podStatus('Running', [terminated('step-a', 0, msg(started())), running('sidecar-db')]);
    const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec: spec(['a']), pod: pod(['step-a', 'sidecar-db']), podStatus: ps, now: NOW });
    assert.equal(got.done, true);
    assert.deepEqual(got.status.conditions, cond('True', 'Succeeded', 'All Steps have completed executing'));
    assert.deepEqual(got.status.sidecars, [{ name: 'db', container: 'sidecar-db', imageID: 'docker-pullable://img@sha256:1', running: { startedAt: '2026-01-01T00:00:00Z' } }]);
  });

  const pending: { name: string; status: ReturnType<typeof podStatus>; want: ReturnType<typeof cond> }[] = [
    {
      name: 'a waiting container with a message explains Pending',
      status: podStatus('Pending', [waiting('step-a', 'ContainerCreating', 'pulling image')]),
      want: cond('Unknown', 'Pending', 'build step "step-a" is pending with reason "pulling image"'),
    },
    {
      name: 'a false pod condition explains Pending',
      status: podStatus('Pending', [waiting('step-a', 'ContainerCreating')], undefined, { conditions: [{ type: 'PodScheduled', status: 'False', message: 'no nodes' }] }),
      want: cond('Unknown', 'Pending', 'pod status "PodScheduled":"False"; message: "no nodes"'),
    },
    {
      name: 'a pod with nothing to say is just Pending',
      status: podStatus('Pending', [waiting('step-a', 'ContainerCreating')]),
      want: cond('Unknown', 'Pending', 'Pending'),
    },
    {
      name: 'an image pull error is PullImageFailed',
      status: podStatus('Pending', [waiting('step-a', 'ImagePullBackOff', 'Back-off pulling image "nope"')]),
      want: cond('Unknown', 'PullImageFailed', 'build step "step-a" is pending with reason "Back-off pulling image \\"nope\\""'),
    },
    {
      name: 'an unschedulable pod short of resources is ExceededNodeResources',
      status: podStatus('Pending', [waiting('step-a', 'ContainerCreating')], undefined, {
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/1 nodes: Insufficient cpu.' }],
      }),
      want: cond('Unknown', 'ExceededNodeResources', 'TaskRun Pod exceeded available resources'),
    },
    {
      name: 'a container config error fails the TaskRun',
      status: podStatus('Pending', [waiting('step-a', 'CreateContainerConfigError', 'secret "s" not found')]),
      want: cond('False', 'CreateContainerConfigError', 'Failed to create pod due to config error'),
    },
  ];
  for (const c of pending) {
    it(c.name, () => {
      const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec: spec(['a']), pod: pod(['step-a']), podStatus: c.status, now: NOW });
      assert.deepEqual(got.status.conditions, c.want);
      assert.equal(got.done, c.want[0].status !== 'Unknown');
    });
  }

  it('keeps lastTransitionTime when the condition does not change', () => {
    const tr = taskRun();
    tr.status!.conditions = cond('Unknown', 'Running', 'Not all Steps in the Task have finished executing').map((c) => ({ ...c, lastTransitionTime: '2026-01-01T00:00:30Z' }));
    const got = makeTaskRunStatusFromPod({ taskRun: tr, taskSpec: spec(['a']), pod: pod(['step-a']), podStatus: podStatus('Running', [running('step-a')]), now: NOW });
    assert.equal(got.status.conditions![0].lastTransitionTime, '2026-01-01T00:00:30Z');
  });
});
