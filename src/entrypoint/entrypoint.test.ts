import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { STARTED, Sandbox, run, sh, stepFlags } from './test-support.ts';

process.env.TZ = 'UTC';

describe('runEntrypointCommand running a step', () => {
  it('runs the command, writes the post file, exitCode 0 and StartedAt, and creates the metadata dirs', async () => {
    const sb = new Sandbox();
    const r = await run(sb, [...stepFlags(0), ...sh('echo hello; echo oops >&2')]);
    assert.deepEqual(r, { code: 0, stdout: 'hello\n', stderr: 'oops\n' });
    assert.equal(sb.read('/tekton/run/0/out'), '');
    assert.equal(sb.read('/tekton/run/0/status/exitCode'), '0');
    assert.ok(sb.exists('/tekton/run/0/status/results') && sb.exists('/tekton/run/0/status/artifacts'));
    assert.deepEqual(sb.termination(0), [STARTED]);
  });

  it('writes only <post_file>.err on failure and exits with the command status', async () => {
    const sb = new Sandbox();
    const r = await run(sb, [...stepFlags(0), ...sh('exit 3')]);
    assert.deepEqual(r, { code: 3, stdout: '', stderr: '' });
    assert.ok(sb.exists('/tekton/run/0/out.err'));
    assert.ok(!sb.exists('/tekton/run/0/out') && !sb.exists('/tekton/run/0/status/exitCode'));
  });

  it('orders three steps started together only through their wait files', async () => {
    const sb = new Sandbox();
    const log = sb.path('/tekton/order.log');
    const steps = [2, 1, 0].map((i) => run(sb, [...stepFlags(i), ...sh(`${i === 0 ? 'sleep 0.2; ' : ''}echo ${i} >> ${log}`)]));
    const results = await Promise.all(steps);
    assert.deepEqual(
      results.map((r) => r.code),
      [0, 0, 0],
    );
    assert.equal(readFileSync(log, 'utf8'), '0\n1\n2\n');
  });

  it('skips every later step of a chain once a step fails, each writing .err and Reason Skipped', async () => {
    const sb = new Sandbox();
    const marker = sb.path('/tekton/ran');
    const steps = [2, 1, 0].map((i) => run(sb, [...stepFlags(i), ...sh(i === 0 ? 'sleep 0.1; exit 1' : `touch ${marker}`)]));
    const [two, one, zero] = await Promise.all(steps);
    assert.equal(zero.code, 1);
    for (const r of [one, two]) assert.deepEqual(r, { code: 1, stdout: '', stderr: 'Skipping step because a previous step failed\n' });
    assert.ok(!existsSync(marker));
    assert.ok(sb.exists('/tekton/run/1/out.err') && sb.exists('/tekton/run/2/out.err'));
    assert.deepEqual(sb.termination(2), [STARTED, { key: 'Reason', value: 'Skipped', type: 3 }]);
  });

  it('with -on_error continue exits 0, writes the post file, exitCode and an ExitCode entry', async () => {
    const sb = new Sandbox();
    const r = await run(sb, [...stepFlags(0), '-on_error', 'continue', ...sh('exit 5')]);
    assert.equal(r.code, 0);
    assert.ok(sb.exists('/tekton/run/0/out') && !sb.exists('/tekton/run/0/out.err'));
    assert.equal(sb.read('/tekton/run/0/status/exitCode'), '5');
    assert.deepEqual(sb.termination(0), [STARTED, { key: 'ExitCode', value: '5', type: 3 }]);
  });

  it('fails a timed-out step with TimeoutExceeded even with -on_error continue', async () => {
    const sb = new Sandbox();
    const r = await run(sb, [...stepFlags(0), '-on_error', 'continue', '-timeout', '200ms', ...sh('sleep 30')]);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: 'context deadline exceeded\n' });
    assert.ok(sb.exists('/tekton/run/0/out.err') && !sb.exists('/tekton/run/0/status/exitCode'));
    assert.deepEqual(sb.termination(0), [STARTED, { key: 'Reason', value: 'TimeoutExceeded', type: 3 }]);
  });

  it('rejects a negative timeout', async () => {
    const sb = new Sandbox();
    const r = await run(sb, [...stepFlags(0), '-timeout=-1s', ...sh('echo never')]);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: 'Error executing command: negative timeout specified\n' });
    assert.ok(sb.exists('/tekton/run/0/out.err'));
  });

  it('reports a command that cannot start the way Go os/exec does', async () => {
    const sb = new Sandbox();
    const r = await run(sb, [...stepFlags(0), '-entrypoint', 'tektite-no-such-command', '--']);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: 'Error executing command: exec: "tektite-no-such-command": executable file not found in $PATH\n' });
    assert.ok(sb.exists('/tekton/run/0/out.err'));
  });

  it('puts task results and step results verbatim into the termination message, ignoring missing ones', async () => {
    const sb = new Sandbox();
    const results = sb.path('/tekton/results');
    const stepResults = sb.path('/tekton/run/0/status/results');
    mkdirSync(results, { recursive: true });
    const script = `printf 'abc\\n' > ${results}/r1; printf '["a","b"]' > ${stepResults}/s1`;
    const r = await run(sb, [...stepFlags(0), '-results', 'r1,missing', '-step_results', 's1', ...sh(script)]);
    assert.equal(r.code, 0);
    assert.deepEqual(sb.termination(0), [{ key: 'r1', value: 'abc\n', type: 1 }, { key: 's1', value: '["a","b"]', type: 4 }, STARTED]);
  });

  it('leaves results out of the termination message with -result_from sidecar-logs', async () => {
    const sb = new Sandbox();
    mkdirSync(sb.path('/tekton/results'), { recursive: true });
    const r = await run(sb, [...stepFlags(0), '-result_from', 'sidecar-logs', '-results', 'r1', ...sh(`echo x > ${sb.path('/tekton/results/r1')}`)]);
    assert.equal(r.code, 0);
    assert.deepEqual(sb.termination(0), [STARTED]);
  });

  it('fails the container when results exceed 4096 bytes, after the post file was written', async () => {
    const sb = new Sandbox();
    mkdirSync(sb.path('/tekton/results'), { recursive: true });
    const r = await run(sb, [...stepFlags(0), '-results', 'big', ...sh(`head -c 5000 /dev/zero | tr '\\0' x > ${sb.path('/tekton/results/big')}`)]);
    assert.deepEqual(r, {
      code: 1,
      stdout: '',
      stderr: 'Error while handling results: Termination message is above max allowed size 4096, caused by large task result.\n',
    });
    assert.ok(sb.exists('/tekton/run/0/out'));
  });

  it('tees stdout and stderr into one appended file, creating its directories', async () => {
    const sb = new Sandbox();
    const log = '/tekton/logs/deep/step.log';
    mkdirSync(sb.path('/tekton/logs/deep'), { recursive: true });
    writeFileSync(sb.path(log), 'before\n');
    const r = await run(sb, [...stepFlags(0), '-stdout_path', log, '-stderr_path', log, ...sh('echo out; sleep 0.05; echo err >&2')]);
    assert.deepEqual(r, { code: 0, stdout: 'out\n', stderr: 'err\n' });
    assert.equal(sb.read(log), 'before\nout\nerr\n');
  });

  it('waits for content in a -wait_file_content file', async () => {
    const sb = new Sandbox();
    mkdirSync(sb.path('/tekton/downward'), { recursive: true });
    writeFileSync(sb.path('/tekton/downward/ready'), '');
    const step = run(sb, ['-wait_file', '/tekton/downward/ready', '-wait_file_content', ...stepFlags(0), ...sh('echo started')]);
    setTimeout(() => writeFileSync(sb.path('/tekton/downward/ready'), 'READY'), 100);
    assert.deepEqual(await step, { code: 0, stdout: 'started\n', stderr: '' });
  });

  it('cancels the running step when /tekton/downward/cancel gets content', async () => {
    const sb = new Sandbox();
    mkdirSync(sb.path('/tekton/downward'), { recursive: true });
    const step = run(sb, [...stepFlags(0), ...sh('sleep 30')]);
    setTimeout(() => writeFileSync(sb.path('/tekton/downward/cancel'), 'CANCEL'), 100);
    assert.deepEqual(await step, { code: 9, stdout: '', stderr: 'Step was cancelled\n' });
    assert.equal(sb.read('/tekton/run/0/status/exitCode'), 'killed');
    assert.deepEqual(sb.termination(0), [STARTED, { key: 'Reason', value: 'Cancelled', type: 3 }]);
  });

  it('refuses -enable_spire with a clear message and writes .err so later steps skip', async () => {
    const sb = new Sandbox();
    const r = await run(sb, [...stepFlags(0), '-enable_spire', ...sh('echo never')]);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: '-enable_spire is not supported by the Tektite entrypoint: SPIRE signing of results needs a SPIRE agent\n' });
    assert.ok(sb.exists('/tekton/run/0/out.err'));
  });

  it('ends with exit 1 and the reason when a step directory cannot be created', async () => {
    const sb = new Sandbox();
    writeFileSync(sb.path('/tekton/run'), 'not a directory');
    const r = await run(sb, [...stepFlags(0), ...sh('echo never')]);
    assert.deepEqual(r, {
      code: 1,
      stdout: '',
      stderr: `Error executing command: ENOTDIR: not a directory, mkdir '${sb.path('/tekton/run/0/status/results')}'\n`,
    });
  });
});
