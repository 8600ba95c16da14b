// executor.ts: the seam between the kubelet and the places a Pod runs (host, podman, kubernetes).
// An Executor runs one V1Pod and reports container states. It knows Tekton only by the `step-`
// prefix: a step is Ready when it starts, and a step that cannot start stops the steps after it
// (they would wait for its post file for ever); everything else Tekton does is the controller's.
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import type { ImageConfigs } from '../oci/index.ts';

/** LogChunk is a piece of one container's stdout or stderr, streamed as it is written. */
export interface LogChunk {
  container: string;
  stream: 'stdout' | 'stderr';
  data: Buffer;
}

/** VolumeSources resolves the objects a Pod's volumes name (ConfigMaps, Secrets, PVC directories). */
export interface VolumeSources {
  /** configMap returns the ConfigMap's data (key → text), or undefined if it does not exist. */
  configMap(namespace: string, name: string): Record<string, string> | undefined;
  /** secret returns the Secret's decoded data (key → bytes), or undefined if it does not exist. */
  secret(namespace: string, name: string): Record<string, Buffer> | undefined;
  /** pvcDir returns the host directory that backs a PersistentVolumeClaim (created on demand). */
  pvcDir(namespace: string, claimName: string): string;
}

/** ImageConfigSource says what an image runs (ENTRYPOINT/CMD per platform): src/images' lookup. */
export interface ImageConfigSource {
  get(image: string, signal?: AbortSignal): Promise<{ ok: true; configs: ImageConfigs } | { ok: false; error: string }>;
}

/**
 * PodUpdates carries the later versions of a running Pod from the store to the backend: how the
 * controller acts on a running Pod, as in Tekton (pkg/pod/entrypoint.go): a changed annotation
 * (`tekton.dev/ready`) reaches the downward files, a container whose image changed (a sidecar
 * given the nop image) is stopped.
 */
export interface PodUpdates {
  /** subscribe calls listener with each newer version of the Pod; the returned function unsubscribes. */
  subscribe(listener: (pod: V1Pod) => void): () => void;
}

/** PodRunOptions are what an executor needs besides the Pod. */
export interface PodRunOptions {
  /** signal aborts the run (cancel, timeout): every process of the pod is killed, promptly. */
  signal: AbortSignal;
  /** workDir is a fresh directory the executor owns for this pod's emptyDir volumes etc. */
  workDir: string;
  volumes: VolumeSources;
  /** onLog receives output as it is produced; never buffered whole. */
  onLog(chunk: LogChunk): void;
  /** onStatus is called whenever a container's state changes (phase Pending/Running...). */
  onStatus(status: V1PodStatus): void;
  /** onWarning reports a one-line notice for the user (e.g. "images are ignored on the host"). */
  onWarning(message: string): void;
  /** updates brings the Pod's later versions (none: the Pod never changes while it runs). */
  updates?: PodUpdates;
  /**
   * images tells an executor without a container runtime (the host) what a container with no
   * command runs, as a runtime reads it from the image; steps already carry theirs in the Pod.
   */
  images?: ImageConfigSource;
  /**
   * onProcess is told the pid of every process group the run spawns (the host backend: each
   * sandbox or process; podman: each podman call that makes no labelled object, e.g. a pull),
   * killable with kill(-pid), as it is spawned, so that a kubelet can record it and a later
   * process can kill what a `kill -9` of this one left behind (src/kubelet).
   */
  onProcess?(pid: number): void;
  /**
   * onPodmanObjects is told the value of the label POD_LABEL (`tektite.dev/pod`) that every podman
   * pod and container of the run carries, before any is created, for the same clean-up.
   */
  onPodmanObjects?(label: string): void;
}

/**
 * Executor runs a Pod to completion: init containers in order, then all containers at once
 * (steps are ordered only by the entrypoint's wait/post files), and resolves with the final
 * V1PodStatus (initContainerStatuses, containerStatuses with terminated states and
 * termination messages read from each container's terminationMessagePath). Like a kubelet, it
 * stops a container only when told: the Pod deleted (signal) or its image changed (updates).
 * Rejects only for bugs;
 * run failures are container states.
 */
export interface Executor {
  readonly name: string;
  runPod(pod: V1Pod, options: PodRunOptions): Promise<V1PodStatus>;
  /**
   * settle resolves once what ended Pods left to finish in the background is done (podman removing
   * containers whose processes have ended), so that a process stopping its kubelet leaves nothing.
   */
  settle?(): Promise<void>;
}
