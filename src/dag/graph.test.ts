import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { PipelineTask } from '../api/index.ts';
import { buildGraph, pipelineTaskDeps, Scheduler } from './index.ts';

const pt = (name: string, runAfter: string[] = [], params: Record<string, string> = {}): PipelineTask => ({
  name,
  runAfter,
  taskRef: { name: 't' },
  params: Object.entries(params).map(([n, value]) => ({ name: n, value })),
});

describe('pipelineTaskDeps collects runAfter and result references', () => {
  it('finds references in params, when and inline steps, in every form', () => {
    const t: PipelineTask = {
      name: 'c',
      runAfter: ['a'],
      params: [{ name: 'x', value: '$(tasks.b.results.out) $(tasks.d.results.arr[*])' }],
      when: [{ input: '$(tasks.e.results.flag)', operator: 'in', values: ['yes'] }],
      taskSpec: { steps: [{ image: 'x', script: 'echo $(tasks.f.results.obj.key) $(tasks.g.status)' }] },
    };
    assert.deepEqual(pipelineTaskDeps(t), ['a', 'b', 'd', 'e', 'f']);
  });

  it('counts artifact references (`$(tasks.<t>.inputs|outputs.<a>)`) as dependencies', () => {
    const t: PipelineTask = {
      name: 'c',
      params: [{ name: 'x', value: '$(tasks.build.outputs.image)' }],
      taskSpec: { steps: [{ image: 'x', script: 'echo $(tasks.fetch.inputs.source) $(tasks.other.outputs)' }] },
    };
    assert.deepEqual(pipelineTaskDeps(t), ['build', 'fetch']);
  });
});

describe('buildGraph reports Tekton messages', () => {
  const cases: [string, PipelineTask[], string][] = [
    ['a two-task cycle', [pt('a', ['b']), pt('b', ['a'])], 'cycle detected; task "a" depends on "b"'],
    ['a self reference', [pt('a', ['a'])], 'cycle detected; task "a" depends on "a"'],
    ['a cycle behind a chain', [pt('x'), pt('c', ['x', 'b']), pt('b', ['c'])], 'cycle detected; task "b" depends on "c"'],
    ['an unknown runAfter', [pt('a', ['nope'])], "couldn't add link between a and nope: task a depends on nope but nope wasn't present in Pipeline"],
    ['a duplicate task', [pt('a'), pt('a')], "task a is already present in Graph, can't add it again: duplicate pipeline task"],
  ];
  for (const [what, tasks, error] of cases) it(`for ${what}`, () => assert.deepEqual(buildGraph(tasks), { error }));
});

describe('Scheduler hands out tasks whose parents are done', () => {
  it('runs a fan-out/fan-in in waves', () => {
    const built = buildGraph([pt('a'), pt('b', ['a']), pt('c', [], { p: '$(tasks.a.results.r)' }), pt('d', ['b', 'c'])]);
    assert.ok('graph' in built);
    const s = new Scheduler(built.graph);
    assert.deepEqual(s.takeReady(), ['a']);
    s.markDone('a');
    assert.deepEqual(s.takeReady(), ['b', 'c']);
    s.markDone('c');
    assert.deepEqual(s.takeReady(), []);
    s.markDone('b');
    assert.deepEqual(s.takeReady(), ['d']);
    s.markDone('d');
    assert.equal(s.allDone, true);
  });
});
