import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Artifacts, PipelineTask, TaskRun } from '../../api/index.ts';
import { artifactValuesJSON, recordResults } from './facts.ts';
import type { ResolvedPipelineTask } from './state.ts';
import { applyToPipelineTask, emptyReplacements } from './variables.ts';

const run = (artifacts?: Artifacts): TaskRun => ({
  apiVersion: 'tekton.dev/v1',
  kind: 'TaskRun',
  metadata: { name: 'x' },
  spec: {},
  status: { conditions: [{ type: 'Succeeded', status: 'True', reason: 'Succeeded', message: '' }], ...(artifacts ? { artifacts } : {}) },
});
const done = (name: string, taskRuns: TaskRun[], task: Partial<PipelineTask> = {}): ResolvedPipelineTask => ({
  task: { name, ...task } as PipelineTask,
  isFinally: false,
  taskRuns,
  running: false,
  done: true,
});
const image = { name: 'image', values: [{ uri: 'pkg:oci/app', digest: { sha256: 'b', sha1: 'a' } }] };

describe('artifact propagation between PipelineTasks (PropagateArtifacts)', () => {
  it('marshals values as Go does: digest with sorted keys before uri, HTML characters escaped', () => {
    assert.equal(artifactValuesJSON(image.values), '[{"digest":{"sha1":"a","sha256":"b"},"uri":"pkg:oci/app"}]');
    assert.equal(artifactValuesJSON([{ uri: 'a<b&c' }]), '[{"uri":"a\\u003cb\\u0026c"}]');
    assert.equal(artifactValuesJSON(undefined), 'null');
  });

  it('substitutes `$(tasks.<t>.outputs.<a>)`, `$(tasks.<t>.inputs.<a>)` and the first-artifact forms into params and inline steps', () => {
    const vars = emptyReplacements();
    const src = { name: 'src', values: [{ uri: 'git:x' }] };
    recordResults(vars, done('build', [run({ inputs: [src], outputs: [image, { name: 'sbom', values: [{ uri: 'file:s' }] }] })]));
    const consumer: PipelineTask = {
      name: 'use',
      params: [{ name: 'img', value: '$(tasks.build.outputs.image)' }],
      taskSpec: { steps: [{ image: 'sh', script: 'echo $(tasks.build.inputs.src) $(tasks.build.outputs) $(tasks.build.outputs.sbom) $(tasks.build.outputs.none)' }] },
    };
    const out = applyToPipelineTask(consumer, vars);
    assert.equal(out.params?.[0].value, artifactValuesJSON(image.values));
    assert.equal(out.taskSpec?.steps?.[0].script, `echo [{"uri":"git:x"}] ${artifactValuesJSON(image.values)} [{"uri":"file:s"}] $(tasks.build.outputs.none)`);
  });

  it("merges the artifacts of a matrixed task's TaskRuns", () => {
    const vars = emptyReplacements();
    const other = { name: 'image', values: [{ uri: 'pkg:oci/other' }] };
    recordResults(vars, done('build', [run({ outputs: [image] }), run({ outputs: [other] }), run()], { matrix: { params: [] } }));
    assert.equal(vars.strings.get('tasks.build.outputs.image'), artifactValuesJSON([...image.values, ...other.values]));
  });
});
