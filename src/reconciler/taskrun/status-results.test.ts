import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TaskSpec } from '../../api/index.ts';
import { makeTaskRunStatusFromPod, parseResultValue } from './status-index.ts';
import { msg, NOW, pod, podStatus, spec, started, taskRun, terminated } from './status-test-support.ts';

describe('parseResultValue', () => {
  const cases: { name: string; raw: string; declared?: 'string' | 'array' | 'object'; want: ReturnType<typeof parseResultValue> }[] = [
    { name: 'a declared string is kept verbatim, JSON or not', raw: '["a"]\n', declared: 'string', want: { type: 'string', value: '["a"]\n' } },
    { name: 'an array of strings becomes an array', raw: '["a","b"]\n', declared: 'array', want: { type: 'array', value: ['a', 'b'] } },
    { name: 'null array items become empty strings', raw: '["a",null]', declared: 'array', want: { type: 'array', value: ['a', ''] } },
    { name: 'an array of numbers stays raw text', raw: '[1,2]', declared: 'array', want: { type: 'string', value: '[1,2]' } },
    { name: 'an object of strings becomes an object', raw: '{"url":"u","digest":"d"}', declared: 'object', want: { type: 'object', value: { url: 'u', digest: 'd' } } },
    { name: 'a nested object stays raw text', raw: '{"a":{"b":"c"}}', declared: 'object', want: { type: 'string', value: '{"a":{"b":"c"}}' } },
    { name: 'a JSON string is decoded', raw: '"quoted"', declared: 'array', want: { type: 'string', value: 'quoted' } },
    { name: 'JSON null is an empty string', raw: 'null', declared: 'array', want: { type: 'string', value: '' } },
    { name: 'plain text is kept', raw: 'hello\n', declared: 'array', want: { type: 'string', value: 'hello\n' } },
    { name: 'an array with leading space is not an array', raw: ' ["a"]', declared: 'array', want: { type: 'string', value: ' ["a"]' } },
    { name: 'an undeclared result is typed by its content', raw: '["x"]', want: { type: 'array', value: ['x'] } },
    { name: 'an empty value is an empty string', raw: '', declared: 'array', want: { type: 'string', value: '' } },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(parseResultValue(c.raw, c.declared), c.want));
});

/** finish runs one successful step `a` that wrote the given entries. */
function finish(taskSpec: TaskSpec, ...entries: object[]) {
  const ps = podStatus('Succeeded', [terminated('step-a', 0, msg(started(), ...entries))]);
  return makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec, pod: pod(['step-a']), podStatus: ps, now: NOW });
}

const r = (key: string, value: string, type = 1) => ({ key, value, type });

describe('makeTaskRunStatusFromPod results', () => {
  it('types string, array and object results by their declarations', () => {
    const got = finish(
      spec(['a'], [{ name: 's' }, { name: 'arr', type: 'array' }, { name: 'obj', type: 'object', properties: { url: { type: 'string' } } }]),
      r('s', '["not","parsed"]'),
      r('arr', '["x","y"]'),
      r('obj', '{"url":"https://x"}'),
    );
    assert.deepEqual(got.status.results, [
      { name: 'arr', type: 'array', value: ['x', 'y'] },
      { name: 'obj', type: 'object', value: { url: 'https://x' } },
      { name: 's', type: 'string', value: '["not","parsed"]' },
    ]);
    assert.equal(got.status.conditions![0].reason, 'Succeeded');
  });

  it('fails with TaskRunValidationFailed when a result does not have its declared type', () => {
    const got = finish(
      spec(
        ['a'],
        [
          { name: 'arr', type: 'array' },
          { name: 'b', type: 'object' },
        ],
      ),
      r('arr', 'not json'),
      r('b', '["x"]'),
    );
    assert.deepEqual(got.done, true);
    assert.deepEqual(got.status.conditions, [
      {
        type: 'Succeeded',
        status: 'False',
        reason: 'TaskRunValidationFailed',
        lastTransitionTime: '2026-01-01T00:01:00Z',
        message:
          'Provided results don\'t match declared results; may be invalid JSON or missing result declaration:  "arr": task result is expected to be "array" type but was initialized to a different type "string", "b": task result is expected to be "object" type but was initialized to a different type "array"',
      },
    ]);
  });

  it('fails with TaskRunValidationFailed when an object result misses declared keys', () => {
    const got = finish(spec(['a'], [{ name: 'img', type: 'object', properties: { url: {}, digest: {} } }]), r('img', '{"url":"u"}'));
    assert.equal(got.status.conditions![0].reason, 'TaskRunValidationFailed');
    assert.equal(got.status.conditions![0].message, "missing keys for these results which are required in TaskResult's properties map[img:[digest]]");
  });

  it('reports an undeclared result typed by its content, as Tekton does', () => {
    const got = finish(spec(['a']), r('extra', '["x"]'));
    assert.deepEqual(got.status.results, [{ name: 'extra', type: 'array', value: ['x'] }]);
    assert.equal(got.status.conditions![0].reason, 'Succeeded');
  });

  it('reports step results on the step and feeds Task results whose value references them', () => {
    const taskSpec: TaskSpec = {
      steps: [{ name: 'a', image: 'img', results: [{ name: 'digest' }, { name: 'list', type: 'array' }] }],
      results: [
        { name: 'image-digest', value: '$(steps.a.results.digest)' },
        { name: 'items', type: 'array', value: '$(steps.a.results.list)' },
      ],
    };
    const got = finish(taskSpec, r('digest', 'sha256:1', 4), r('list', '["p","q"]', 4));
    assert.deepEqual(got.status.steps![0].results, [
      { name: 'digest', type: 'string', value: 'sha256:1' },
      { name: 'list', type: 'array', value: ['p', 'q'] },
    ]);
    assert.deepEqual(got.status.results, [
      { name: 'image-digest', type: 'string', value: 'sha256:1' },
      { name: 'items', type: 'array', value: ['p', 'q'] },
    ]);
    assert.equal(got.status.steps![0].terminated!.message, '[{"key":"digest","value":"sha256:1","type":4},{"key":"list","value":"[\\"p\\",\\"q\\"]","type":4}]');
  });

  it('keeps the first position and the last value of a result reported twice', () => {
    const ps = podStatus('Succeeded', [terminated('step-a', 0, msg(started(), r('x', '1'), r('y', '2'))), terminated('step-b', 0, msg(started(), r('x', '3')))]);
    const got = makeTaskRunStatusFromPod({
      taskRun: taskRun(),
      taskSpec: spec(['a', 'b'], [{ name: 'x' }, { name: 'y' }]),
      pod: pod(['step-a', 'step-b']),
      podStatus: ps,
      now: NOW,
    });
    assert.deepEqual(got.status.results, [
      { name: 'x', type: 'string', value: '3' },
      { name: 'y', type: 'string', value: '2' },
    ]);
  });

  it('reports results of a failed TaskRun too', () => {
    const ps = podStatus('Failed', [terminated('step-a', 1, msg(started(), r('x', 'partial')))]);
    const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec: spec(['a'], [{ name: 'x' }]), pod: pod(['step-a']), podStatus: ps, now: NOW });
    assert.deepEqual(got.status.results, [{ name: 'x', type: 'string', value: 'partial' }]);
    assert.equal(got.status.conditions![0].reason, 'StepFailed');
  });
});
