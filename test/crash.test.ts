// crash.test.ts: `kill -9` of `tektite run` at 20 points of a PipelineRun. The next process on the
// state dir — `tektite controller`, or `tektite run` of the same file again — must find every
// unfinished run: Pods of the dead process are failed (NodeLost) and their processes killed, the
// interrupted TaskRuns fail, the PipelineRun carries on (finally runs) and ends; nothing stays
// Running and no step process is left behind.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from './helpers/cli.ts';
import { crashWhen, everythingEnded, processesWhere, recoverWithController, succeeded, until, type Run } from './helpers/crash.ts';
import { storedObjects } from './helpers/store.ts';

// A marker only this file's steps carry on their command line, to find leftovers in /proc.
const MARK = '0.3917';
const yaml = `apiVersion: tekton.dev/v1
kind: PipelineRun
metadata: {name: crashy}
spec:
  pipelineSpec:
    tasks:
    - {name: a, taskSpec: {steps: [{name: s, image: busybox, script: 'sleep ${MARK} & wait'}]}}
    - {name: b, runAfter: [a], taskSpec: {steps: [{name: s, image: busybox, script: 'sleep ${MARK}'}, {name: t, image: busybox, script: 'sleep ${MARK}'}]}}
    - {name: c, runAfter: [a], taskSpec: {steps: [{name: s, image: busybox, script: 'sleep ${MARK}'}]}}
    - {name: d, runAfter: [b, c], taskSpec: {steps: [{name: s, image: busybox, script: 'sleep ${MARK}'}]}}
    finally:
    - {name: f, taskSpec: {steps: [{name: s, image: busybox, script: 'sleep ${MARK}'}]}}
`;

describe('kill -9 of tektite run at 20 points of a PipelineRun', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tektite-crash-'));
  const file = join(dir, 'crashy.yaml');
  writeFileSync(file, yaml);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('ends every run, fails only what was interrupted, and leaves no process behind', async () => {
    // The whole run takes about 5 × MARK s plus start-up: spread the kills over it.
    const points = Array.from({ length: 20 }, (_, i) => 150 + i * 150);
    const outcomes: string[] = [];
    const one = async (delay: number, i: number) => {
      const state = join(dir, `state-${i}`);
      await crashWhen(file, state, delay);
      if (i % 2 === 0) {
        await recoverWithController(state);
      } else {
        // Running the same file again replaces the dead process's run, which must have ended first.
        const again = await runCli(['run', '-f', file, '--state-dir', state], 60_000);
        assert.equal(again.code, 0, `${again.stdout}\n${again.stderr}`);
      }
      assert.ok(everythingEnded(state), `everything ended in ${state}`);
      const pr = storedObjects<Run>(state, 'PipelineRun')[0];
      outcomes.push(`${delay}ms: ${pr ? succeeded(pr)?.reason : 'not created'}`);
    };
    for (let i = 0; i < points.length; i += 4) await Promise.all(points.slice(i, i + 4).map((d, j) => one(d, i + j)));
    await until('the crashed runs’ step processes to be gone', () => processesWhere((argv) => argv.includes(MARK)).length === 0, 10_000);
    // Some kills fell while a step ran: those PipelineRuns failed; the others ended as they would have.
    assert.ok(
      outcomes.every((o) => /: (Succeeded|Failed|not created)$/.test(o)),
      outcomes.join('\n'),
    );
  });
});
