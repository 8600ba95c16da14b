import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bundle = join(root, 'dist', 'git-init.cjs');

describe('the bundled dist/git-init.cjs', () => {
  before(() => {
    if (existsSync(bundle)) return;
    const built = spawnSync(process.execPath, [join(root, 'scripts', 'bundle-entrypoint.mjs')], { cwd: root, encoding: 'utf8' });
    assert.equal(built.status, 0, built.stderr);
  });

  it('requires only node: builtins and runs as git-init', () => {
    const required = [...readFileSync(bundle, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    assert.deepEqual(
      required.filter((r) => !r.startsWith('node:')),
      [],
    );
    const help = spawnSync(process.execPath, [bundle, '-help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stderr, /^Usage of .*git-init\.cjs:\n {2}-depth uint\n/);
    const bad = spawnSync(process.execPath, [bundle, '-nope'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /^flag provided but not defined: -nope\n/);
  });
});
