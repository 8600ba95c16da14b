import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import { spawnGroup } from '../../proc/index.ts';
import type { PodContext } from './container.ts';
import { HostView, sandboxLayout } from './layout.ts';
import { PrestartedSandbox, runPrestarted } from './prestart.ts';
import { detectSandbox, runSandboxed } from './sandbox.ts';
import { podScratch } from './scratch.ts';
import { setUpVolumes } from '../pod/index.ts';

const transientError = `bwrap: Can't bind mount /oldroot/var on /newroot/var: Unable to apply mount flags: remount "/newroot/var/lib/containers/storage/overlay/abc/merged": No such file or directory\n`;

/** fakeBwrap writes a `bwrap` that fails with stderrText for its first `failures` calls, then runs the command after `--`. */
function fakeBwrap(failures: number, stderrText: string): { dir: string; calls: () => number } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tektite-fake-bwrap-'));
  const counter = path.join(dir, 'calls');
  writeFileSync(counter, '');
  writeFileSync(
    path.join(dir, 'bwrap'),
    `#!/bin/sh
echo x >> '${counter}'
if [ "$(wc -l < '${counter}')" -le ${failures} ]; then printf '%s' '${stderrText.replace(/'/g, `'\\''`)}' >&2; exit 1; fi
while [ "$1" != "--" ]; do shift; done; shift
exec "$@"
`,
  );
  chmodSync(path.join(dir, 'bwrap'), 0o755);
  return { dir, calls: () => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length };
}

/** run runs argv through runSandboxed with a fake bwrap first on PATH and collects its output. */
async function runWithFake(fake: { dir: string }, argv: string[]): Promise<{ result: unknown; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const result = await runSandboxed(
    { mode: 'bwrap', mounts: [], cwd: '/', argv, scratchDir: fake.dir },
    {
      env: { PATH: `${fake.dir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
      onStdout: (d) => {
        stdout += d.toString();
      },
      onStderr: (d) => {
        stderr += d.toString();
      },
    },
  );
  return { result, stdout, stderr };
}

describe('the bubblewrap sandbox wrapper', () => {
  it('retries a set-up that failed on a submount that vanished, and keeps that error out of the log', async () => {
    const fake = fakeBwrap(2, transientError);
    assert.deepEqual(await runWithFake(fake, ['sh', '-c', 'echo ran; echo warn >&2']), { result: { exitCode: 0 }, stdout: 'ran\n', stderr: 'warn\n' });
    assert.equal(fake.calls(), 3);
  });

  it('gives up after five attempts and reports the last set-up error as the command would', async () => {
    const fake = fakeBwrap(10, transientError);
    assert.deepEqual(await runWithFake(fake, ['true']), { result: { exitCode: 1 }, stdout: '', stderr: transientError });
    assert.equal(fake.calls(), 5);
  });

  it('does not retry other failures, even ones that print like bubblewrap', async () => {
    const fake = fakeBwrap(0, '');
    const argv = ['sh', '-c', `printf '%s' "bwrap: Can't bind mount /a on /b: No such file or directory" >&2; echo; exit 3`];
    assert.deepEqual(await runWithFake(fake, argv), { result: { exitCode: 3 }, stdout: '\n', stderr: "bwrap: Can't bind mount /a on /b: No such file or directory" });
    assert.equal(fake.calls(), 1);
  });
});

describe('the sandbox layout', () => {
  it('reads the host root once per HostView and again after forget', () => {
    const view = new HostView();
    const mounts = [{ containerPath: '/tekton/run/0', hostPath: '/tmp', readOnly: false }];
    const first = sandboxLayout(mounts, view);
    assert.deepEqual(sandboxLayout(mounts, view), first);
    assert.equal(view.entries('/', new Set(['/'])), view.entries('/', new Set(['/'])));
    const before = view.entries('/', new Set(['/']));
    view.forget();
    assert.notEqual(view.entries('/', new Set(['/'])), before);
    assert.ok(first.some((o) => o.op === 'host' && o.path === '/usr'));
    assert.deepEqual(first.at(-1), { op: 'mount', path: '/tekton/run/0', hostPath: '/tmp', readOnly: false });
  });
});

describe('small pod files on a tmpfs', () => {
  it("puts Tekton's small internal volumes in the scratch dir and user volumes under workDir, and removes the scratch dir", () => {
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'tektite-scratch-'));
    const scratch = podScratch(workDir, 'p-pod', true);
    const pod: V1Pod = {
      metadata: { name: 'p-pod' },
      spec: {
        containers: [],
        volumes: ['tekton-internal-run-0', 'tekton-internal-steps', 'tekton-internal-workspace', 'tekton-internal-home', 'ws'].map((name) => ({ name, emptyDir: {} })),
      },
    };
    const setup = setUpVolumes(pod, workDir, { configMap: () => undefined, secret: () => undefined, pvcDir: () => workDir }, scratch.dir);
    assert.ok('volumes' in setup);
    const hostPaths = Object.fromEntries([...setup.volumes.byName].map(([k, v]) => [k, v.hostPath]));
    assert.deepEqual(hostPaths, {
      'tekton-internal-run-0': path.join(scratch.dir, 'volumes', 'tekton-internal-run-0'),
      'tekton-internal-steps': path.join(scratch.dir, 'volumes', 'tekton-internal-steps'),
      'tekton-internal-workspace': path.join(workDir, 'volumes', 'tekton-internal-workspace'),
      'tekton-internal-home': path.join(workDir, 'volumes', 'tekton-internal-home'),
      ws: path.join(workDir, 'volumes', 'ws'),
    });
    scratch.remove();
    assert.equal(existsSync(path.join(scratch.dir, 'volumes', 'tekton-internal-run-0')), false);
    assert.equal(existsSync(path.join(workDir, 'volumes', 'ws')), true);
  });
});

