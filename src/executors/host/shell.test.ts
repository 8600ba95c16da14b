import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Container } from '@kubernetes/client-node';
import { hostExecutor, imagesIgnoredWarning, isBusyboxImage, missingBusyboxWarning, noNamespaceShellWarning, noSandboxWarning, shellFamily } from './index.ts';
import type { SandboxMode } from './index.ts';
import { emptyDirs, logText, podOf, recordingOptions, stateOf } from './test-support.ts';
import { withTektonController } from '../pod/controller-test-support.ts';

describe('isBusyboxImage', () => {
  const table: [string | undefined, boolean][] = [
    ['busybox', true],
    ['busybox:1.36', true],
    ['docker.io/library/busybox@sha256:0123456789abcdef', true],
    ['alpine', true],
    ['mirror.gcr.io/library/alpine:3.20', true],
    ['bash', true],
    ['mirror.gcr.io/bash:5.2', true],
    ['cgr.dev/chainguard/busybox:latest', true],
    ['node:20-alpine', true],
    ['python:3.12-alpine3.20', true],
    ['localhost:5000/alpine', true],
    ['ubuntu', false],
    ['debian:bookworm', false],
    ['registry.fedoraproject.org/fedora:40', false],
    ['alpine/git', false],
    ['gcr.io/example/bashful:1', false],
    ['', false],
    [undefined, false],
  ];
  for (const [image, expected] of table) {
    it(`says ${expected} for ${JSON.stringify(image)}`, () => {
      assert.equal(isBusyboxImage(image), expected);
    });
  }
});

describe('shellFamily (the table in docs/host-executor.md)', () => {
  const table: [string | undefined, string][] = [
    ['alpine:3.20', 'busybox'],
    ['gcr.io/tekton-releases/github.com/tektoncd/pipeline/cmd/git-init:v0.40.2', 'busybox'],
    ['mirror.gcr.io/bash:5.1.4', 'busybox'],
    ['node:20-alpine', 'busybox'],
    ['fedora', 'bash'],
    ['registry.fedoraproject.org/fedora:40', 'bash'],
    ['quay.io/fedora/fedora:41', 'bash'],
    ['registry.access.redhat.com/ubi9/ubi-minimal:9.5', 'bash'],
    ['registry.access.redhat.com/ubi8', 'bash'],
    ['registry.redhat.io/rhel9/buildah@sha256:0123', 'bash'],
    ['ubi9/python-311', 'bash'],
    ['example.com/ubi9:latest', 'bash'],
    ['centos:7', 'bash'],
    ['quay.io/centos/centos:stream9', 'bash'],
    ['rockylinux:9', 'bash'],
    ['almalinux:9', 'bash'],
    ['amazonlinux:2023', 'bash'],
    ['quay.io/konflux-ci/buildah-task:latest', 'bash'],
    ['quay.io/redhat-appstudio/appstudio-utils:x', 'bash'],
    ['ubuntu', 'dash'],
    ['mirror.gcr.io/ubuntu@sha256:0d39', 'dash'],
    ['debian:bookworm', 'dash'],
    ['python:3.12-slim-bookworm', 'dash'],
    ['golang:1.22', 'host'],
    ['gcr.io/example/ubiquity:1', 'host'],
    ['myfedora-tools', 'host'],
    ['', 'host'],
    [undefined, 'host'],
  ];
  for (const [image, family] of table) {
    it(`says ${family} for ${JSON.stringify(image)}`, () => assert.equal(shellFamily(image), family));
  }
});

// A no-shebang Tekton script runs as `#!/bin/sh` + `set -e`: written to a file and executed, so
// the kernel resolves /bin/sh inside the sandbox (one file per container: they run at once).
const tektonScript = (name: string, body: string): string =>
  `printf '#!/bin/sh\\nset -e\\n%s\\n' '${body}' > /workspace/${name} && chmod +x /workspace/${name} && /workspace/${name}`;

/** scriptContainer runs a Tekton-like script under image. */
function scriptContainer(name: string, image: string, body: string): V1Container {
  return { name, image, command: ['/bin/sh', '-c', tektonScript(name, body)], volumeMounts: [{ name: 'workspace', mountPath: '/workspace' }] };
}

