import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskRunStatus } from '../../api/index.ts';
import { markTaskRunCancelled, markTaskRunTimedOut, prepareRetry } from './status-index.ts';
import { msg, NOW, POD, podStatus, running, started, terminated } from './status-test-support.ts';

const NOW_TEXT = '2026-01-01T00:01:00Z';
const doneA = {
  name: 'a',
  container: 'step-a',
  terminationReason: 'Completed',
  terminated: { exitCode: 0, reason: 'Completed', startedAt: '2026-01-01T00:00:01Z', finishedAt: '2026-01-01T00:00:10Z' },
};

/** observed is a running TaskRun's status: step a done, step b running, step c waiting. */
function observed(reason = 'Running', message = 'Not all Steps in the Task have finished executing'): TaskRunStatus {
  return {
    startTime: '2026-01-01T00:00:00Z',
    podName: POD,
    conditions: [{ type: 'Succeeded', status: 'Unknown', reason, message, lastTransitionTime: '2026-01-01T00:00:05Z' }],
    steps: [doneA, { name: 'b', container: 'step-b', running: { startedAt: '2026-01-01T00:00:11Z' } }, { name: 'c', container: 'step-c', waiting: { reason: 'PodInitializing' } }],
  };
}

const cutOff = (name: string, reason: string, startedAt?: string) => ({
  name,
  container: `step-${name}`,
  terminationReason: reason,
  terminated: {
    exitCode: 1,
    reason,
    message: `Step step-${name} terminated as pod ${POD} is terminated`,
    ...(startedAt ? { startedAt } : {}),
    finishedAt: NOW_TEXT,
  },
});

describe('markTaskRunCancelled', () => {
  it('fails as TaskRunCancelled and terminates running and waiting steps', () => {
    assert.deepEqual(markTaskRunCancelled(observed(), 'tr', undefined, undefined, NOW), {
      startTime: '2026-01-01T00:00:00Z',
      podName: POD,
      completionTime: NOW_TEXT,
      conditions: [{ type: 'Succeeded', status: 'False', reason: 'TaskRunCancelled', message: 'TaskRun "tr" was cancelled. ', lastTransitionTime: NOW_TEXT }],
      steps: [doneA, cutOff('b', 'TaskRunCancelled', '2026-01-01T00:00:11Z'), cutOff('c', 'TaskRunCancelled')],
    });
  });

  it('appends the statusMessage', () => {
    const got = markTaskRunCancelled(observed(), 'tr', 'TaskRun cancelled as the PipelineRun it belongs to has timed out.', undefined, NOW);
    assert.equal(got.conditions![0].message, 'TaskRun "tr" was cancelled. TaskRun cancelled as the PipelineRun it belongs to has timed out.');
  });

  it('treats steps the pod deletion killed before they wrote a termination message as still running', () => {
    const status = observed();
    const ps = podStatus('Failed', [terminated('step-a', 0, msg(started())), terminated('step-b', 137), running('step-c')]);
    const got = markTaskRunCancelled(status, 'tr', undefined, ps, NOW);
    assert.deepEqual(got.steps, [
      doneA,
      { ...cutOff('b', 'TaskRunCancelled', '2026-01-01T00:00:00Z'), imageID: 'docker-pullable://img@sha256:1' },
      { ...cutOff('c', 'TaskRunCancelled', '2026-01-01T00:00:00Z'), imageID: 'docker-pullable://img@sha256:1' },
    ]);
  });

  it('keeps the context of a meaningful earlier condition', () => {
    const got = markTaskRunCancelled(observed('ExceededResourceQuota', 'TaskRun Pod exceeded available resources'), 'tr', undefined, undefined, NOW);
    assert.equal(got.conditions![0].message, 'TaskRun "tr" was cancelled. \nPrevious status: [ExceededResourceQuota] TaskRun Pod exceeded available resources');
  });

  it('adds no context from a condition that is already final', () => {
    const status = observed();
    status.conditions = [{ type: 'Succeeded', status: 'False', reason: 'StepFailed', message: '"step-b" exited with code 137' }];
    assert.equal(markTaskRunTimedOut(status, 'tr', '2s', undefined, NOW).conditions![0].message, 'TaskRun "tr" failed to finish within "2s"');
  });

  it('leaves steps alone when there is no pod yet', () => {
    const status: TaskRunStatus = { conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'Started', message: '' }] };
    assert.deepEqual(markTaskRunCancelled(status, 'tr', undefined, undefined, NOW), {
      completionTime: NOW_TEXT,
      conditions: [{ type: 'Succeeded', status: 'False', reason: 'TaskRunCancelled', message: 'TaskRun "tr" was cancelled. ', lastTransitionTime: NOW_TEXT }],
    });
  });
});

describe('markTaskRunTimedOut', () => {
  it('fails as TaskRunTimeout with the timeout as Go prints a duration', () => {
    const got = markTaskRunTimedOut(observed(), 'tr', '1h', undefined, NOW);
    assert.deepEqual(got.conditions, [
      { type: 'Succeeded', status: 'False', reason: 'TaskRunTimeout', message: 'TaskRun "tr" failed to finish within "1h0m0s"', lastTransitionTime: NOW_TEXT },
    ]);
    assert.deepEqual(got.steps, [doneA, cutOff('b', 'TaskRunTimeout', '2026-01-01T00:00:11Z'), cutOff('c', 'TaskRunTimeout')]);
    assert.equal(got.completionTime, NOW_TEXT);
  });
});

describe('prepareRetry', () => {
  it('archives the failed attempt and resets the status for the next one', () => {
    const failed: TaskRunStatus = {
      startTime: '2026-01-01T00:00:00Z',
      completionTime: '2026-01-01T00:00:30Z',
      podName: POD,
      conditions: [{ type: 'Succeeded', status: 'False', reason: 'StepFailed', message: '"step-a" exited with code 1', lastTransitionTime: '2026-01-01T00:00:30Z' }],
      steps: [doneA],
      results: [{ name: 'x', type: 'string', value: 'v' }],
      retriesStatus: [{ podName: 'older', conditions: [] }],
    };
    const { retriesStatus: _older, ...attempt } = failed;
    assert.deepEqual(prepareRetry(failed, NOW), {
      conditions: [{ type: 'Succeeded', status: 'Unknown', reason: 'ToBeRetried', message: '"step-a" exited with code 1', lastTransitionTime: NOW_TEXT }],
      steps: [doneA],
      retriesStatus: [{ podName: 'older', conditions: [] }, attempt],
    });
  });
});
