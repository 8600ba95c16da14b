// expect.test.ts: the `# expect:` header reader used by the examples test.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpectations } from './expect.ts';

describe('parseExpectations', () => {
  const cases: Array<{ name: string; text: string; want: ReturnType<typeof parseExpectations> }> = [
    {
      name: 'reads status and reason',
      text: '# A comment.\n# expect: status=True reason=Succeeded\napiVersion: tekton.dev/v1\n',
      want: { ok: true, expectation: { status: 'True', reason: 'Succeeded', results: {}, logs: [] } },
    },
    {
      name: 'reads JSON result values with spaces, arrays and objects, over several lines',
      text: [
        '# expect: status=True reason=Succeeded result.a="abc\\n" result.b=["x y","z"]',
        '# expect: result.c={"k":"v w","n":"]"} result.d=plain log="Hello World" log=again',
      ].join('\n'),
      want: {
        ok: true,
        expectation: {
          status: 'True',
          reason: 'Succeeded',
          results: { a: 'abc\n', b: ['x y', 'z'], c: { k: 'v w', n: ']' }, d: 'plain' },
          logs: ['Hello World', 'again'],
        },
      },
    },
    {
      name: 'reads a message with escaped quotes',
      text: '# expect: status=False reason=StepFailed message="\\"step-fail\\" exited with code 3"',
      want: { ok: true, expectation: { status: 'False', reason: 'StepFailed', message: '"step-fail" exited with code 3', results: {}, logs: [] } },
    },
    {
      name: 'reads the PipelineRun keys: skipped tasks, absent results and child TaskRun subsets',
      text: [
        '# expect: status=True reason=Completed skipped=[{"name":"t","reason":"When Expressions evaluated to false"}]',
        '# expect: no-result=url no-result=digest taskrun.build={"spec":{"serviceAccountName":"builder"}}',
      ].join('\n'),
      want: {
        ok: true,
        expectation: {
          status: 'True',
          reason: 'Completed',
          results: {},
          logs: [],
          skipped: [{ name: 't', reason: 'When Expressions evaluated to false' }],
          absentResults: ['url', 'digest'],
          taskRuns: { build: { spec: { serviceAccountName: 'builder' } } },
        },
      },
    },
    {
      name: 'rejects a skipped list that is not an array',
      text: '# expect: status=True reason=Completed skipped={"name":"t"}',
      want: { ok: false, error: 'skipped must be a JSON array in "# expect: status=True reason=Completed skipped={\\"name\\":\\"t\\"}"' },
    },
    {
      name: 'rejects a child TaskRun expectation that is not an object',
      text: '# expect: status=True reason=Succeeded taskrun.build=["x"]',
      want: { ok: false, error: 'taskrun.build must be a JSON object in "# expect: status=True reason=Succeeded taskrun.build=[\\"x\\"]"' },
    },
    { name: 'rejects a file without a header', text: 'kind: TaskRun\n', want: { ok: false, error: 'no "# expect:" line' } },
    {
      name: 'rejects a header without a reason',
      text: '# expect: status=True',
      want: { ok: false, error: 'status= and reason= are required' },
    },
    {
      name: 'rejects an unknown key',
      text: '# expect: status=True reason=Succeeded colour=blue',
      want: { ok: false, error: 'unknown key "colour" in "# expect: status=True reason=Succeeded colour=blue"' },
    },
    {
      name: 'rejects an unterminated JSON value',
      text: '# expect: status=True reason=Succeeded result.a=["x"',
      want: { ok: false, error: 'unterminated JSON value for result.a in "# expect: status=True reason=Succeeded result.a=[\\"x\\""' },
    },
    {
      name: 'rejects a status that is not a condition status',
      text: '# expect: status=Yes reason=Succeeded',
      want: { ok: false, error: 'status must be True, False or Unknown, not Yes in "# expect: status=Yes reason=Succeeded"' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(parseExpectations(c.text), c.want);
    });
  }
});