for (const sandbox of ['bwrap', 'unshare'] as SandboxMode[]) {
  describe(`the image's /bin/sh with sandbox ${sandbox}`, () => {
    const executor = hostExecutor({ sandbox });

    it('is busybox for an alpine image: `[ a == a ]` passes and /bin/sh answers as BusyBox', async () => {
      const { options, recorded } = recordingOptions();
      const pod = podOf({
        containers: [scriptContainer('step-eq', 'alpine:3.20', '[ a == a ]; /bin/sh --help 2>&1 | head -c 7; echo')],
        volumes: emptyDirs('workspace'),
      });
      const status = await executor.runPod(pod, withTektonController(pod, options));
      assert.equal(logText(recorded, 'step-eq'), 'BusyBox\n');
      assert.deepEqual(stateOf(status, 'step-eq'), { terminated: { exitCode: 0, reason: 'Completed' } });
      assert.deepEqual(recorded.warnings, [imagesIgnoredWarning]);
    });

    it('stays the host shell (dash) for an ubuntu image: `[ a == a ]` fails the script', async () => {
      const { options, recorded } = recordingOptions();
      const pod = podOf({ containers: [scriptContainer('step-eq', 'ubuntu', '[ a == a ]; echo passed')], volumes: emptyDirs('workspace') });
      const status = await executor.runPod(pod, withTektonController(pod, options));
      assert.match(logText(recorded, 'step-eq'), /unexpected operator/);
      assert.doesNotMatch(logText(recorded, 'step-eq'), /passed/);
      assert.deepEqual(stateOf(status, 'step-eq'), { terminated: { exitCode: 2, reason: 'Error' } });
    });

    it('puts ash on PATH for a bash image, so `#!/usr/bin/env ash` scripts run', async () => {
      const { options, recorded } = recordingOptions();
      const command = ['/bin/sh', '-c', `printf '#!/usr/bin/env ash\\n[ x == x ] && echo ash works\\n' > /workspace/s && chmod +x /workspace/s && /workspace/s`];
      const pod = podOf({
        containers: [{ name: 'step-ash', image: 'mirror.gcr.io/bash', command, volumeMounts: [{ name: 'workspace', mountPath: '/workspace' }] }],
        volumes: emptyDirs('workspace'),
      });
      const status = await executor.runPod(pod, withTektonController(pod, options));
      assert.equal(logText(recorded, 'step-ash'), 'ash works\n');
      assert.equal(status.phase, 'Succeeded');
    });

    // Output that differs between the shells: bash (run as sh, in POSIX mode, as in UBI) knows
    // `[[ ]]` and `echo -e`; dash has no `[[` (exit 127 under set -e) and prints `-e`.
    const bashisms = 'echo -e "a\\tb"; [[ x == x ]] && echo double-brackets';

    it('is bash for a UBI image: `[[ ]]` and `echo -e` behave as in the image', async () => {
      const { options, recorded } = recordingOptions();
      const pod = podOf({
        containers: [scriptContainer('step-ubi', 'registry.access.redhat.com/ubi9/ubi-minimal', bashisms)],
        volumes: emptyDirs('workspace'),
      });
      const status = await executor.runPod(pod, withTektonController(pod, options));
      assert.equal(logText(recorded, 'step-ubi'), 'a\tb\ndouble-brackets\n');
      assert.deepEqual(stateOf(status, 'step-ubi'), { terminated: { exitCode: 0, reason: 'Completed' } });
    });

    it('is dash for a Debian image in the same pod: `echo -e` prints -e and `[[` is not found', async () => {
      const { options, recorded } = recordingOptions();
      const pod = podOf({
        containers: [scriptContainer('step-fedora', 'fedora:40', bashisms), scriptContainer('step-debian', 'debian:bookworm', bashisms)],
        volumes: emptyDirs('workspace'),
      });
      const status = await executor.runPod(pod, withTektonController(pod, options));
      assert.equal(logText(recorded, 'step-fedora'), 'a\tb\ndouble-brackets\n');
      assert.match(logText(recorded, 'step-debian'), /^-e a\tb\n.*\[\[: not found/s);
      assert.deepEqual(stateOf(status, 'step-debian'), { terminated: { exitCode: 127, reason: 'Error' } });
    });

    it('keeps the host shell with one warning when the host has no busybox', async () => {
      const { options, recorded } = recordingOptions();
      const noBusybox = hostExecutor({ sandbox, busybox: '/nonexistent/busybox' });
      const pod = podOf({
        containers: [scriptContainer('step-a', 'alpine', '[ a == a ]'), scriptContainer('step-b', 'busybox', 'true')],
        volumes: emptyDirs('workspace'),
      });
      const status = await noBusybox.runPod(pod, withTektonController(pod, options));
      assert.deepEqual(stateOf(status, 'step-a'), { terminated: { exitCode: 2, reason: 'Error' } });
      assert.deepEqual(recorded.warnings, [imagesIgnoredWarning, missingBusyboxWarning('alpine')]);
      assert.equal(
        missingBusyboxWarning('alpine'),
        'image alpine has busybox as /bin/sh, but this host has no busybox (apt-get install busybox-static): its scripts run under the host /bin/sh',
      );
    });
  });
}

describe("the image's /bin/sh without a mount namespace", () => {
  it('stays the host shell, with one warning', async () => {
    const { options, recorded } = recordingOptions();
    const pod = podOf({ containers: [{ name: 'step-a', image: 'alpine', command: ['sh', '-c', 'true'] }] });
    const status = await hostExecutor({ sandbox: 'none' }).runPod(pod, withTektonController(pod, options));
    assert.equal(status.phase, 'Succeeded');
    assert.deepEqual(recorded.warnings, [imagesIgnoredWarning, noSandboxWarning, noNamespaceShellWarning('alpine')]);
  });
});
