// reconciler.test.ts: pipelineRunReconciler over a memory store, the test playing the TaskRun controller.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SkippingReason } from './state.ts';
import { NS, addPipeline, addRun, alpha, cond, echo, finishChild, getRun, harness, taskRunNames, taskRuns } from './reconciler-test-support.ts';

const ok = { ok: true };

describe('pipelineRunReconciler over a store, the test playing the TaskRun controller', () => {
  it('runs a linear DAG one child at a time, passing results, and ends Succeeded with pipeline results', async () => {
    const h = harness();
    await addPipeline(h.store, 'p', {
      params: [{ name: 'greeting', type: 'string', default: 'hi' }],
      tasks: [
        { name: 'a', taskSpec: echo(['out'], ['g']), params: [{ name: 'g', value: '$(params.greeting)' }] },
        { name: 'b', taskSpec: echo([], ['in']), params: [{ name: 'in', value: '$(tasks.a.results.out)' }] },
      ],
      results: [{ name: 'final', value: '$(tasks.a.results.out)' }],
    });
    await addRun(h.store, { pipelineRef: { name: 'p' } });
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a']);
    const [a] = await taskRuns(h.store);
    assert.deepEqual(a!.spec.params, [{ name: 'g', value: 'hi' }]);
    assert.equal(a!.metadata.labels!['tekton.dev/pipelineRun'], 'run');
    assert.equal(a!.metadata.labels!['tekton.dev/pipeline'], 'p');
    assert.equal(a!.metadata.labels!['tekton.dev/pipelineTask'], 'a');
    const pr = await getRun(h.store);
    assert.equal(a!.metadata.ownerReferences?.[0]?.uid, pr.metadata.uid);
    assert.deepEqual(cond(pr), { status: 'Unknown', reason: 'Running', message: 'Tasks Completed: 0 (Failed: 0, Cancelled 0), Incomplete: 2, Skipped: 0' });
    assert.equal(pr.spec.timeouts?.pipeline, '1h0m0s');
    assert.ok(pr.status?.startTime);

    await h.reconcile(); // nothing changed: nothing new
    assert.deepEqual(await taskRunNames(h.store), ['run-a']);
    await finishChild(h.store, 'run-a', { ok: true, results: [{ name: 'out', value: 'hello' }] });
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-b']);
    assert.deepEqual((await taskRuns(h.store))[1]!.spec.params, [{ name: 'in', value: 'hello' }]);
    await finishChild(h.store, 'run-b', ok);
    assert.equal(await h.reconcile(), undefined);
    const done = await getRun(h.store);
    assert.deepEqual(cond(done), { status: 'True', reason: 'Succeeded', message: 'Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 0' });
    assert.deepEqual(done.status?.results, [{ name: 'final', value: 'hello' }]);
    assert.deepEqual(
      done.status?.childReferences?.map((c) => [c.kind, c.name, c.pipelineTaskName]),
      [
        ['TaskRun', 'run-a', 'a'],
        ['TaskRun', 'run-b', 'b'],
      ],
    );
    assert.ok(done.status?.completionTime);
    assert.ok(done.status?.pipelineSpec);
  });

  it('waits for every parent of a fan-in task', async () => {
    const h = harness();
    await addRun(h.store, {
      pipelineSpec: {
        tasks: [
          { name: 'a', taskSpec: echo() },
          { name: 'b', taskSpec: echo() },
          { name: 'c', runAfter: ['a', 'b'], taskSpec: echo() },
        ],
      },
    });
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-b']);
    await finishChild(h.store, 'run-a', ok);
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-b']);
    await finishChild(h.store, 'run-b', ok);
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-b', 'run-c']);
    assert.equal((await taskRuns(h.store))[2]!.metadata.labels!['tekton.dev/pipeline'], 'run');
  });

  it('skips what follows a failure (stopping) and ends Failed', async () => {
    const h = harness();
    await addRun(h.store, {
      pipelineSpec: {
        tasks: [
          { name: 'a', taskSpec: echo() },
          { name: 'slow', taskSpec: echo() },
          { name: 'b', runAfter: ['a'], taskSpec: echo() },
        ],
      },
    });
    await h.reconcile();
    await finishChild(h.store, 'run-a', { ok: false });
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-slow']);
    let pr = await getRun(h.store);
    assert.equal(cond(pr)?.reason, 'PipelineRunStopping');
    assert.deepEqual(pr.status?.skippedTasks, [{ name: 'b', reason: SkippingReason.Stopping }]);
    await finishChild(h.store, 'run-slow', ok);
    await h.reconcile();
    pr = await getRun(h.store);
    assert.deepEqual(cond(pr), { status: 'False', reason: 'Failed', message: 'Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 1' });
  });

  it('gives finally tasks $(tasks.<t>.status) and $(tasks.status), and runs them after a failure', async () => {
    const h = harness();
    await addRun(h.store, {
      pipelineSpec: {
        tasks: [{ name: 'a', taskSpec: echo() }],
        finally: [
          {
            name: 'report',
            taskSpec: echo([], ['one', 'all']),
            params: [
              { name: 'one', value: '$(tasks.a.status)' },
              { name: 'all', value: '$(tasks.status)' },
            ],
          },
        ],
      },
    });
    await h.reconcile();
    await finishChild(h.store, 'run-a', { ok: false });
    await h.reconcile();
    const report = (await taskRuns(h.store)).find((t) => t.metadata.name === 'run-report')!;
    assert.deepEqual(report.spec.params, [
      { name: 'one', value: 'Failed' },
      { name: 'all', value: 'Failed' },
    ]);
    assert.equal(report.metadata.labels!['tekton.dev/memberOf'], 'finally');
    let pr = await getRun(h.store);
    assert.ok(pr.status?.finallyStartTime);
    assert.equal(cond(pr)?.reason, 'Running');
    await finishChild(h.store, 'run-report', ok);
    await h.reconcile();
    pr = await getRun(h.store);
    assert.deepEqual(cond(pr), { status: 'False', reason: 'Failed', message: 'Tasks Completed: 2 (Failed: 1, Cancelled 0), Skipped: 0' });
  });

  it('skips a task whose when expression is false, keeps the expressions, and ends Completed', async () => {
    const h = harness();
    const when = [{ input: '$(params.go)', operator: 'in' as const, values: ['yes'] }];
    await addRun(h.store, {
      params: [{ name: 'go', value: 'no' }],
      pipelineSpec: {
        params: [{ name: 'go', type: 'string' }],
        tasks: [
          { name: 'a', taskSpec: echo() },
          { name: 'maybe', when, taskSpec: echo() },
          { name: 'after', runAfter: ['maybe'], taskSpec: echo() },
        ],
      },
    });
    await h.reconcile();
    // A when skip does not skip the tasks that run after it (Tekton: only its own results are missing).
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-after']);
    const pr = await getRun(h.store);
    assert.deepEqual(pr.status?.skippedTasks, [{ name: 'maybe', reason: SkippingReason.When, whenExpressions: [{ input: 'no', operator: 'in', values: ['yes'] }] }]);
    await finishChild(h.store, 'run-a', ok);
    await finishChild(h.store, 'run-after', ok);
    await h.reconcile();
    assert.deepEqual(cond(await getRun(h.store)), { status: 'True', reason: 'Completed', message: 'Tasks Completed: 2 (Failed: 0, Cancelled 0), Skipped: 1' });
  });

  it('fails with CELEvaluationFailed before anything runs', async () => {
    const h = harness({ config: alpha() });
    await addRun(h.store, { pipelineSpec: { tasks: [{ name: 'a', when: [{ cel: "'a' == " }], taskSpec: echo() }] } });
    await h.reconcile();
    const pr = await getRun(h.store);
    assert.equal(cond(pr)?.reason, 'CELEvaluationFailed');
    assert.match(cond(pr)!.message!, /^Error evaluating CEL run: \[User error\] /);
    assert.deepEqual(await taskRunNames(h.store), []);
  });

  it('fans a matrix out by index and aggregates its results into an array', async () => {
    const h = harness();
    await addRun(h.store, {
      pipelineSpec: {
        tasks: [
          { name: 'm', taskSpec: echo(['r'], ['x']), matrix: { params: [{ name: 'x', value: ['one', 'two'] }] } },
          { name: 'use', taskSpec: { ...echo(), params: [{ name: 'all', type: 'array' }] }, params: [{ name: 'all', value: '$(tasks.m.results.r[*])' }] },
        ],
      },
    });
    await h.reconcile();
    const trs = await taskRuns(h.store);
    assert.deepEqual(
      trs.map((t) => [t.metadata.name, t.spec.params]),
      [
        ['run-m-0', [{ name: 'x', value: 'one' }]],
        ['run-m-1', [{ name: 'x', value: 'two' }]],
      ],
    );
    await finishChild(h.store, 'run-m-1', { ok: true, results: [{ name: 'r', value: 'R2' }] });
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-m-0', 'run-m-1'], 'one combination still runs');
    await finishChild(h.store, 'run-m-0', { ok: true, results: [{ name: 'r', value: 'R1' }] });
    await h.reconcile();
    const use = (await taskRuns(h.store)).find((t) => t.metadata.name === 'run-use')!;
    assert.deepEqual(use.spec.params, [{ name: 'all', value: ['R1', 'R2'] }]);
  });

  it('re-creates a matrix child that is missing (a crash between two creates)', async () => {
    const h = harness();
    await addRun(h.store, { pipelineSpec: { tasks: [{ name: 'm', taskSpec: echo([], ['x']), matrix: { params: [{ name: 'x', value: ['1', '2'] }] } }] } });
    await h.reconcile();
    await h.store.delete({ kind: 'TaskRun', namespace: NS, name: 'run-m-1' });
    await finishChild(h.store, 'run-m-0', ok);
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-m-0', 'run-m-1']);
    assert.equal(cond(await getRun(h.store))?.status, 'Unknown');
  });

  it('fails with ValidationFailed when a successful task did not emit a result another needs', async () => {
    const h = harness();
    await addRun(h.store, {
      pipelineSpec: {
        tasks: [
          { name: 'a', taskSpec: echo(['r']) },
          { name: 'b', taskSpec: echo([], ['in']), params: [{ name: 'in', value: '$(tasks.a.results.r)' }] },
        ],
      },
    });
    await h.reconcile();
    await finishChild(h.store, 'run-a', ok);
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a']);
    const pr = await getRun(h.store);
    assert.equal(cond(pr)?.reason, 'PipelineValidationFailed');
    assert.equal(
      cond(pr)?.message,
      'Tasks Completed: 1 (Failed: 0, Cancelled 0), Skipped: 0, Failed Validation: 1 (task "a" completed successfully but did not emit the result "r", which is referenced by task "b")',
    );
  });
});

