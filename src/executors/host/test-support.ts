// test-support.ts: fixtures for the host executor tests (a fresh workDir, fake volume sources,
// recorded logs/statuses/warnings). Not exported from index.ts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Container, V1Pod, V1PodStatus, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import type { LogChunk, PodRunOptions, VolumeSources } from '../executor.ts';

const created: string[] = [];
// Test pods leave their work directories behind until the test process ends.
process.once('exit', () => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Recorded is what a run reported through its callbacks. */
export interface Recorded {
  logs: LogChunk[];
  statuses: V1PodStatus[];
  warnings: string[];
  workDir: string;
}

/** recordingOptions returns PodRunOptions that record everything, with the given ConfigMaps/Secrets. */
export function recordingOptions(
  objects: { configMaps?: Record<string, Record<string, string>>; secrets?: Record<string, Record<string, string>> } = {},
  signal = new AbortController().signal,
): { options: PodRunOptions; recorded: Recorded } {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'tektite-host-'));
  created.push(workDir);
  const recorded: Recorded = { logs: [], statuses: [], warnings: [], workDir };
  const volumes: VolumeSources = {
    configMap: (_ns, name) => objects.configMaps?.[name],
    secret: (_ns, name) => {
      const data = objects.secrets?.[name];
      return data && Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v)]));
    },
    pvcDir: (ns, claim) => {
      const dir = path.join(workDir, 'pvc', ns, claim);
      mkdirSync(dir, { recursive: true });
      return dir;
    },
  };
  const options: PodRunOptions = {
    signal,
    workDir,
    volumes,
    onLog: (c) => recorded.logs.push(c),
    onStatus: (s) => recorded.statuses.push(s),
    onWarning: (w) => recorded.warnings.push(w),
  };
  return { options, recorded };
}

/** logText joins one container's output (both streams, in arrival order). */
export function logText(recorded: Recorded, container: string): string {
  return recorded.logs
    .filter((c) => c.container === container)
    .map((c) => c.data.toString())
    .join('');
}

/** emptyDirs declares emptyDir volumes by name. */
export function emptyDirs(...names: string[]): V1Volume[] {
  return names.map((name) => ({ name, emptyDir: {} }));
}

/** shContainer is a container running `sh -c script` with the given mounts. */
export function shContainer(name: string, script: string, volumeMounts: V1VolumeMount[] = [], extra: Partial<V1Container> = {}): V1Container {
  return { name, image: 'busybox', command: ['sh', '-c', script], volumeMounts, ...extra };
}

/** podOf builds a pod from containers, init containers and volumes. */
export function podOf(spec: { containers: V1Container[]; initContainers?: V1Container[]; volumes?: V1Volume[] }, annotations?: Record<string, string>): V1Pod {
  return { metadata: { name: 'demo-pod', namespace: 'default', annotations }, spec: { restartPolicy: 'Never', ...spec } };
}

/** stateOf summarises a container status for whole-object assertions (dates dropped). */
export function stateOf(status: V1PodStatus, name: string): unknown {
  const all = [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])];
  const s = all.find((c) => c.name === name)?.state;
  if (s?.terminated) {
    const { exitCode, reason, message } = s.terminated;
    return { terminated: { exitCode, reason, ...(message === undefined ? {} : { message }) } };
  }
  return s?.running ? { running: true } : s;
}

/** settlesDead waits briefly for a pid to stop running (signal delivery is asynchronous). */
export async function settlesDead(pid: number): Promise<boolean> {
  const running = (): boolean => {
    try {
      return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return false;
    }
  };
  for (let i = 0; i < 100 && running(); i++) await sleep(10);
  return !running();
}
