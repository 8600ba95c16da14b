import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KObject } from '../store/index.ts';
import { table } from './get.ts';
import { resourceFor } from './kinds.ts';

const now = new Date('2026-01-01T01:00:00Z');

describe('get: tables', () => {
  it("shows a run's Succeeded condition and its start and completion as ages", () => {
    const run: KObject = {
      apiVersion: 'tekton.dev/v1',
      kind: 'TaskRun',
      metadata: { name: 'build', namespace: 'ci' },
      status: { startTime: '2026-01-01T00:50:00Z', completionTime: '2026-01-01T00:59:00Z', conditions: [{ type: 'Succeeded', status: 'False', reason: 'Failed' }] },
    };
    assert.equal(
      table(resourceFor('tr')!, [run], true, now),
      'NAMESPACE   NAME      SUCCEEDED   REASON    STARTTIME   COMPLETIONTIME\nci          build     False       Failed    10m         60s\n',
    );
  });

  it("shows a pod's ready containers, status (Terminating when deleted) and restarts", () => {
    const pod = (name: string, extra: Partial<KObject['metadata']>, status: unknown): KObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, creationTimestamp: '2026-01-01T00:59:00Z', ...extra },
      spec: { containers: [{}, {}] },
      status,
    });
    const running = pod(
      'a',
      {},
      {
        phase: 'Running',
        containerStatuses: [
          { ready: true, restartCount: 1, state: { running: {} } },
          { ready: false, restartCount: 0, state: {} },
        ],
      },
    );
    const done = pod('b', {}, { phase: 'Succeeded', containerStatuses: [{ state: { terminated: { reason: 'Completed' } } }] });
    const going = pod('c', { deletionTimestamp: '2026-01-01T01:00:00Z' }, { phase: 'Running' });
    assert.equal(
      table(resourceFor('po')!, [running, done, going], false, now),
      'NAME      READY     STATUS        RESTARTS   AGE\na         1/2       Running       1          60s\nb         0/2       Completed     0          60s\nc         0/2       Terminating   0          60s\n',
    );
  });
});

describe('resourceFor', () => {
  it('knows the names kubectl and tkn accept', () => {
    for (const name of ['taskrun', 'TaskRuns', 'tr', 'taskruns.tekton.dev', 'taskrun.tekton.dev']) assert.equal(resourceFor(name)?.kind, 'TaskRun', name);
    assert.equal(resourceFor('pr')?.kind, 'PipelineRun');
    assert.equal(resourceFor('cm')?.kind, 'ConfigMap');
    assert.equal(resourceFor('configmaps.tekton.dev'), undefined);
    assert.equal(resourceFor('widgets'), undefined);
  });
});
