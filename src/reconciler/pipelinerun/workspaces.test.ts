import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PipelineRun, PipelineSpec, PipelineTask } from '../../api/index.ts';
import { applyWorkspacesBound, propagateWorkspaces } from './workspaces.ts';

const pr = (bindings: string[]): PipelineRun =>
  ({
    apiVersion: 'tekton.dev/v1',
    kind: 'PipelineRun',
    metadata: { name: 'pr' },
    spec: { workspaces: bindings.map((name) => ({ name, emptyDir: {} })) },
  }) as PipelineRun;

describe('applyWorkspacesBound (resources.ApplyWorkspaces)', () => {
  const spec: PipelineSpec = { workspaces: [{ name: 'motd', optional: true }, { name: 'src' }], tasks: [] };
  const task: PipelineTask = {
    name: 't',
    when: [{ input: '$(workspaces.motd.bound)', operator: 'in', values: ['true'] }],
    params: [{ name: 'p', value: ['$(workspaces.src.bound)', '$(workspaces.motd.bound)'] }],
    taskSpec: { steps: [{ image: 'alpine', script: 'echo $(workspaces.motd.bound)' }] },
  };

  it('makes a bound workspace "true" and a declared but unbound one "false" in params and when', () => {
    const got = applyWorkspacesBound(task, spec, pr(['src']));
    assert.deepEqual(got.when, [{ input: 'false', operator: 'in', values: ['true'], cel: undefined }]);
    assert.deepEqual(got.params, [{ name: 'p', value: ['true', 'false'] }]);
  });

  it('leaves an inline taskSpec to the TaskRun, whose workspace names are its own', () => {
    const got = applyWorkspacesBound(task, spec, pr(['src', 'motd']));
    assert.equal(got.taskSpec?.steps?.[0]?.script, 'echo $(workspaces.motd.bound)');
    assert.equal(got.when?.[0]?.input, 'true');
  });
});

describe('propagateWorkspaces (pipelinerun.go propagateWorkspaces, TEP-0111)', () => {
  it('binds every workspace an inline taskSpec references that the PipelineTask does not bind', () => {
    const pt: PipelineTask = {
      name: 'fetch',
      workspaces: [{ name: 'given', workspace: 'other' }],
      taskSpec: {
        steps: [
          { image: 'ubuntu', script: 'cp $(workspaces.store.path)/a $(workspaces.shared.path)', env: [{ name: 'X', value: '$(workspaces.given.path)' }] },
          { image: 'ubuntu', command: ['cat'], args: ['$(workspaces.vault.path)/password'] },
        ],
        sidecars: [{ image: 'ubuntu', workingDir: '$(workspaces.side.path)' }],
      },
    };
    assert.deepEqual(propagateWorkspaces(pt).workspaces, [{ name: 'given', workspace: 'other' }, { name: 'shared' }, { name: 'side' }, { name: 'store' }, { name: 'vault' }]);
  });

  it('leaves a PipelineTask with a taskRef unchanged', () => {
    const pt: PipelineTask = { name: 'ref', taskRef: { name: 'some-task' } };
    assert.equal(propagateWorkspaces(pt), pt);
  });
});
