import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PipelineRun, PipelineTask, TaskRun } from '../../api/index.ts';
import { defaultConfig } from '../../config/index.ts';
import { makeChildPipelineRuns, pipelineRefCycle } from './child-pipeline.ts';
import { childReferences, finallyStatusReplacements } from './facts.ts';
import { countTasks, finalReason, isFailed, taskStatus, type ResolvedPipelineTask } from './state.ts';

const parent: PipelineRun = {
  apiVersion: 'tekton.dev/v1',
  kind: 'PipelineRun',
  metadata: { name: 'release', namespace: 'ci', uid: 'uid-1', labels: { team: 'a' }, annotations: { note: 'x' } },
  spec: {
    pipelineRef: { name: 'release-pipeline' },
    taskRunTemplate: { serviceAccountName: 'builder' },
    timeouts: { pipeline: '2h' },
    workspaces: [
      { name: 'src', volumeClaimTemplate: { spec: {} } },
      { name: 'cfg', emptyDir: {}, subPath: 'conf' },
    ],
  },
};
const input = (pt: PipelineTask, isFinally = false) => ({ pr: parent, pipelineLabel: 'release-pipeline', pt, isFinally, config: defaultConfig() });

describe('makeChildPipelineRuns builds the child as createChildPipelineRun does', () => {
  it('names, labels and owns it; passes params, workspaces and taskRunTemplate, not timeouts', () => {
    const [child] = makeChildPipelineRuns(
      input({
        name: 'scan',
        pipelineRef: { name: 'security-scans' },
        params: [{ name: 'repo', value: 'r' }],
        workspaces: [
          { name: 'source', workspace: 'src', subPath: 'app' },
          { name: 'settings', workspace: 'cfg' },
          { name: 'unbound', workspace: 'nope' },
        ],
      }),
      undefined,
    );
    assert.equal(child.metadata.name, 'release-scan');
    assert.equal(child.metadata.namespace, 'ci');
    assert.deepEqual(child.metadata.labels, {
      team: 'a',
      'tekton.dev/pipeline': 'security-scans',
      'tekton.dev/pipelineRun': 'release',
      'tekton.dev/pipelineRunUID': 'uid-1',
      'tekton.dev/pipelineTask': 'scan',
      'tekton.dev/memberOf': 'tasks',
    });
    assert.deepEqual(child.metadata.annotations, { note: 'x' });
    assert.deepEqual(child.metadata.ownerReferences, [
      { apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'release', uid: 'uid-1', controller: true, blockOwnerDeletion: true },
    ]);
    assert.deepEqual(child.spec.pipelineRef, { name: 'security-scans' });
    assert.deepEqual(child.spec.params, [{ name: 'repo', value: 'r' }]);
    assert.equal(child.spec.timeouts, undefined);
    assert.deepEqual(child.spec.taskRunTemplate, { serviceAccountName: 'builder' });
    // The parent's volumeClaimTemplate is its one claim; subPaths join; an unbound optional workspace is left out.
    assert.equal(child.spec.workspaces?.length, 2);
    assert.deepEqual({ ...child.spec.workspaces![0], persistentVolumeClaim: undefined }, { name: 'source', subPath: 'app', persistentVolumeClaim: undefined });
    assert.match(child.spec.workspaces![0].persistentVolumeClaim!.claimName, /^pvc-/);
    assert.deepEqual(child.spec.workspaces![1], { name: 'settings', emptyDir: {}, subPath: 'conf' });
  });

  it("keeps the parent's pipeline label for an inline child, and marks finally children", () => {
    const [child] = makeChildPipelineRuns(input({ name: 'inline', pipelineSpec: { tasks: [{ name: 'x', taskRef: { name: 't' } }] } }, true), undefined);
    assert.equal(child.metadata.labels!['tekton.dev/pipeline'], 'release-pipeline');
    assert.equal(child.metadata.labels!['tekton.dev/memberOf'], 'finally');
    assert.deepEqual(child.spec.pipelineSpec, { tasks: [{ name: 'x', taskRef: { name: 't' } }] });
    assert.equal(child.spec.pipelineRef, undefined);
  });

  it('makes one child per matrix combination, named like matrixed TaskRuns', () => {
    const children = makeChildPipelineRuns(input({ name: 'm', pipelineRef: { name: 'p' } }), 3);
    assert.deepEqual(
      children.map((c) => c.metadata.name),
      ['release-m-0', 'release-m-1', 'release-m-2'],
    );
  });
});

