// steps.test.ts: Tekton-shaped Pods with the entrypoint bundle in real containers: steps ordered only
// by wait/post files, in a static busybox image and in an image that has nothing but /bin/sh.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureBusyboxImage, podmanCli } from '../../src/executors/podman/index.ts';
import { ImageLookup } from '../../src/images/index.ts';
import { commandsForStep, PLATFORM_COMMANDS_ENV } from '../../src/pod/index.ts';
import { images, leftovers, runPod, skipReason, tektonPod, terminatedOf, uniqueName } from './helpers.ts';

describe('podman executor: ordered steps', { skip: skipReason }, () => {
  let img: { busybox: string; shellOnly: string };
  before(async () => {
    img = await images();
  });

  for (const which of ['busybox', 'shellOnly'] as const) {
    it(`runs three steps in order with the entrypoint bundle in the ${which} image`, async () => {
      const name = uniqueName(`steps-${which.toLowerCase()}`);
      // Each step appends to a shared /workspace file; the first sleeps so a wrong order would show.
      const step = (n: string, extra = '') => ({
        name: n,
        image: img[which],
        command: ['/bin/sh', '-c', `${extra}echo ${n} >> /workspace/order; echo out-${n}; echo err-${n} >&2`],
      });
      const pod = tektonPod(name, [step('one', 'sleep 1; '), step('two'), step('three')]);
      const r = await runPod(pod);
      assert.equal(r.status.phase, 'Succeeded');
      assert.deepEqual(
        ['prepare', 'step-one', 'step-two', 'step-three'].map((n) => terminatedOf(r.status, n)?.exitCode),
        [0, 0, 0, 0],
      );
      const workspace = join(r.workDir, 'volumes', 'tekton-internal-workspace', 'order');
      assert.equal(readFileSync(workspace, 'utf8'), 'one\ntwo\nthree\n');
      assert.equal(r.text('step-two', 'stdout'), 'out-two\n');
      assert.equal(r.text('step-two', 'stderr'), 'err-two\n');
      // The termination message is the entrypoint's JSON, read from the file behind /tekton/termination.
      const message = JSON.parse(terminatedOf(r.status, 'step-three')!.message!) as Array<{ key: string; type: number }>;
      assert.ok(
        message.some((e) => e.key === 'StartedAt' && e.type === 3),
        JSON.stringify(message),
      );
      assert.deepEqual(leftovers(name), []);
    });
  }

  it('skips the steps after a failing step and reports its exit code', async () => {
    const name = uniqueName('steps-fail');
    const pod = tektonPod(name, [
      { name: 'ok', image: img.busybox, command: ['sh', '-c', 'true'] },
      { name: 'bad', image: img.busybox, command: ['sh', '-c', 'exit 3'] },
      { name: 'never', image: img.busybox, command: ['sh', '-c', 'echo should-not-run'] },
    ]);
    const r = await runPod(pod);
    assert.equal(r.status.phase, 'Failed');
    assert.deepEqual(terminatedOf(r.status, 'step-bad')?.exitCode, 3);
    assert.equal(terminatedOf(r.status, 'step-bad')?.reason, 'Error');
    assert.equal(terminatedOf(r.status, 'step-never')?.exitCode, 1);
    assert.equal(r.text('step-never', 'stdout').includes('should-not-run'), false);
    assert.deepEqual(leftovers(name), []);
  });

  it('runs the image ENTRYPOINT and CMD of a step that has no command (TEKTON_PLATFORM_COMMANDS)', async () => {
    const image = await ensureBusyboxImage(podmanCli(), {
      tag: 'localhost/tektite-test/entrypoint-cmd:1',
      changes: ['ENTRYPOINT ["/bin/echo", "from-entrypoint"]', 'CMD ["from-cmd"]'],
    });
    const name = uniqueName('steps-image-command');
    const pod = tektonPod(name, [
      { name: 'noargs', image: image!, command: ['unused'] },
      { name: 'withargs', image: image!, command: ['unused'] },
    ]);
    // The pod builder leaves -entrypoint out for a command-less step (its args follow `--`) and puts
    // the image's commands, looked up before the Pod is built, in TEKTON_PLATFORM_COMMANDS.
    const looked = await new ImageLookup({ podman: true }).get(image!);
    assert.ok(looked.ok, !looked.ok ? looked.error : '');
    for (const [i, c] of pod.spec!.containers.entries()) {
      const args = c.args!;
      const at = args.indexOf('-entrypoint');
      c.args = [...args.slice(0, at), '--', ...(i === 1 ? ['given-arg'] : [])];
      c.env = [...(c.env ?? []), { name: PLATFORM_COMMANDS_ENV, value: JSON.stringify(commandsForStep(looked.configs, i === 1)) }];
    }
    const r = await runPod(pod);
    assert.equal(r.status.phase, 'Succeeded', JSON.stringify(r.status.containerStatuses));
    assert.equal(r.text('step-noargs', 'stdout'), 'from-entrypoint from-cmd\n');
    assert.equal(r.text('step-withargs', 'stdout'), 'from-entrypoint given-arg\n');
    assert.deepEqual(leftovers(name), []);
  });

  it('runs a place-scripts init container whose decode-script call reaches the carried entrypoint through /bin/sh', async () => {
    const name = uniqueName('steps-script');
    const pod = tektonPod(name, [{ name: 'script', image: img.shellOnly, command: ['/tekton/scripts/script-0-abcde'] }]);
    const script = Buffer.from('#!/bin/sh\nset -e\necho "from a script: $0"\n').toString('base64');
    pod.spec!.volumes!.push({ name: 'tekton-internal-scripts', emptyDir: {} });
    pod.spec!.initContainers!.push({
      name: 'place-scripts',
      image: 'cgr.dev/chainguard/busybox:latest',
      command: ['sh'],
      args: [
        '-c',
        `scriptfile="/tekton/scripts/script-0-abcde"\ntouch \${scriptfile} && chmod +x \${scriptfile}\ncat > \${scriptfile} << '_EOF_'\n${script}\n_EOF_\n/tekton/bin/entrypoint decode-script "\${scriptfile}"\n`,
      ],
      volumeMounts: [
        { name: 'tekton-internal-scripts', mountPath: '/tekton/scripts' },
        { name: 'tekton-internal-bin', mountPath: '/tekton/bin' },
      ],
    });
    pod.spec!.containers[0].volumeMounts!.push({ name: 'tekton-internal-scripts', mountPath: '/tekton/scripts', readOnly: true });
    const r = await runPod(pod);
    assert.equal(r.status.phase, 'Succeeded', JSON.stringify(r.status));
    assert.equal(r.text('step-script', 'stdout'), 'from a script: /tekton/scripts/script-0-abcde\n');
    assert.deepEqual(r.warnings, ['shell image "cgr.dev/chainguard/busybox:latest" is not available locally; place-scripts runs in localhost/tektite/busybox:1']);
    assert.deepEqual(leftovers(name), []);
  });

  it('runs entrypoint steps with --rm: after the steps, no podman call (no rm, no inspect) and nothing left', async () => {
    const name = uniqueName('steps-rm');
    // A podman that logs each subcommand, then runs the real one.
    const dir = mkdtempSync(join(tmpdir(), 'tektite-podman-log-'));
    const log = join(dir, 'calls');
    const real = spawnSync('sh', ['-c', 'command -v podman'], { encoding: 'utf8' }).stdout.trim();
    writeFileSync(join(dir, 'podman'), `#!/bin/sh\necho "$1" >> ${log}\nexec ${real} "$@"\n`);
    chmodSync(join(dir, 'podman'), 0o755);
    const step = (n: string) => ({ name: n, image: img.busybox, command: ['sh', '-c', `exit ${n === 'two' ? 3 : 0}`] });
    const r = await runPod(tektonPod(name, [step('one'), step('two')]), { executor: { podmanPath: join(dir, 'podman') } });
    assert.equal(terminatedOf(r.status, 'step-one')?.exitCode, 0);
    assert.deepEqual(terminatedOf(r.status, 'step-two'), { exitCode: 3, reason: 'Error', message: terminatedOf(r.status, 'step-two')?.message });
    const calls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
    assert.deepEqual(calls.slice(calls.indexOf('run')), ['run', 'run'], calls.join(' '));
    assert.deepEqual(leftovers(name), []);
  });
});
