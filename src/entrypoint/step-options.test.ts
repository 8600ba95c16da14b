import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { STARTED, Sandbox, isAlive, run, sh, stepFlags } from './test-support.ts';
import { currentPlatform, resolvePlatformCommand } from './platform.ts';

process.env.TZ = 'UTC';

describe('step when expressions', () => {
  it('skips a step whose when is false: exit 0, post file, exitCode 0, Reason Skipped, command not run', async () => {
    const sb = new Sandbox();
    const when = JSON.stringify([{ input: 'a', operator: 'notin', values: ['a', 'b'] }]);
    const r = await run(sb, [...stepFlags(0), '--when_expressions', when, ...sh('echo ran')]);
    assert.deepEqual(r, { code: 0, stdout: '', stderr: 'Step was skipped due to when expressions were evaluated to false.\n' });
    assert.ok(sb.exists('/tekton/run/0/out'));
    assert.equal(sb.read('/tekton/run/0/status/exitCode'), '0');
    assert.deepEqual(sb.termination(0), [STARTED, { key: 'Reason', value: 'Skipped', type: 3 }]);
  });

  it('runs a step whose when is true', async () => {
    const sb = new Sandbox();
    const when = JSON.stringify([{ input: 'a', operator: 'in', values: ['a'] }]);
    const r = await run(sb, [...stepFlags(0), '--when_expressions', when, ...sh('echo ran')]);
    assert.deepEqual(r, { code: 0, stdout: 'ran\n', stderr: '' });
  });

  it('fails clearly on a CEL when expression', async () => {
    const sb = new Sandbox();
    const r = await run(sb, [...stepFlags(0), '--when_expressions', '[{"cel":"1 == 1"}]', ...sh('echo ran')]);
    assert.deepEqual(r, { code: 1, stdout: '', stderr: 'Error executing command: CEL step when expressions are not supported by the Tektite entrypoint: "1 == 1"\n' });
    assert.ok(sb.exists('/tekton/run/0/out.err'));
  });
});

describe('runtime $(steps.<step>.results.<result>) substitution', () => {
  it('reads earlier step results through the /tekton/steps links, expanding [*] and indexing arrays', async () => {
    const sb = new Sandbox();
    assert.equal((await run(sb, ['step-init', 'step-first'])).code, 0);
    mkdirSync(sb.path('/tekton/run/0/status/results'), { recursive: true });
    writeFileSync(sb.path('/tekton/run/0/status/results/greeting'), 'hi');
    writeFileSync(sb.path('/tekton/run/0/status/results/list'), '["x","y"]');
    const argv = [...stepFlags(1).slice(2), '-entrypoint', 'echo', '--', '$(steps.first.results.greeting)!', '$(steps.first.results.list[*])', '$(steps.first.results.list[1])'];
    const r = await run(sb, argv, { env: { ...process.env, GREETING: 'say $(steps.first.results.greeting)' } });
    assert.deepEqual(r, { code: 0, stdout: 'hi! x y y\n', stderr: '' });
  });
});

describe('TEKTON_PLATFORM_COMMANDS', () => {
  it('supplies the command when -entrypoint is empty', async () => {
    const sb = new Sandbox();
    const env = { ...process.env, TEKTON_PLATFORM_COMMANDS: JSON.stringify({ [currentPlatform()]: ['echo', 'from-image'] }) };
    const r = await run(sb, [...stepFlags(0), '--', 'arg'], { env });
    assert.deepEqual(r, { code: 0, stdout: 'from-image arg\n', stderr: '' });
  });

  it('falls back to the platform without its last segment and names the platform when nothing matches', () => {
    assert.deepEqual(resolvePlatformCommand('{"linux/arm64":["sh"]}', 'linux/arm64/v8'), ['sh']);
    assert.deepEqual(resolvePlatformCommand('{"windows/amd64":["sh"]}', 'linux/amd64'), { error: 'could not find command for platform "linux/amd64"' });
    assert.deepEqual(resolvePlatformCommand(''), { error: 'unexpected end of JSON input' });
  });
});

describe('debugging', () => {
  it('with -breakpoint_on_failure writes no post file and exits with the code from <post_file>.breakpointexit', async () => {
    const sb = new Sandbox();
    mkdirSync(sb.path('/tekton/run/0'), { recursive: true });
    writeFileSync(sb.path('/tekton/run/0/out.breakpointexit'), '3\n');
    const r = await run(sb, [...stepFlags(0), '-breakpoint_on_failure', ...sh('exit 1')]);
    assert.equal(r.code, 3);
    assert.ok(r.stderr.endsWith('Breakpoint exiting with exit code 3\n'));
    assert.ok(!sb.exists('/tekton/run/0/out') && !sb.exists('/tekton/run/0/out.err'));
  });

  it('with -breakpoint_on_failure a previous .err does not skip the step', async () => {
    const sb = new Sandbox();
    mkdirSync(sb.path('/tekton/run/0'), { recursive: true });
    writeFileSync(sb.path('/tekton/run/0/out.err'), '');
    const r = await run(sb, [...stepFlags(1), '-breakpoint_on_failure', ...sh('echo ran')]);
    assert.deepEqual(r, { code: 0, stdout: 'ran\n', stderr: '' });
  });

  it('with -debug_before_step waits for <post_file>.beforestepexit and skips on its .err', async () => {
    const sb = new Sandbox();
    mkdirSync(sb.path('/tekton/run/0'), { recursive: true });
    writeFileSync(sb.path('/tekton/run/0/out.beforestepexit.err'), '1');
    const r = await run(sb, [...stepFlags(0), '-debug_before_step', ...sh('echo ran')]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.endsWith('Skipping step because a previous step failed\n'));
    assert.ok(sb.exists('/tekton/run/0/out.err'));
    writeFileSync(sb.path('/tekton/run/0/out.beforestepexit'), '0');
    const again = await run(new Sandbox(), ['-debug_before_step', '-post_file', sb.path('/tekton/run/0/out'), '-termination_path', sb.path('/tekton/t'), ...sh('echo ran')]);
    assert.equal(again.stdout, 'ran\n');
  });
});

describe('killing from outside', () => {
  it('an aborted io.signal kills the whole process group of the command', async () => {
    const sb = new Sandbox();
    const pidFile = sb.path('/tekton/grandchild.pid');
    const controller = new AbortController();
    const step = run(sb, [...stepFlags(0), ...sh(`sleep 30 & echo $! > ${pidFile}; wait`)], { signal: controller.signal });
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '') await new Promise((resolve) => setTimeout(resolve, 10));
    controller.abort();
    const r = await step;
    assert.equal(r.code, 255); // killed by a signal: Go's ExitStatus() is -1, os.Exit(-1) is 255
    assert.ok(sb.exists('/tekton/run/0/out.err'));
    assert.equal(isAlive(Number(readFileSync(pidFile, 'utf8'))), false);
  });

  it('an abort while waiting for the previous step ends the entrypoint without writing anything', async () => {
    const sb = new Sandbox();
    const controller = new AbortController();
    const step = run(sb, [...stepFlags(1), ...sh('echo never')], { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    assert.deepEqual(await step, { code: 143, stdout: '', stderr: '' });
    assert.ok(!sb.exists('/tekton/run/1/out') && !sb.exists('/tekton/run/1/out.err') && !sb.exists('/tekton/term-1'));
  });
});
