import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { hostExecutor, imagesIgnoredWarning, noNamespaceShellWarning, noSandboxWarning } from './index.ts';
import type { SandboxMode } from './index.ts';
import { emptyDirs, logText, podOf, recordingOptions, shContainer, stateOf } from './test-support.ts';
import { withTektonController } from '../pod/controller-test-support.ts';

// A step waits for the previous step's post file and writes its own, like the entrypoint does.
const waitThenPost = (i: number, text: string): string =>
  `${i > 0 ? `while [ ! -f /tekton/run/${i - 1}/out ]; do sleep 0.01; done; ` : ''}echo ${text} >> /workspace/order; touch /tekton/run/${i}/out`;

const runMounts = (i: number, n: number) => [
  { name: 'workspace', mountPath: '/workspace' },
  ...Array.from({ length: n }, (_, j) => ({ name: `run-${j}`, mountPath: `/tekton/run/${j}`, readOnly: j !== i })),
];

for (const sandbox of ['bwrap', 'unshare'] as SandboxMode[]) {
  describe(`the host executor with sandbox ${sandbox}`, () => {
    const executor = hostExecutor({ sandbox });

    it('orders three steps started at once only through their wait and post files', async () => {
      const { options, recorded } = recordingOptions();
      const pod = podOf({
        // Started in reverse so that only the files can produce the order.
        containers: [2, 1, 0].map((i) => shContainer(`step-s${i}`, `${waitThenPost(i, `s${i}`)}; cat /workspace/order`, runMounts(i, 3))),
        volumes: emptyDirs('workspace', 'run-0', 'run-1', 'run-2'),
      });
      const status = await executor.runPod(pod, withTektonController(pod, options));
      assert.equal(logText(recorded, 'step-s2'), 's0\ns1\ns2\n');
      assert.equal(status.phase, 'Succeeded');
      for (const name of ['step-s0', 'step-s1', 'step-s2']) {
        assert.deepEqual(stateOf(status, name), { terminated: { exitCode: 0, reason: 'Completed' } });
      }
      assert.deepEqual(recorded.warnings, [imagesIgnoredWarning]);
    });

    it('shows volumes at their literal absolute paths and creates a missing workingDir inside them', async () => {
      const { options, recorded } = recordingOptions();
      const pod = podOf({
        containers: [shContainer('step-paths', 'pwd; echo hi > /tekton/run/0/file; ls /tekton/run/0', runMounts(0, 1), { workingDir: '/workspace/src/app' })],
        volumes: emptyDirs('workspace', 'run-0'),
      });
      const status = await executor.runPod(pod, withTektonController(pod, options));
      assert.equal(logText(recorded, 'step-paths'), '/workspace/src/app\nfile\n');
      assert.equal(status.phase, 'Succeeded');
      assert.ok(statSync(`${recorded.workDir}/volumes/workspace/src/app`).isDirectory());
      assert.equal(existsSync('/tekton'), false, 'the host root must not get mount points');
      assert.equal(existsSync('/workspace'), false, 'the host root must not get mount points');
    });

    it('refuses writes to a read-only mount', async () => {
      const { options, recorded } = recordingOptions();
      const pod = podOf({
        containers: [shContainer('step-ro', 'touch /tekton/run/1/x 2>/dev/null && echo wrote || echo refused', runMounts(0, 2))],
        volumes: emptyDirs('workspace', 'run-0', 'run-1'),
      });
      await executor.runPod(pod, withTektonController(pod, options));
      assert.equal(logText(recorded, 'step-ro'), 'refused\n');
      assert.equal(existsSync(`${recorded.workDir}/volumes/run-1/x`), false);
    });

    it('mounts configMap and secret volumes with items and modes, read-only, and honours subPath', async () => {
      const { options, recorded } = recordingOptions({ configMaps: { cfg: { a: 'A', b: 'B' } }, secrets: { creds: { token: 's3cr3t' } } });
      const script =
        'ls /etc/cfg; cat /etc/cfg/renamed; echo; stat -c %a /etc/cfg/renamed /etc/creds/token; cat /etc/creds/token; echo;' +
        ' touch /etc/creds/new 2>/dev/null || echo ro; echo sub > /data/f; cat /opt/tektite-a.conf';
      const pod = podOf({
        containers: [
          shContainer('step-volumes', script, [
            { name: 'cfg', mountPath: '/etc/cfg' },
            { name: 'creds', mountPath: '/etc/creds' },
            { name: 'data', mountPath: '/data', subPath: 'nested/dir' },
            { name: 'cfg', mountPath: '/opt/tektite-a.conf', subPath: 'renamed' },
          ]),
        ],
        volumes: [
          { name: 'cfg', configMap: { name: 'cfg', items: [{ key: 'b', path: 'renamed', mode: 0o600 }] } },
          { name: 'creds', secret: { secretName: 'creds', defaultMode: 0o400 } },
          { name: 'data', emptyDir: {} },
        ],
      });
      const status = await executor.runPod(pod, withTektonController(pod, options));
      assert.equal(logText(recorded, 'step-volumes'), 'renamed\nB\n600\n400\ns3cr3t\nro\nB');
      assert.equal(status.phase, 'Succeeded');
      assert.ok(existsSync(`${recorded.workDir}/volumes/data/nested/dir/f`));
      assert.equal(existsSync('/opt/tektite-a.conf'), false);
    });

    it('reads the termination message from terminationMessagePath', async () => {
      const { options } = recordingOptions();
      const pod = podOf({
        containers: [shContainer('step-msg', 'printf \'[{"key":"r","value":"v","type":1}]\' > /tekton/termination; exit 2', [], { terminationMessagePath: '/tekton/termination' })],
      });
      const status = await executor.runPod(pod, withTektonController(pod, options));
      assert.deepEqual(stateOf(status, 'step-msg'), { terminated: { exitCode: 2, reason: 'Error', message: '[{"key":"r","value":"v","type":1}]' } });
      assert.equal(status.phase, 'Failed');
    });
  });
}

describe('the host executor without a mount namespace', () => {
  it('rewrites container paths in commands, args and env to the volume directories, with one warning', async () => {
    const { options, recorded } = recordingOptions();
    const pod = podOf({
      containers: [
        shContainer('step-mapped', 'echo hi > /tekton/run/0/f; cat $FILE', runMounts(0, 1), {
          env: [{ name: 'FILE', value: '/tekton/run/0/f' }],
        }),
      ],
      volumes: emptyDirs('workspace', 'run-0'),
    });
    const status = await hostExecutor({ sandbox: 'none' }).runPod(pod, withTektonController(pod, options));
    assert.equal(logText(recorded, 'step-mapped'), 'hi\n');
    assert.equal(status.phase, 'Succeeded');
    assert.ok(existsSync(`${recorded.workDir}/volumes/run-0/f`));
    // shContainer's image is busybox, whose /bin/sh cannot be provided without a namespace.
    assert.deepEqual(recorded.warnings, [imagesIgnoredWarning, noSandboxWarning, noNamespaceShellWarning('busybox')]);
  });
});
