// verdict.test.ts: the gap table's rules — a regression fails, a fixed gap fails until removed, the score counts outcomes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Example } from './corpus.ts';
import type { Outcome } from './judge.ts';
import { nowPasses, problems, score, scoreLine } from './verdict.ts';

const host: Example = { path: 'examples/v1/taskruns/x.yaml', gate: 'stable', extraFlags: [], upstreamCi: true, runClass: 'host', needs: '' };
const cluster: Example = { ...host, runClass: 'cluster' };
const ok: Outcome = { example: host, validate: { accepted: true, detail: '' }, run: { ok: true, status: 'True/Succeeded', detail: '' }, seconds: 1 };
const runFails: Outcome = { ...ok, run: { ok: false, status: 'False/Failed', detail: 'boom' } };
const rejected: Outcome = { ...ok, validate: { accepted: false, detail: 'spec.x: bad' }, run: { ok: false, status: 'invalid', detail: '' } };

describe('problems', () => {
  it('accepts a passing file with no gap, and a failing file with its gap', () => {
    assert.deepEqual(problems(ok, undefined), []);
    assert.deepEqual(problems(runFails, { run: 'r' }), []);
    assert.deepEqual(problems(rejected, { validate: 'v' }), [], 'a validate gap covers the run');
  });

  it('reports a regression: a file not in the table that fails', () => {
    assert.match(problems(runFails, undefined).join(), /run ends False\/Failed/);
    assert.match(problems(rejected, undefined).join(), /validate rejects it.*spec\.x: bad/);
  });

  it('reports a gap that now passes', () => {
    assert.match(problems(ok, { run: 'r' }).join(), new RegExp(nowPasses));
    assert.match(problems({ ...runFails }, { validate: 'v' }).join(), new RegExp(`validate ${nowPasses}`));
  });

  it('reports a run gap on a file that is not run on the host', () => {
    assert.equal(problems({ example: cluster, validate: { accepted: true, detail: '' }, seconds: 0 }, { run: 'r' }).length, 1);
  });
});

describe('files Tekton rejects', () => {
  it("must be rejected at Tekton's field path, and then reach Tekton's outcome", () => {
    const atPath: Outcome = { ...rejected, validate: { accepted: false, detail: 'Task "t": spec.steps[0].script: non-existent variable' } };
    assert.deepEqual(problems(atPath, undefined, 'spec.steps[0].script'), []);
    assert.match(problems(ok, undefined, 'spec.steps[0].script').join(), /validate accepts it; Tekton's webhook rejects it at spec\.steps\[0\]\.script/);
    assert.match(problems(rejected, undefined, 'spec.steps[0].script').join(), /not at spec\.steps\[0\]\.script/);
    assert.equal(scoreLine(score([atPath, ok], { 'taskruns/x.yaml': 'spec.steps[0].script' })), 'conformance: host 2/2, validate 2/2');
  });
});

describe('score', () => {
  it("counts validated files and host files reaching Tekton's outcome", () => {
    const clusterOk: Outcome = { example: cluster, validate: { accepted: true, detail: '' }, seconds: 0 };
    assert.equal(scoreLine(score([ok, runFails, rejected, clusterOk])), 'conformance: host 1/3, validate 3/4');
  });
});
