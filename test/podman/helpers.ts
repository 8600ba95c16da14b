// helpers.ts: shared fixtures for the podman executor tests: the skip rule, local images, hand-written
// Tekton-shaped V1Pods, a runPod wrapper that records logs and statuses, and the leftover check.
import { withTektonController } from '../../src/executors/pod/controller-test-support.ts';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { V1Container, V1Pod, V1PodStatus, V1Volume } from '@kubernetes/client-node';
import type { LogChunk, VolumeSources } from '../../src/executors/index.ts';
import { cleanupSettled, ensureBusyboxImage, podmanCli, podmanExecutor, type PodmanExecutorOptions } from '../../src/executors/podman/index.ts';

/** skipReason is why podman tests are skipped: only when podman is absent AND this is not CI (in CI they must run). */
export const skipReason: string | false =
  spawnSync('podman', ['--version']).error && !process.env.CI ? 'podman is not installed (run scripts/setup-podman.sh); skipping podman executor tests' : false;

const cli = podmanCli();
/** images builds (once, cached by tag) the static busybox image and the shell-only image. */
export async function images(): Promise<{ busybox: string; shellOnly: string }> {
  const busybox = await ensureBusyboxImage(cli);
  const shellOnly = await ensureBusyboxImage(cli, { shellOnly: true });
  if (!busybox || !shellOnly) throw new Error('no static busybox on this machine: apt-get install busybox-static');
  return { busybox, shellOnly };
}

/** entrypointBundle is the real dist/entrypoint.cjs, bundled from source into a temp dir when it has not been built. */
export const entrypointBundle = builtBundle();

function builtBundle(): string {
  const root = join(import.meta.dirname, '..', '..');
  const dist = join(root, 'dist', 'entrypoint.cjs');
  if (existsSync(dist)) return dist;
  const out = join(mkdtempSync(join(tmpdir(), 'tektite-bundle-')), 'entrypoint.cjs');
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'bundle-entrypoint.mjs'), out], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bundling the entrypoint failed: ${r.stderr}`);
  return out;
}

/** uniqueName returns a fresh pod name so parallel test files never share podman objects. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(3).toString('hex')}-pod`;
}

/** Recorded is what one runPod call produced. */
export interface Recorded {
  status: V1PodStatus;
  statuses: V1PodStatus[];
  logs: LogChunk[];
  warnings: string[];
  workDir: string;
  /** text joins one container's stream as it was logged. */
  text(container: string, stream?: 'stdout' | 'stderr'): string;
}

/** fakeSources serves ConfigMaps and Secrets from plain objects and PVCs from directories under root. */
export function fakeSources(root: string, configMaps: Record<string, Record<string, string>> = {}, secrets: Record<string, Record<string, string>> = {}): VolumeSources {
  return {
    configMap: (_ns, name) => configMaps[name],
    secret: (_ns, name) => secrets[name] && Object.fromEntries(Object.entries(secrets[name]).map(([k, v]) => [k, Buffer.from(v)])),
    pvcDir: (ns, claim) => {
      const d = join(root, 'pvc', ns, claim);
      mkdirSync(d, { recursive: true });
      return d;
    },
  };
}

/** runPod runs a Pod with the podman executor and records everything it reported. */
export async function runPod(pod: V1Pod, options: { signal?: AbortSignal; sources?: VolumeSources; executor?: PodmanExecutorOptions } = {}): Promise<Recorded> {
  const workDir = mkdtempSync(join(tmpdir(), 'tektite-podman-test-'));
  const logs: LogChunk[] = [];
  const statuses: V1PodStatus[] = [];
  const warnings: string[] = [];
  const executor = podmanExecutor({ entrypointBundle, ...options.executor });
  // Tekton's controller duties (ready annotation, sidecars stopped) are played from the reported status.
  const runOptions = withTektonController(pod, {
    signal: options.signal ?? new AbortController().signal,
    workDir,
    volumes: options.sources ?? fakeSources(workDir),
    onLog: (c) => logs.push(c),
    onStatus: (s) => statuses.push(s),
    onWarning: (m) => warnings.push(m),
  });
  const status = await executor.runPod(pod, runOptions);
  // Removal runs in the background once the Pod is done; leftovers are checked after it.
  await cleanupSettled();
  const text = (container: string, stream?: string) =>
    Buffer.concat(logs.filter((l) => l.container === container && (!stream || l.stream === stream)).map((l) => l.data)).toString('utf8');
  return { status, statuses, logs, warnings, workDir, text };
}

