import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { Sandbox, run } from './test-support.ts';
import { decodeStdBase64 } from './subcommands.ts';

describe('entrypoint subcommands', () => {
  it('cp copies the file with mode 0311', async () => {
    const sb = new Sandbox();
    writeFileSync(sb.path('/tekton/src'), '#!/bin/sh\necho hi\n');
    mkdirSync(sb.path('/tekton/bin'));
    const r = await run(sb, ['cp', '/tekton/src', '/tekton/bin/entrypoint']);
    assert.deepEqual(r, { code: 0, stdout: '', stderr: 'Copied /tekton/src to /tekton/bin/entrypoint\n' });
    assert.equal(readFileSync(sb.path('/tekton/bin/entrypoint'), 'utf8'), '#!/bin/sh\necho hi\n');
    assert.equal(statSync(sb.path('/tekton/bin/entrypoint')).mode & 0o777, 0o311);
  });

  it('cp reports a failure as "cp error: ..." with exit 1', async () => {
    const sb = new Sandbox();
    const r = await run(sb, ['cp', '/tekton/missing', '/tekton/dst']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `cp error: ENOENT: no such file or directory, open '${sb.path('/tekton/missing')}'\n`);
  });

  it('init copies, then links /tekton/steps/<name> and /tekton/steps/<i> to /tekton/run/<i>/status', async () => {
    const sb = new Sandbox();
    writeFileSync(sb.path('/tekton/src'), 'bin');
    mkdirSync(sb.path('/tekton/bin'));
    const r = await run(sb, ['init', '/tekton/src', '/tekton/bin/entrypoint', 'step-build', 'step-unnamed-1']);
    assert.deepEqual(r, { code: 0, stdout: '', stderr: 'Copied /tekton/src to /tekton/bin/entrypoint\nSetup /step directories\n' });
    const links: [string, string][] = [
      ['/tekton/steps/step-build', '/tekton/run/0/status'],
      ['/tekton/steps/0', '/tekton/run/0/status'],
      ['/tekton/steps/step-unnamed-1', '/tekton/run/1/status'],
      ['/tekton/steps/1', '/tekton/run/1/status'],
    ];
    for (const [link, target] of links) {
      assert.ok(lstatSync(sb.path(link)).isSymbolicLink());
      assert.equal(readlinkSync(sb.path(link)), sb.path(target));
    }
    assert.equal((await run(sb, ['step-init', 'step-build'])).code, 0, 'existing links are tolerated');
  });

  it('decode-script decodes base64 in place and keeps the mode', async () => {
    const sb = new Sandbox();
    const script = sb.path('/tekton/script-0-abcde');
    writeFileSync(script, `${Buffer.from('#!/bin/sh\necho $1\n').toString('base64')}\n`, { mode: 0o755 });
    const r = await run(sb, ['decode-script', '/tekton/script-0-abcde']);
    assert.deepEqual(r, { code: 0, stdout: '', stderr: 'Decoded script /tekton/script-0-abcde\n' });
    assert.equal(readFileSync(script, 'utf8'), '#!/bin/sh\necho $1\n');
    assert.equal(statSync(script).mode & 0o777, 0o755);
  });

  it('decode-script rejects text that is not standard base64', async () => {
    const sb = new Sandbox();
    writeFileSync(sb.path('/tekton/bad'), 'ab*d');
    const r = await run(sb, ['decode-script', '/tekton/bad']);
    assert.deepEqual(r, {
      code: 1,
      stdout: '',
      stderr: 'decode-script error: error decoding script file "/tekton/bad": error decoding script file "/tekton/bad": illegal base64 data at input byte 2\n',
    });
  });

  it('a subcommand with the wrong arity is not a subcommand', async () => {
    const sb = new Sandbox();
    const r = await run(sb, ['-post_file', '/tekton/run/0/out', '-termination_path', '/tekton/t', '-entrypoint', 'echo', 'cp', 'only-one']);
    assert.deepEqual(r, { code: 0, stdout: 'cp only-one\n', stderr: '' });
  });
});

describe('decodeStdBase64', () => {
  const cases: [string, string, string][] = [
    ['decodes padded text across lines', 'aGVs\nbG8=\n', 'hello'],
    ['rejects a missing padding', 'aGVsbG8', 'illegal base64 data at input byte 4'],
    ['rejects padding in the middle', 'aG=sbG8=', 'illegal base64 data at input byte 2'],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => {
      const out = decodeStdBase64(input);
      assert.equal(typeof out === 'string' ? out : out.toString(), expected);
    });
  }
});
