// conformance.test.ts: Tekton's own examples (tektoncd/pipeline examples/ at the shared corpus,
// ../shared/conformance/tekton-examples) judged the way Tekton's CI judges them: every file is
// validated (Tekton's webhook accepts all of them), every host-class file runs on the host executor
// and its first TaskRun/PipelineRun must end Succeeded=True — unless test/conformance/expected.ts
// lists it as a known gap, in which case it must still fail (a fixed gap must leave the table).
// Prints `conformance: host N/M, validate N/M`. The per-file table: `npm run conformance`.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, defaultJobs, gaps, judge, tektonRejects, problems, readIndex, score, scoreLine, shortName, type Outcome } from './conformance/index.ts';

const examples = readIndex();
const outcomes = new Map<string, Outcome>();

describe('the conformance corpus', () => {
  it("is Tekton's 152 example files, each present in the shared corpus", () => {
    assert.equal(examples.length, 152, `INDEX.tsv rows in ${corpusDir}`);
    for (const e of examples) assert.ok(existsSync(join(corpusDir, e.path)), `${e.path} exists`);
  });

  it('has a gap table naming only corpus files, each gap with a reason', () => {
    const names = new Set(examples.map((e) => shortName(e.path)));
    for (const [name, gap] of Object.entries(gaps)) {
      assert.ok(names.has(name), `${name} (gap table) is not a file of the corpus`);
      assert.ok(gap.validate?.trim() || gap.run?.trim(), `${name}: a gap says why (validate or run)`);
    }
    for (const [name, path] of Object.entries(tektonRejects)) {
      assert.ok(names.has(name), `${name} (Tekton rejects) is not a file of the corpus`);
      assert.ok(!(name in gaps) && path.startsWith('spec'), `${name}: a field path, and not also a gap`);
    }
  });
});

describe("Tekton's examples reach Tekton's outcome, or are a listed gap", () => {
  describe('each file', { concurrency: defaultJobs }, () => {
    for (const example of examples) {
      const name = shortName(example.path);
      const what = example.runClass === 'host' ? 'validates and runs to Succeeded=True' : `validates (${example.runClass}: not run on the host)`;
      it(`${name} ${what}`, async (t) => {
        const o = await judge(example);
        outcomes.set(name, o);
        const gap = gaps[name];
        if (gap) t.diagnostic(`known gap: ${gap.validate ? `validate: ${gap.validate}` : `run: ${gap.run}`}`);
        const found = problems(o, gap);
        assert.ok(found.length === 0, `${name} (${example.gate}, ${example.runClass}): ${found.join('\n')}`);
      });
    }
  });

  it('prints the score', () => {
    assert.equal(outcomes.size, examples.length, 'every file was judged');
    console.log(scoreLine(score(outcomes.values())));
  });
});
