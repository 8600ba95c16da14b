// runtime.ts: what differs between the places a Pod's containers run (the host, podman): a
// sandbox per Pod that creates its containers, and per container how it is started, signalled,
// reaped and probed. Everything else a kubelet does (volumes, env, ordering, readiness, status,
// the controller's updates) is lifecycle.ts's, written once.
import type { V1ContainerStateTerminated, V1Pod, V1Probe } from '@kubernetes/client-node';
import type { PodRunOptions } from '../executor.ts';
import type { PodVolumes } from './volumes.ts';

/** RuntimeContainer is one created container of the Pod. */
export interface RuntimeContainer {
  /**
   * run starts the container, calls onStarted once it runs, and resolves with how it ended (a
   * container that could not start ends with reason StartError). signal kills it and everything
   * it started. Never rejects.
   */
  run(signal: AbortSignal, onStarted: (at: Date) => void): Promise<V1ContainerStateTerminated>;
  /** running resolves true once the runtime sees the container running, false if it ended first or signal aborts; absent: running once started. */
  running?(signal: AbortSignal): Promise<boolean>;
  /** probe makes one attempt of a readiness probe where the container runs; signal carries the timeout. */
  probe(probe: V1Probe, signal: AbortSignal): Promise<boolean>;
}

/** Uncreated says why the Pod's containers could not be created: a container's waiting reason, or the Pod's failure. */
export type Uncreated = { container: string; reason: string; message: string } | { podReason: string; message: string };

/** PodSandbox is one Pod on a backend, from set-up to removal. */
export interface PodSandbox {
  /** smallDir holds the Pod's small internal volumes (a tmpfs on the host when there is one). */
  readonly smallDir: string;
  /** create makes every container of the Pod (init containers and the others) ready to run, by name. */
  create(volumes: PodVolumes): Promise<Map<string, RuntimeContainer> | Uncreated>;
  /** initDone is told that every init container succeeded, before the others start. */
  initDone?(): void;
  /** release removes what the sandbox made; it may finish in the background. Never rejects. */
  release(): Promise<void>;
}

/** ContainerRuntime makes the sandbox of each Pod. */
export interface ContainerRuntime {
  readonly name: string;
  sandbox(pod: V1Pod, options: PodRunOptions): PodSandbox;
}
