// test-support.ts: fixtures for the kubelet tests: a temporary state dir, Pods built by src/pod
// from small TaskRuns (with the kubelet's finalizer, as the TaskRun reconciler creates them), and
// waiting on the store. Not exported from index.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Step, TaskRun, TaskSpec } from '../api/index.ts';
import { buildPod } from '../pod/index.ts';
import type { ObjectStore } from '../store/index.ts';
import { applyTaskSubstitutions } from '../substitution/index.ts';
import { resolveWorkspaces } from '../workspaces/index.ts';
import { KUBELET_FINALIZER } from './finalizer.ts';
import type { PodObject } from './status-writer.ts';

const created: string[] = [];
process.once('exit', () => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** tempStateDir makes a state dir removed when the test process exits. */
export function tempStateDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tektite-kubelet-'));
  created.push(dir);
  return dir;
}

/**
 * taskRunPod builds the Pod of a TaskRun running steps, as the TaskRun reconciler would create it.
 * No reconciler runs in these tests: a Pod without sidecars is built ready at once (its
 * `tekton.dev/ready` annotation set, as Tekton does without injected sidecars); one with sidecars
 * waits for the test to play the controller.
 */
export function taskRunPod(name: string, steps: Step[], namespace = 'default', extra: Partial<TaskSpec> = {}): PodObject {
  const taskRun: TaskRun = {
    apiVersion: 'tekton.dev/v1',
    kind: 'TaskRun',
    metadata: { name, namespace, uid: `uid-${name}` },
    spec: { serviceAccountName: 'default', timeout: '1h0m0s' },
  };
  const spec: TaskSpec = { steps, ...extra };
  const ws = resolveWorkspaces(spec.workspaces ?? [], taskRun.spec.workspaces ?? [], taskRun);
  const substituted = applyTaskSubstitutions(spec, { params: [], taskRun: { name, namespace, uid: `uid-${name}` }, taskName: name, retryCount: 0, workspaces: ws.workspaces });
  const built = buildPod(taskRun, substituted, ws, {
    entrypointImage: 'ghcr.io/tektoncd/pipeline/cmd/entrypoint:latest',
    shellImage: 'cgr.dev/chainguard/busybox:latest',
    awaitSidecarReadiness: true,
    runningInEnvironmentWithInjectedSidecars: false,
    resultsFromSidecarLogs: false,
    disableCredsInit: true,
    managedByLabelValue: 'tekton-pipelines',
    randomSuffix: () => 'abcde',
  });
  if ('error' in built) throw new Error(built.error.toString());
  const pod = built.pod as PodObject;
  pod.metadata.finalizers = [KUBELET_FINALIZER];
  // The kubelet never reads the owner, and these tests store no TaskRun: the store would refuse a
  // dependent of an owner that is not there (api-store.ts goneOwner).
  for (const r of pod.metadata.ownerReferences ?? []) delete r.blockOwnerDeletion;
  return pod;
}

/** createPod stores a Pod and returns it as stored. */
export async function createPod(store: ObjectStore, pod: PodObject): Promise<PodObject> {
  const r = await store.create(pod);
  if (!r.ok) throw new Error(r.message);
  return r.object;
}

/** getPod reads a Pod. */
export function getPod(store: ObjectStore, namespace: string, name: string): Promise<PodObject | undefined> {
  return store.get<PodObject>({ kind: 'Pod', namespace, name });
}

/** waitFor polls until test returns a value (not undefined/false), or fails after timeoutMs. */
export async function waitFor<T>(what: string, test: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await test();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** podEnded waits for a Pod's phase to be Succeeded or Failed and returns it. */
export function podEnded(store: ObjectStore, namespace: string, name: string, timeoutMs?: number): Promise<PodObject> {
  return waitFor(
    `Pod ${namespace}/${name} to end`,
    async () => {
      const pod = await getPod(store, namespace, name);
      return pod && (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') ? pod : undefined;
    },
    timeoutMs,
  );
}

/** processRunning tells whether pid names a live process (a zombie counts as dead). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
}
