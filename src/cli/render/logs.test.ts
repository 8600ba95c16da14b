import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { LogPrinter } from './logs.ts';

function printed(make: (out: PassThrough) => LogPrinter): string {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (b: Buffer) => chunks.push(b));
  const p = make(out);
  p.onEvent({ type: 'log', taskRun: 'run-1', task: 'build', container: 'step-compile', stream: 'stdout', data: Buffer.from('one\ntw') });
  p.onEvent({ type: 'log', taskRun: 'run-1', task: 'build', container: 'prepare', stream: 'stdout', data: Buffer.from('init noise\n') });
  p.onEvent({ type: 'log', taskRun: 'run-1', task: 'build', pipelineTask: 'compile-all', container: 'step-compile', stream: 'stdout', data: Buffer.from('o\n') });
  p.flush();
  return Buffer.concat(chunks).toString('utf8');
}

describe('LogPrinter prints step lines prefixed like tkn', () => {
  it('joins partial lines, hides init containers, and prefers the pipeline task name', () => {
    assert.equal(
      printed((out) => new LogPrinter(out)),
      '[build : compile] one\n[compile-all : compile] two\n',
    );
  });

  it('writes no color codes to a pipe even when CI is set (picocolors would)', () => {
    const saved = process.env.CI;
    process.env.CI = 'true';
    try {
      assert.doesNotMatch(
        printed((out) => new LogPrinter(out)),
        /\u001b\[/,
      );
    } finally {
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
  });

  it('prints a last line without newline under its [task : step], before the next step, not the TaskRun name', () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (b: Buffer) => chunks.push(b));
    const p = new LogPrinter(out);
    const log = (container: string, data: string) =>
      p.onEvent({ type: 'log', taskRun: 'run-1-fetch', task: 'git-clone', pipelineTask: 'fetch', container, stream: 'stdout', data: Buffer.from(data) });
    const taskRun = (steps: string[], status: string) => ({
      type: 'taskrun' as const,
      taskRun: {
        apiVersion: 'tekton.dev/v1',
        kind: 'TaskRun',
        metadata: { name: 'run-1-fetch' },
        spec: {},
        status: { conditions: [{ type: 'Succeeded', status }], steps: steps.map((s) => ({ name: s, container: `step-${s}`, terminated: { exitCode: 0 } })) },
      } as never,
    });
    log('step-one', 'first\nno newline');
    p.onEvent(taskRun([], 'Unknown'));
    log('step-one', ' here');
    p.onEvent(taskRun(['one'], 'Unknown'));
    log('step-two', 'second\nlast');
    p.onEvent(taskRun(['one', 'two'], 'True'));
    log('step-three', 'late\n');
    p.flush();
    assert.equal(Buffer.concat(chunks).toString('utf8'), '[fetch : one] first\n[fetch : one] no newline here\n[fetch : two] second\n[fetch : two] last\n[fetch : three] late\n');
  });
});
