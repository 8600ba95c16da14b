import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSidecarLogLine, SidecarLogResults, sizeExceededMessage, stepResultsFromSidecarLogs } from './sidecar-logs.ts';
import { makeTaskRunStatusFromPod } from './status-index.ts';
import { NOW, pod, podStatus, running, spec, taskRun, terminated } from './status-test-support.ts';

const line = (name: string, value: string, type = 'task') => `${JSON.stringify({ name, value, type })}\n`;

/** feed pushes text in chunks of the given size, as a log stream arrives. */
function feed(reader: SidecarLogResults, text: string, chunk: number): void {
  const b = Buffer.from(text);
  for (let i = 0; i < b.length; i += chunk) reader.push(b.subarray(i, i + chunk));
}

describe('SidecarLogResults (the results sidecar log, as the controller reads it)', () => {
  it('decodes lines split across chunks into task, step and artifact results', () => {
    const r = new SidecarLogResults(4096);
    feed(r, line('foo', 'a\nb') + line('step-a.digest', 'sha', 'step') + line('step-a', '{}', 'stepArtifact'), 7);
    assert.deepEqual(r.finish(), {
      results: [
        { key: 'foo', value: 'a\nb', type: 1 },
        { key: 'step-a.digest', value: 'sha', type: 4 },
        { key: 'step-a', value: '{}', type: 5 },
      ],
    });
  });

  it('accepts a line of exactly max-result-size bytes (CRLF or not) and a last line without newline', () => {
    const value = 'v'.repeat(100);
    const text = JSON.stringify({ name: 'r', value, type: 'task' });
    const r = new SidecarLogResults(text.length);
    feed(r, `${text}\r\n${text}`, 10);
    assert.deepEqual(
      r.finish().results.map((x) => x.value),
      [value, value],
    );
  });

  it("fails a line longer than max-result-size with Tekton's ErrSizeExceeded text, keeping earlier results", () => {
    const r = new SidecarLogResults(4096);
    const big = line('big', 'x'.repeat(5000));
    feed(r, line('small', 'ok') + big + line('after', 'never'), 1000);
    const got = r.finish();
    assert.deepEqual(got.results, [{ key: 'small', value: 'ok', type: 1 }]);
    assert.deepEqual(got.error, { sizeExceeded: true, message: `${big.length - 1} bytes results size exceeds configured limit of 4096 bytes` });
    assert.equal(sizeExceededMessage('tr', got.error!.message), `[User error]  TaskRun ""tr"" failed: ${big.length - 1} bytes results size exceeds configured limit of 4096 bytes`);
  });

  it('drops every result after an undecodable line, as parseResults does', () => {
    const r = new SidecarLogResults(4096);
    feed(r, `${line('a', '1')}2026/01/01 00:00:00 boom\n`, 64);
    const got = r.finish();
    assert.deepEqual(got.results, []);
    assert.equal(got.error?.sizeExceeded, false);
    assert.match(got.error!.message, /^invalid result "": /);
    assert.deepEqual(parseSidecarLogLine('{"name":"x","value":"v","type":"other"}'), { error: 'invalid sidecar result type other. Must be task or step or stepArtifact' });
  });

  it("picks a step container's <step>.<result> lines, renamed", () => {
    const all = [
      { key: 'step-a.r', value: '1', type: 4 },
      { key: 'step-b.r', value: '2', type: 4 },
      { key: 'step-a.x.y', value: '3', type: 4 },
      { key: 'step-a', value: '4', type: 1 },
    ];
    assert.deepEqual(stepResultsFromSidecarLogs(all, 'step-a'), [
      { key: 'r', value: '1', type: 4 },
      { key: 'x.y', value: '3', type: 4 },
    ]);
  });
});

describe('makeTaskRunStatusFromPod with sidecar-log results', () => {
  const taskSpec = {
    ...spec(
      ['a'],
      [
        { name: 'foo', type: 'array' as const },
        { name: 'fetched', type: 'string' as const, value: '$(steps.a.results.r)' },
      ],
    ),
    steps: [{ name: 'a', image: 'img', results: [{ name: 'r' }] }],
  };
  const p = pod(['step-a', 'sidecar-tekton-log-results']);
  const results = [
    { key: 'foo', value: '["x","y"]', type: 1 },
    { key: 'step-a.r', value: 'v', type: 4 },
  ];

  it('waits for the results sidecar before the TaskRun is done', () => {
    const ps = podStatus('Running', [terminated('step-a', 0), running('sidecar-tekton-log-results')]);
    const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec, pod: p, podStatus: ps, now: NOW, sidecarLogResults: [] });
    assert.equal(got.done, false);
    assert.equal(got.status.conditions?.[0].reason, 'Running');
  });

  it('takes task results, step results and the Task results fetched from step results from the sidecar', () => {
    const ps = podStatus('Running', [terminated('step-a', 0), terminated('sidecar-tekton-log-results', 0)]);
    const got = makeTaskRunStatusFromPod({ taskRun: taskRun(), taskSpec, pod: p, podStatus: ps, now: NOW, sidecarLogResults: results });
    assert.equal(got.done, true);
    assert.deepEqual(got.status.results, [
      { name: 'foo', type: 'array', value: ['x', 'y'] },
      { name: 'fetched', type: 'string', value: 'v' },
    ]);
    assert.deepEqual(got.status.steps?.[0].results, [{ name: 'r', type: 'string', value: 'v' }]);
    assert.deepEqual(
      got.status.sidecars?.map((s) => s.name),
      ['tekton-log-results'],
    );
  });
});
