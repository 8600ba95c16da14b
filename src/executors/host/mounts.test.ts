import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mapPath, resolvePath, rewritePaths, sortMounts } from './mounts.ts';
import type { Mount } from './mounts.ts';

const mounts: Mount[] = [
  { containerPath: '/workspace', hostPath: '/h/ws', readOnly: false },
  { containerPath: '/workspace/source', hostPath: '/h/src', readOnly: false },
  { containerPath: '/tekton/run/0', hostPath: '/h/run0', readOnly: false },
];

describe('container paths', () => {
  it('maps a path to the host through the deepest mount that contains it', () => {
    const table: [string, string][] = [
      ['/workspace', '/h/ws'],
      ['/workspace/x/y', '/h/ws/x/y'],
      ['/workspace/source/a', '/h/src/a'],
      ['/workspace/sourcery', '/h/ws/sourcery'],
      ['/tekton/run/0/out', '/h/run0/out'],
      ['/tekton/run/1/out', '/tekton/run/1/out'],
      ['/usr/bin/sh', '/usr/bin/sh'],
    ];
    for (const [container, host] of table) assert.equal(mapPath(container, mounts), host, container);
  });

  it('follows absolute symlinks inside the container view, as step-init links /tekton/steps/<name>', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tektite-mounts-'));
    mkdirSync(path.join(dir, 'steps'));
    mkdirSync(path.join(dir, 'run0/status/results'), { recursive: true });
    symlinkSync('/tekton/run/0/status', path.join(dir, 'steps/step-a'));
    symlinkSync('step-a', path.join(dir, 'steps/0'));
    const view: Mount[] = [
      { containerPath: '/tekton/steps', hostPath: path.join(dir, 'steps'), readOnly: true },
      { containerPath: '/tekton/run/0', hostPath: path.join(dir, 'run0'), readOnly: false },
    ];
    assert.equal(resolvePath('/tekton/steps/step-a/results/r', view), path.join(dir, 'run0/status/results/r'));
    assert.equal(resolvePath('/tekton/steps/0/results/r', view), path.join(dir, 'run0/status/results/r'));
    assert.equal(resolvePath('/tekton/steps/missing/x', view), path.join(dir, 'steps/missing/x'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('rewrites container paths inside strings only at path boundaries', () => {
    assert.equal(
      rewritePaths('cat /workspace/source/f /workspace/x > /tekton/run/0/out; echo /workspaces /my/workspace', mounts),
      'cat /h/src/f /h/ws/x > /h/run0/out; echo /workspaces /my/workspace',
    );
  });

  it('orders mounts parents first', () => {
    assert.deepEqual(
      sortMounts([mounts[1], mounts[2], mounts[0]]).map((m) => m.containerPath),
      ['/workspace', '/workspace/source', '/tekton/run/0'],
    );
  });
});
