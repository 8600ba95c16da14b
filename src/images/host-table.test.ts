import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { commandsForStep } from '../pod/index.ts';
import { HOST_TABLE, hostTableCommand, tableKey } from './host-table.ts';

describe('tableKey', () => {
  it('names the image family from the last path component, whatever the registry, tag or digest', () => {
    assert.equal(tableKey('mirror.gcr.io/bash@sha256:e320b40b14abc61f053286705070342c46034a549a276b798e64541457c4af92'), 'bash');
    assert.equal(tableKey('ubuntu'), 'ubuntu');
    assert.equal(tableKey('docker.io/library/debian:bookworm-slim'), 'debian');
    assert.equal(tableKey('registry.access.redhat.com/ubi9/ubi:9.4'), 'ubi');
    assert.equal(tableKey('registry.access.redhat.com/ubi8/ubi-minimal'), 'ubi-minimal');
    assert.equal(tableKey('python:3.12-slim'), 'python');
    assert.equal(tableKey('golang:1.22'), 'golang');
    assert.equal(tableKey('golang:1.22-alpine'), 'alpine');
  });

  it("knows Tekton's nop image under its ko name, and no other image called nop", () => {
    assert.equal(tableKey('ghcr.io/tektoncd/pipeline/nop-8eac7c133edad5df719dc37b36b62482@sha256:5a587635b5b355d51def6380ba344ff42a52fa7c60013f405df3bba80b0702e4'), 'nop');
    assert.equal(tableKey('gcr.io/tekton-releases/github.com/tektoncd/pipeline/cmd/nop'), 'nop');
    assert.equal(tableKey('example.com/team/nop'), undefined);
    assert.equal(tableKey('example.com/team/my-tool:1'), undefined);
  });

  it("keeps the images' real ENTRYPOINT/CMD beside the host equivalents", () => {
    assert.deepEqual(HOST_TABLE.bash.image, { entrypoint: ['docker-entrypoint.sh'], cmd: ['bash'] });
    assert.deepEqual(HOST_TABLE.busybox.image, { entrypoint: [], cmd: ['sh'] });
    assert.deepEqual(HOST_TABLE.ubuntu.image, { entrypoint: [], cmd: ['/bin/bash'] });
    assert.deepEqual(HOST_TABLE.nop.image, { entrypoint: ['/ko-app/nop'], cmd: [] });
  });
});

// The command the entrypoint runs for a step of `image` with `args` (Tekton's rule), run on this host.
function runStep(image: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const command = hostTableCommand(image);
  assert.ok(command, image);
  const argv = [...Object.values(commandsForStep({ digest: '', platforms: { 'linux/amd64': command } }, args.length > 0))[0], ...args];
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', input: '', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("the table's commands run on this host as in the image", () => {
  it("bash: args that are a command are exec'd, options go to bash, no args runs bash", () => {
    assert.deepEqual(runStep('mirror.gcr.io/bash', ['echo', 'foo', 'bar']), { status: 0, stdout: 'foo bar\n', stderr: '' });
    assert.equal(runStep('bash', ['-c', 'echo "$BASH_VERSION" | cut -c1']).stdout.trim().length, 1);
    assert.equal(runStep('bash', []).status, 0);
    assert.equal(runStep('bash', ['false']).status, 1);
  });

  it('busybox, alpine, ubuntu, debian, fedora, ubi, golang: a shell takes -c', () => {
    for (const image of ['busybox', 'alpine:3', 'ubuntu', 'debian', 'fedora', 'ubi9/ubi', 'golang']) {
      assert.deepEqual(runStep(image, ['-c', 'echo hello && exit 3']), { status: 3, stdout: 'hello\n', stderr: '' }, image);
    }
  });

  it("node: a script or option goes to node, a command is exec'd", () => {
    assert.equal(runStep('node:20', ['-e', 'console.log(6*7)']).stdout, '42\n');
    assert.equal(runStep('node:20', ['echo', 'x']).stdout, 'x\n');
  });

  it('python runs python3', () => {
    assert.equal(runStep('python:3', ['-c', 'print(6*7)']).stdout, '42\n');
  });

  it("nop logs Exiting... in Go's log format and succeeds", () => {
    const r = runStep('ghcr.io/tektoncd/pipeline/nop-8eac7c133edad5df719dc37b36b62482', []);
    assert.equal(r.status, 0);
    assert.match(r.stderr, /^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d Exiting\.\.\.\n$/);
  });
});