/** leftovers lists podman containers and pods whose name starts with the pod name: must be empty after every run (once cleanup has settled). */
export function leftovers(podName: string): string[] {
  const ps = spawnSync('podman', ['ps', '-a', '--filter', `name=^${podName}`, '--format', '{{.Names}}'], { encoding: 'utf8' }).stdout;
  const pods = spawnSync('podman', ['pod', 'ps', '--filter', `name=^${podName}`, '--format', '{{.Name}}'], { encoding: 'utf8' }).stdout;
  return [...ps.split('\n'), ...pods.split('\n')].filter(Boolean);
}

/** terminatedOf returns the terminated state of a container in a status, without its timestamps. */
export function terminatedOf(status: V1PodStatus, name: string): { exitCode: number; reason?: string; message?: string } | undefined {
  const c = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])].find((s) => s.name === name);
  const t = c?.state?.terminated;
  return t && { exitCode: t.exitCode, ...(t.reason ? { reason: t.reason } : {}), ...(t.message ? { message: t.message } : {}) };
}

/** TektonStep is one step of a hand-written Tekton-shaped Pod. */
export interface TektonStep {
  name: string;
  image: string;
  command: string[];
}

/** tektonPod writes by hand the Pod shape of TEKTON-FACTS §2: prepare init container, entrypoint-wrapped steps ordered by /tekton/run files, sidecars. */
export function tektonPod(name: string, steps: TektonStep[], sidecars: V1Container[] = []): V1Pod {
  const volumes: V1Volume[] = [
    { name: 'tekton-internal-bin', emptyDir: {} },
    { name: 'tekton-internal-steps', emptyDir: {} },
    { name: 'tekton-internal-workspace', emptyDir: {} },
    { name: 'tekton-internal-home', emptyDir: {} },
    { name: 'tekton-internal-results', emptyDir: {} },
    { name: 'tekton-internal-downward', downwardAPI: { items: [{ path: 'ready', fieldRef: { fieldPath: "metadata.annotations['tekton.dev/ready']" } }] } },
    ...steps.map((_, i) => ({ name: `tekton-internal-run-${i}`, emptyDir: {} })),
  ];
  const names = steps.map((s) => `step-${s.name}`);
  const prepare: V1Container = {
    name: 'prepare',
    image: 'ghcr.io/tektoncd/pipeline/entrypoint:latest',
    workingDir: '/',
    command: ['/ko-app/entrypoint', 'init', '/ko-app/entrypoint', '/tekton/bin/entrypoint', ...names],
    volumeMounts: [
      { name: 'tekton-internal-bin', mountPath: '/tekton/bin' },
      { name: 'tekton-internal-steps', mountPath: '/tekton/steps' },
    ],
  };
  const containers = steps.map(
    (s, i): V1Container => ({
      name: names[i],
      image: s.image,
      command: ['/tekton/bin/entrypoint'],
      terminationMessagePath: '/tekton/termination',
      args: [
        ...(i === 0 ? ['-wait_file', '/tekton/downward/ready', '-wait_file_content'] : ['-wait_file', `/tekton/run/${i - 1}/out`]),
        '-post_file',
        `/tekton/run/${i}/out`,
        '-termination_path',
        '/tekton/termination',
        '-step_metadata_dir',
        `/tekton/run/${i}/status`,
        '-entrypoint',
        s.command[0],
        '--',
        ...s.command.slice(1),
      ],
      volumeMounts: [
        { name: 'tekton-internal-bin', mountPath: '/tekton/bin', readOnly: true },
        { name: 'tekton-internal-workspace', mountPath: '/workspace' },
        { name: 'tekton-internal-home', mountPath: '/tekton/home' },
        { name: 'tekton-internal-results', mountPath: '/tekton/results' },
        { name: 'tekton-internal-steps', mountPath: '/tekton/steps', readOnly: true },
        ...steps.map((_, j) => ({ name: `tekton-internal-run-${j}`, mountPath: `/tekton/run/${j}`, readOnly: j !== i })),
        ...(i === 0 ? [{ name: 'tekton-internal-downward', mountPath: '/tekton/downward', readOnly: true }] : []),
      ],
    }),
  );
  // Without sidecars the Pod is ready at once, as Tekton builds it outside environments that inject
  // sidecars; with them, the controller (or withTektonController) sets tekton.dev/ready.
  const annotations = sidecars.length === 0 ? { 'tekton.dev/ready': 'READY' } : undefined;
  return {
    metadata: { name, namespace: 'default', labels: { 'tekton.dev/taskRun': name.replace(/-pod$/, '') }, ...(annotations ? { annotations } : {}) },
    spec: { restartPolicy: 'Never', volumes, initContainers: [prepare], containers: [...containers, ...sidecars] },
  };
}