describe('pipelineRefCycle is detectPipelineRefCycle', () => {
  it('finds the target among the owners and lists those walked before it', () => {
    assert.equal(
      pipelineRefCycle({ name: 'a', pipelineRef: { name: 'outer' } }, ['middle', 'outer', 'top']),
      'detected cycle in pipeline-in-pipeline: pipeline "outer" is already running in ancestor chain [middle]',
    );
    assert.equal(
      pipelineRefCycle({ name: 'a', pipelineRef: { name: 'self' } }, ['self']),
      'detected cycle in pipeline-in-pipeline: pipeline "self" is already running in ancestor chain []',
    );
  });
  it('lets other pipelines and inline specs through', () => {
    assert.equal(pipelineRefCycle({ name: 'a', pipelineRef: { name: 'other' } }, ['middle', 'outer']), undefined);
    assert.equal(pipelineRefCycle({ name: 'a', pipelineSpec: { tasks: [] } }, ['middle']), undefined);
  });
});

const run = (kind: 'TaskRun' | 'PipelineRun', status: 'True' | 'False', reason: string) =>
  ({ apiVersion: 'tekton.dev/v1', kind, metadata: { name: `r-${reason}` }, spec: {}, status: { conditions: [{ type: 'Succeeded', status, reason, message: '' }] } }) as
    | TaskRun
    | PipelineRun;
const childTask = (name: string, pr: PipelineRun, extra: Partial<PipelineTask> = {}): ResolvedPipelineTask => ({
  task: { name, pipelineRef: { name: 'p' }, ...extra },
  isFinally: false,
  taskRuns: [],
  pipelineRuns: [pr],
  running: false,
  done: true,
});

describe("a child PipelineRun's status is its PipelineTask's status (pipelinerunresolution.go)", () => {
  it('a failed child fails the task and the parent', () => {
    const t = childTask('deploy', run('PipelineRun', 'False', 'Failed') as PipelineRun);
    assert.equal(isFailed(t), true);
    assert.equal(taskStatus(t), 'Failed');
    assert.deepEqual(finalReason(countTasks([t]), false, 'pr'), { status: 'False', reason: 'Failed', message: 'Tasks Completed: 1 (Failed: 1, Cancelled 0), Skipped: 0' });
    const vars = finallyStatusReplacements([t]);
    assert.equal(vars.strings.get('tasks.deploy.reason'), 'Failed');
  });

  it('with onError continue the failure is ignored without touching the child', () => {
    const child = run('PipelineRun', 'False', 'Failed') as PipelineRun;
    const t = childTask('optional', child, { onError: 'continue' });
    assert.equal(isFailed(t), false);
    assert.deepEqual(finalReason(countTasks([t]), false, 'pr'), {
      status: 'True',
      reason: 'Succeeded',
      message: 'Tasks Completed: 1 (Failed: 1 (Ignored: 1), Cancelled 0), Skipped: 0',
    });
    assert.equal(child.status?.conditions?.[0]?.reason, 'Failed');
  });

  it('a cancelled child counts as cancelled, and is a PipelineRun child reference', () => {
    const t = childTask('inner', run('PipelineRun', 'False', 'Cancelled') as PipelineRun);
    assert.equal(countTasks([t]).cancelled, 1);
    assert.deepEqual(childReferences([t]), [{ apiVersion: 'tekton.dev/v1', kind: 'PipelineRun', name: 'r-Cancelled', pipelineTaskName: 'inner' }]);
  });
});
