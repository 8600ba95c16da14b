import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultFlags, extractArgs, parseEntrypointArgs } from './flags.ts';

describe('extractArgs', () => {
  it('splits at the first -- only when it is not the first argument', () => {
    assert.deepEqual(extractArgs(['-entrypoint', 'sh', '--', '-c', '--', 'x']), { args: ['-entrypoint', 'sh'], commandArgs: ['-c', '--', 'x'] });
    assert.deepEqual(extractArgs(['--', 'echo']), { args: ['--', 'echo'], commandArgs: [] });
    assert.deepEqual(extractArgs([]), { args: [], commandArgs: [] });
  });
});

describe('parseEntrypointArgs', () => {
  it('accepts the -flag value, -flag=value and --flag forms and bare booleans', () => {
    const parsed = parseEntrypointArgs([
      '-wait_file',
      '/tekton/run/0/out',
      '--post_file=/tekton/run/1/out',
      '-wait_file_content',
      '--breakpoint_on_failure=false',
      '-timeout',
      '1m30s',
      '-basic-git=a=https://x',
      '-basic-git',
      'b=https://y',
      '-entrypoint',
      'bash',
      '--',
      'echo',
      'hello',
    ]);
    assert.deepEqual(parsed, {
      flags: {
        ...defaultFlags(),
        wait_file: '/tekton/run/0/out',
        post_file: '/tekton/run/1/out',
        wait_file_content: true,
        timeout: 90_000,
        'basic-git': ['a=https://x', 'b=https://y'],
        entrypoint: 'bash',
      },
      positional: [],
      commandArgs: ['echo', 'hello'],
    });
  });

  it('takes the next argument as a string value even when it starts with a dash', () => {
    const parsed = parseEntrypointArgs(['-entrypoint', '-weird', '--', 'x']);
    assert.ok(!('error' in parsed));
    assert.equal(parsed.flags.entrypoint, '-weird');
  });

  it('stops at the first positional argument, which may be a subcommand', () => {
    const parsed = parseEntrypointArgs(['cp', '/ko-app/entrypoint', '/tekton/bin/entrypoint']);
    assert.deepEqual(parsed, { flags: defaultFlags(), positional: ['cp', '/ko-app/entrypoint', '/tekton/bin/entrypoint'], commandArgs: [] });
  });

  const errors: [string, string[], string][] = [
    ['an unknown flag', ['-nope'], 'flag provided but not defined: -nope'],
    ['a string flag without value', ['-post_file'], 'flag needs an argument: -post_file'],
    ['a bad boolean', ['-wait_file_content=maybe'], 'invalid boolean value "maybe" for -wait_file_content: parse error'],
    ['a bad duration', ['-timeout', '10'], 'invalid value "10" for flag -timeout: parse error'],
    ['three dashes', ['---x'], 'bad flag syntax: ---x'],
  ];
  for (const [name, argv, error] of errors) {
    it(`reports ${name} with Go's flag message`, () => {
      assert.deepEqual(parseEntrypointArgs(argv), { error });
    });
  }

  it('parses a negative timeout so that the step can reject it later', () => {
    const parsed = parseEntrypointArgs(['-timeout=-1s']);
    assert.ok(!('error' in parsed));
    assert.equal(parsed.flags.timeout, -1000);
  });
});