describe('pipelineRunReconciler: what children carry', () => {
  it('passes PipelineTask retries, timeout and onError to the child TaskRun', async () => {
    const h = harness();
    await addRun(h.store, {
      pipelineSpec: {
        tasks: [
          { name: 'a', timeout: '30s', onError: 'continue', taskSpec: echo() },
          { name: 'b', runAfter: ['a'], retries: 2, taskSpec: echo() },
        ],
      },
    });
    await h.reconcile();
    const [a] = await taskRuns(h.store);
    assert.equal(a!.spec.timeout, '30s');
    assert.equal(a!.metadata.annotations?.['pipeline.tekton.dev/pipeline-task-on-error'], 'continue');
    // The TaskRun controller decides FailureIgnored (status.ts); the PipelineRun goes on.
    await finishChild(h.store, 'run-a', { ok: false, reason: 'FailureIgnored' });
    await h.reconcile();
    assert.deepEqual(await taskRunNames(h.store), ['run-a', 'run-b']);
    assert.equal((await taskRuns(h.store))[1]!.spec.retries, 2);
    await finishChild(h.store, 'run-b', ok);
    await h.reconcile();
    assert.deepEqual(cond(await getRun(h.store)), { status: 'True', reason: 'Succeeded', message: 'Tasks Completed: 2 (Failed: 1 (Ignored: 1), Cancelled 0), Skipped: 0' });
  });

  it('never re-marks a failed child as ignored itself', async () => {
    const h = harness();
    await addRun(h.store, { pipelineSpec: { tasks: [{ name: 'a', onError: 'continue', taskSpec: echo() }] } });
    await h.reconcile();
    await finishChild(h.store, 'run-a', { ok: false });
    await h.reconcile();
    assert.equal(cond((await taskRuns(h.store))[0]!)?.reason, 'Failed');
    assert.equal(cond(await getRun(h.store))?.reason, 'Failed');
  });
});
