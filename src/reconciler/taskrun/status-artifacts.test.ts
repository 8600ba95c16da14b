import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeArtifacts, mergeArtifacts } from './status-artifacts.ts';
import { makeTaskRunStatusFromPod } from './status-index.ts';
import { msg, NOW, pod, podStatus, running, spec, started, taskRun, terminated } from './status-test-support.ts';

const image = { name: 'image', values: [{ uri: 'pkg:oci/app@sha256:1', digest: { sha256: '1' } }] };
const src = { name: 'source', values: [{ uri: 'git:repo', digest: { sha1: 'a' } }] };
const stepArt = (a: object) => ({ key: 'step-build', value: JSON.stringify(a), type: 5 });
const taskArt = (a: object) => ({ key: '/tekton/artifacts/provenance.json', value: JSON.stringify(a), type: 6 });

describe('decodeArtifacts', () => {
  it('reads inputs and outputs, dropping unknown fields and empty ones', () => {
    assert.deepEqual(decodeArtifacts(JSON.stringify({ inputs: [src], outputs: [{ ...image, buildOutput: true, extra: 1 }], other: [] })), {
      inputs: [src],
      outputs: [{ ...image, buildOutput: true }],
    });
  });

  it('rejects JSON of the wrong shape', () => {
    assert.equal(decodeArtifacts('{"inputs":{}}'), undefined);
    assert.equal(decodeArtifacts('{"outputs":[{"values":[{"digest":{"sha256":1}}]}]}'), undefined);
    assert.equal(decodeArtifacts('not json'), undefined);
  });
});

describe('mergeArtifacts', () => {
  it('unions values per name without duplicates; buildOutput only turns on; inputs lose it', () => {
    const other = { uri: 'pkg:oci/app@sha256:2' };
    const merged = mergeArtifacts(
      { inputs: [src], outputs: [image] },
      { inputs: [{ ...src, buildOutput: true }], outputs: [{ name: 'image', values: [image.values[0], other], buildOutput: true }, { name: 'log' }] },
    );
    assert.deepEqual(merged, {
      inputs: [src],
      outputs: [{ name: 'image', values: [...image.values, other], buildOutput: true }, { name: 'log' }],
    });
  });
});

describe('TaskRun status artifacts', () => {
  it('fills status.steps inputs/outputs and merges the steps and TaskRun artifacts into status.artifacts', () => {
    const { status } = makeTaskRunStatusFromPod({
      taskRun: taskRun(),
      taskSpec: spec(['build', 'push']),
      pod: pod(['step-build', 'step-push']),
      now: NOW,
      podStatus: podStatus('Succeeded', [
        terminated('step-build', 0, msg(started(), stepArt({ inputs: [src], outputs: [image] }))),
        terminated('step-push', 0, msg(started(), taskArt({ outputs: [{ name: 'image', values: [{ uri: 'x' }] }] }))),
      ]),
    });
    assert.deepEqual(
      status.steps?.map((s) => [s.name, s.inputs, s.outputs]),
      [
        ['build', [src], [image]],
        ['push', undefined, undefined],
      ],
    );
    assert.deepEqual(status.artifacts, { inputs: [src], outputs: [{ name: 'image', values: [...image.values, { uri: 'x' }] }] });
    // The artifact entries stay in the step's termination message, as in Tekton.
    assert.match(status.steps![0].terminated!.message!, /"type":5/);
  });

  it('reads them from the results sidecar under results-from=sidecar-logs', () => {
    const { status } = makeTaskRunStatusFromPod({
      taskRun: taskRun(),
      taskSpec: spec(['build']),
      pod: pod(['step-build', 'sidecar-tekton-log-results']),
      now: NOW,
      podStatus: podStatus('Succeeded', [terminated('step-build', 0, msg(started())), terminated('sidecar-tekton-log-results', 0)]),
      sidecarLogResults: [{ key: 'step-build', value: JSON.stringify({ outputs: [image] }), type: 5 }],
    });
    assert.deepEqual(status.steps?.[0].outputs, [image]);
    assert.deepEqual(status.artifacts, { outputs: [image] });
  });

  it('shows step artifacts while running but leaves status.artifacts until the TaskRun is done', () => {
    const { status } = makeTaskRunStatusFromPod({
      taskRun: taskRun(),
      taskSpec: spec(['build', 'push']),
      pod: pod(['step-build', 'step-push']),
      now: NOW,
      podStatus: podStatus('Running', [terminated('step-build', 0, msg(started(), stepArt({ outputs: [image] }))), running('step-push')]),
    });
    assert.deepEqual(status.steps?.[0].outputs, [image]);
    assert.equal(status.artifacts, undefined);
  });

  it('ignores a malformed artifacts entry, keeping the rest of the status', () => {
    const { status, done } = makeTaskRunStatusFromPod({
      taskRun: taskRun(),
      taskSpec: spec(['build']),
      pod: pod(['step-build']),
      now: NOW,
      podStatus: podStatus('Succeeded', [terminated('step-build', 0, msg(started(), { key: 'step-build', value: '{"outputs":3}', type: 5 }))]),
    });
    assert.equal(done, true);
    assert.equal(status.steps?.[0].outputs, undefined);
    assert.deepEqual(status.artifacts, {});
  });
});
