import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runArgs, parseQuantity } from './container-args.ts';
import { parseLdd } from './node-runtime.ts';
import { podCreateArgs } from './pod-lifecycle.ts';
import { explainRunFailure } from './check.ts';

describe('podman argument building', () => {
  it('parses Kubernetes quantities', () => {
    const cases: Array<[string, number | undefined]> = [
      ['500m', 0.5],
      ['2', 2],
      ['1.5', 1.5],
      ['64Mi', 64 * 2 ** 20],
      ['1G', 1e9],
      ['1e3', 1000],
      ['128974848', 128974848],
      ['12x', undefined],
    ];
    for (const [q, want] of cases) assert.equal(parseQuantity(q), want, q);
  });

  it('reads the loader and libraries from ldd output', () => {
    const text =
      '\tlinux-vdso.so.1 (0x00007ffd)\n\tlibdl.so.2 => /lib/x86_64-linux-gnu/libdl.so.2 (0x1)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x2)\n\t/lib64/ld-linux-x86-64.so.2 (0x3)\n';
    assert.deepEqual(parseLdd(text), { loader: '/lib64/ld-linux-x86-64.so.2', libs: ['/lib/x86_64-linux-gnu/libdl.so.2', '/lib/x86_64-linux-gnu/libc.so.6'] });
  });

  it('renders a container as podman run flags, command replacing the image entrypoint', () => {
    const args = runArgs({
      placement: ['--pod', 'p-1'],
      name: 'p-1-step-a',
      labels: { l: 'v' },
      image: 'img',
      env: new Map([['X', '1']]),
      mounts: [{ hostPath: '/h/ws', containerPath: '/workspace', readOnly: true }],
      c: {
        name: 'step-a',
        command: ['/bin/echo', '$(X)'],
        args: ['$(X)'],
        workingDir: '/w',
        securityContext: { runAsUser: 1000, allowPrivilegeEscalation: false },
        resources: { limits: { memory: '1Gi', cpu: '500m' } },
      },
      podSecurity: { runAsGroup: 3000 },
    });
    assert.deepEqual(args, [
      'run',
      '--pod',
      'p-1',
      '--name',
      'p-1-step-a',
      '--pull',
      'never',
      '--log-driver',
      'none',
      '--label',
      'l=v',
      '--env',
      'X=1',
      '--workdir',
      '/w',
      '--user',
      '1000:3000',
      '--security-opt',
      'no-new-privileges',
      '--memory',
      String(2 ** 30),
      '--cpus',
      '0.5',
      '--mount',
      'type=bind,src=/h/ws,dst=/workspace,ro=true',
      '--entrypoint',
      '["/bin/echo","1"]',
      'img',
      '1',
    ]);
  });

  it('renders hostAliases and dnsConfig on the pod', () => {
    const args = podCreateArgs(
      {
        metadata: { name: 'tr-pod' },
        spec: {
          containers: [],
          hostAliases: [{ ip: '10.0.0.1', hostnames: ['a', 'b'] }],
          dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc'], options: [{ name: 'ndots', value: '2' }] },
        },
      },
      'tr-pod-ab12',
    );
    assert.deepEqual(args, [
      'pod',
      'create',
      '--name',
      'tr-pod-ab12',
      '--label',
      'tektite.dev/pod=tr-pod-ab12',
      '--hostname',
      'tr-pod',
      '--add-host',
      'a:10.0.0.1',
      '--add-host',
      'b:10.0.0.1',
      '--dns',
      '1.1.1.1',
      '--dns-search',
      'svc',
      '--dns-option',
      'ndots:2',
    ]);
  });

  it('explains podman start failures with the fix for this machine', () => {
    assert.equal(
      explainRunFailure(
        'Error: runc: runc create failed: unable to start container process: error during container init: error setting rlimits for ready process: error setting rlimit type 7: setrlimit RLIMIT_NOFILE: Operation not permitted',
      ),
      'podman cannot start containers: the default ulimits are above what this machine allows (runc: runc create failed: unable to start container process: error during container init: error setting rlimits for ready process: error setting rlimit type 7: setrlimit RLIMIT_NOFILE: Operation not permitted).\n' +
        'Set default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"] in the [containers] section of /etc/containers/containers.conf (scripts/setup-podman.sh does the whole set-up).',
    );
    assert.equal(
      explainRunFailure('Error: crun: cgroups in hybrid mode not supported, drop all controllers from cgroupv2: OCI runtime error'),
      'podman cannot start containers with crun here (crun: cgroups in hybrid mode not supported, drop all controllers from cgroupv2: OCI runtime error).\n' +
        'Use runc: `apt-get install -y runc` and set runtime = "runc" in the [engine] section of /etc/containers/containers.conf (scripts/setup-podman.sh does the whole set-up).',
    );
  });
});
