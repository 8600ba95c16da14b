import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { defaultGitInitFlags, parseGitInitArgs, usage } from './index.ts';

describe('parseGitInitArgs', () => {
  it("has git-init's defaults", () => {
    assert.deepEqual(parseGitInitArgs([]), defaultGitInitFlags());
    assert.deepEqual(defaultGitInitFlags(), {
      spec: { url: '', revision: '', refspec: '', path: '', depth: 1, submodules: true, sslVerify: true, sparseCheckoutDirectories: '' },
      terminationMessagePath: '/tekton/termination',
    });
  });

  it('reads the catalog git-clone 0.4+ command line (-flag=value)', () => {
    const parsed = parseGitInitArgs([
      '-url=https://github.com/tektoncd/pipeline',
      '-revision=main',
      '-refspec=refs/heads/main:refs/heads/main',
      '-path=/workspace/output/',
      '-sslVerify=false',
      '-submodules=false',
      '-depth=0',
      '-sparseCheckoutDirectories=docs/,!docs/x',
    ]);
    assert.deepEqual(parsed, {
      spec: {
        url: 'https://github.com/tektoncd/pipeline',
        revision: 'main',
        refspec: 'refs/heads/main:refs/heads/main',
        path: '/workspace/output/',
        sslVerify: false,
        submodules: false,
        depth: 0,
        sparseCheckoutDirectories: 'docs/,!docs/x',
      },
      terminationMessagePath: '/tekton/termination',
    });
  });

  it('reads the catalog git-clone 0.1-0.3 command line (-flag value, empty values) and -terminationMessagePath', () => {
    const parsed = parseGitInitArgs([
      '-url',
      'u',
      '-revision',
      '',
      '-refspec',
      '',
      '-path',
      '/w',
      '-sslVerify=true',
      '-submodules=true',
      '-depth',
      '5',
      '-terminationMessagePath',
      '/tmp/t',
    ]);
    assert.ok(!('error' in parsed));
    assert.deepEqual(parsed.spec, { ...defaultGitInitFlags().spec, url: 'u', path: '/w', depth: 5 });
    assert.equal(parsed.terminationMessagePath, '/tmp/t');
  });

  it("keeps an option-looking value as a value, and rejects bad values with Go's text", () => {
    assert.equal((parseGitInitArgs(['-url', '--upload-pack=x']) as { spec: { url: string } }).spec.url, '--upload-pack=x');
    assert.deepEqual(parseGitInitArgs(['-depth=-1']), { error: 'invalid value "-1" for flag -depth: parse error' });
    assert.deepEqual(parseGitInitArgs(['-depth=']), { error: 'invalid value "" for flag -depth: parse error' });
    assert.deepEqual(parseGitInitArgs(['-sslVerify=yes']), { error: 'invalid boolean value "yes" for -sslVerify: parse error' });
    assert.deepEqual(parseGitInitArgs(['-branch=x']), { error: 'flag provided but not defined: -branch' });
    assert.deepEqual(parseGitInitArgs(['-h']), { error: 'flag: help requested', help: true });
  });

  it('prints flag.PrintDefaults usage', () => {
    const text = usage('/ko-app/git-init');
    assert.match(text, /^Usage of \/ko-app\/git-init:\n {2}-depth uint\n {4}\tPerform a shallow clone to this depth \(default 1\)\n/);
    assert.match(text, /\n {2}-sslVerify\n {4}\tEnable\/Disable SSL verification in the git config \(default true\)\n/);
    assert.match(text, /\(default "\/tekton\/termination"\)\n/);
  });
});