describe('a prestarted sandbox', () => {
  const ctxFor = async (scratchDir: string): Promise<PodContext> => ({ mode: await detectSandbox('auto'), scratchDir, hostView: new HostView() }) as PodContext;
  const runOf = { container: { name: 'step-a' }, mounts: [], env: { PATH: process.env.PATH ?? '/usr/bin:/bin' }, cwd: '/' };

  it('runs the command it is handed with its arguments intact and no extra open descriptor', async () => {
    const ctx = await ctxFor(mkdtempSync(path.join(os.tmpdir(), 'tektite-pre-')));
    const sandbox = new PrestartedSandbox(ctx, runOf);
    let stdout = '';
    // `[` is a shell builtin: /proc/self is the command itself.
    const argv = ['sh', '-c', 'printf "%s|" "$@"; if [ -e /proc/self/fd/3 ]; then echo fd3-open; else echo fd3-closed; fi', 'sh', "it's", 'two\nlines', '$HOME'];
    const result = await runPrestarted(
      sandbox,
      argv,
      {
        signal: new AbortController().signal,
        onStdout: (d) => {
          stdout += d.toString();
        },
        onStderr: () => {},
      },
      () => assert.fail('no fallback'),
    );
    assert.deepEqual(result, { exitCode: 0 });
    assert.equal(stdout, "it's|two\nlines|$HOME|fd3-closed\n");
  });

  it('is stopped when discarded unused, and a discarded sandbox falls back to a fresh one', async () => {
    const ctx = await ctxFor(mkdtempSync(path.join(os.tmpdir(), 'tektite-pre-')));
    const sandbox = new PrestartedSandbox(ctx, runOf);
    await sandbox.discard();
    const fresh = await spawnGroup(['true']).result;
    assert.equal(sandbox.launch(['true'], { signal: new AbortController().signal, onStdout: () => {}, onStderr: () => {} }), undefined);
    assert.deepEqual(await runPrestarted(sandbox, ['true'], { signal: new AbortController().signal, onStdout: () => {}, onStderr: () => {} }, async () => fresh), { exitCode: 0 });
  });

  it('falls back to a fresh sandbox when its set-up failed on a vanished submount, before or after the hand-over', async () => {
    const fake = fakeBwrap(1, transientError);
    const ctx = { mode: 'bwrap', scratchDir: fake.dir, hostView: new HostView() } as PodContext;
    const run = { ...runOf, env: { PATH: `${fake.dir}:${process.env.PATH ?? '/usr/bin:/bin'}` } };
    const sandbox = new PrestartedSandbox(ctx, run);
    let stderr = '';
    const sinks = {
      signal: new AbortController().signal,
      onStdout: () => {},
      onStderr: (d: Buffer) => {
        stderr += d.toString();
      },
    };
    const result = await runPrestarted(sandbox, ['true'], sinks, async () => ({ exitCode: 42 }));
    assert.deepEqual({ result, stderr }, { result: { exitCode: 42 }, stderr: '' });
  });
});

describe('the start of a sandboxed command', () => {
  it('is reported only once the sandbox is set up and the command is about to run, which inherits no extra descriptor', async () => {
    // A bubblewrap stand-in that takes its time to set up, then marks the set-up done.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tektite-slow-bwrap-'));
    const setUp = path.join(dir, 'set-up');
    writeFileSync(path.join(dir, 'bwrap'), `#!/bin/sh\nsleep 0.2; : > '${setUp}'\nwhile [ "$1" != "--" ]; do shift; done; shift\nexec "$@"\n`);
    chmodSync(path.join(dir, 'bwrap'), 0o755);
    const seen: boolean[] = [];
    let stdout = '';
    const argv = ['sh', '-c', 'if [ -e /proc/self/fd/3 ]; then echo fd3-open; else echo fd3-closed; fi'];
    const result = await runSandboxed(
      { mode: 'bwrap', mounts: [], cwd: '/', argv, scratchDir: dir, onExec: () => seen.push(existsSync(setUp)) },
      {
        env: { PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}` },
        onStdout: (d) => {
          stdout += d.toString();
        },
      },
    );
    assert.deepEqual({ result, stdout, seen }, { result: { exitCode: 0 }, stdout: 'fd3-closed\n', seen: [true] });
  });

  for (const mode of ['bwrap', 'unshare'] as const) {
    it(`is reported once under ${mode}, with the command's exit code and output unchanged`, async () => {
      let calls = 0;
      let stdout = '';
      const scratchDir = mkdtempSync(path.join(os.tmpdir(), 'tektite-exec-'));
      const result = await runSandboxed(
        { mode, mounts: [], cwd: '/', argv: ['sh', '-c', 'echo "$0 $1"; exit 3', 'a', 'b'], scratchDir, onExec: () => calls++ },
        {
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
          onStdout: (d) => {
            stdout += d.toString();
          },
        },
      );
      assert.deepEqual({ result, stdout, calls }, { result: { exitCode: 3 }, stdout: 'a b\n', calls: 1 });
    });
  }
});
