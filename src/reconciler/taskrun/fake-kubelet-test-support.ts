// fake-kubelet-test-support: a kubelet for reconciler tests, over any ObjectStore and no processes.
// It does to Pods what the real one does (docs/architecture.md, "The Pod contract"): binds them
// (spec.nodeName by compare-and-swap), writes their status as the test scripts it (container
// states, exit codes, termination messages), writes container logs, and on deletion kills what is
// running, writes the final status and removes its finalizer.
import type { V1ContainerStatus, V1PodStatus } from '@kubernetes/client-node';
import type { Clock } from '../../controller/index.ts';
import type { LogStore, ObjectStore } from '../../store/index.ts';
import { KUBELET_FINALIZER } from '../../pod/index.ts';
import type { StoredPod } from './pod-create.ts';

/** ContainerScript is how one container ends: exit code, termination message or results, reason. */
export interface ContainerScript {
  exitCode?: number;
  /** message is the raw termination message (wins over results). */
  message?: string;
  /** results are written as the entrypoint does: `[{"key","value","type":1}]`. */
  results?: Record<string, string>;
  reason?: string;
}

/** FakeKubelet plays the kubelet of one node named `fake`. */
export class FakeKubelet {
  readonly node = 'fake';

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
    private readonly logs?: LogStore,
  ) {}

  /** pods lists the Pods in the store (all namespaces), by name. */
  async pods(): Promise<StoredPod[]> {
    return (await this.store.list<StoredPod>('Pod')).items.sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1));
  }

  async pod(name: string, namespace = 'default'): Promise<StoredPod | undefined> {
    return this.store.get<StoredPod>({ kind: 'Pod', namespace, name });
  }

  /** bind claims an unbound Pod for this node (false when another node got it first). */
  async bind(name: string, namespace = 'default'): Promise<boolean> {
    const pod = await this.must(name, namespace);
    if (pod.spec?.nodeName) return pod.spec.nodeName === this.node;
    const r = await this.store.update<StoredPod>({ ...pod, spec: { ...pod.spec!, nodeName: this.node } });
    return r.ok;
  }

  /** setStatus writes a Pod status as is. */
  async setStatus(name: string, status: V1PodStatus, namespace = 'default'): Promise<void> {
    const pod = await this.must(name, namespace);
    const r = await this.store.updateStatus<StoredPod>({ ...pod, status });
    if (!r.ok) throw new Error(`fake kubelet: status of ${name}: ${r.message}`);
  }

  /** pending reports the Pod Pending, its containers (init or not) waiting: PodInitializing, or as given by name. */
  async pending(name: string, waiting: Record<string, { reason: string; message?: string }> = {}, namespace = 'default'): Promise<void> {
    const pod = await this.bound(name, namespace);
    const state = (c: string): V1ContainerStatus['state'] => ({ waiting: waiting[c] ?? { reason: 'PodInitializing' } });
    await this.setStatus(name, { phase: 'Pending', ...this.containers(pod, state, state) }, namespace);
  }

  /** start runs the Pod: init containers ended 0, every container running. */
  async start(name: string, namespace = 'default'): Promise<void> {
    const pod = await this.bound(name, namespace);
    const startedAt = this.clock.now();
    await this.setStatus(
      name,
      {
        phase: 'Running',
        startTime: startedAt,
        ...this.containers(
          pod,
          () => ({ running: { startedAt } }),
          () => this.ended({}, startedAt),
        ),
      },
      namespace,
    );
  }

  /** finish ends every container as scripted (exit 0 otherwise): the Pod Succeeded, or Failed if one did not exit 0. */
  async finish(name: string, scripts: Record<string, ContainerScript> = {}, namespace = 'default'): Promise<void> {
    const pod = await this.bound(name, namespace);
    const at = this.clock.now();
    const failed = Object.values(scripts).some((s) => (s.exitCode ?? 0) !== 0);
    const status = this.containers(
      pod,
      (c) => this.ended(scripts[c] ?? {}, at),
      () => this.ended({}, at),
    );
    await this.setStatus(name, { phase: failed ? 'Failed' : 'Succeeded', startTime: at, ...status }, namespace);
  }

  /**
   * crash is what a kubelet writes of a Pod whose node went away (NodeLost): Failed with a reason
   * and message, its containers as last seen (the step never finished).
   */
  async crash(name: string, message: string, namespace = 'default'): Promise<void> {
    const pod = await this.bound(name, namespace);
    await this.setStatus(name, { ...pod.status, phase: 'Failed', reason: 'NodeLost', message }, namespace);
  }

  /** log appends text to a container's log and ends it. */
  async log(name: string, container: string, text: string, namespace = 'default'): Promise<void> {
    if (!this.logs) throw new Error('fake kubelet: no LogStore');
    const w = this.logs.open({ namespace, pod: name, container });
    w.write(text);
    await w.end();
  }

  /**
   * processDeletions kills every Pod marked for deletion: containers still running end with 137,
   * the final status is written, then the finalizer goes (and with it the Pod). Returns their names.
   */
  async processDeletions(): Promise<string[]> {
    const done: string[] = [];
    for (const pod of await this.pods()) {
      if (!pod.metadata.deletionTimestamp || !pod.metadata.finalizers?.includes(KUBELET_FINALIZER)) continue;
      const at = this.clock.now();
      const kill = (s: V1ContainerStatus): V1ContainerStatus => (s.state?.terminated ? s : { ...s, state: this.ended({ exitCode: 137, reason: 'Error' }, at) });
      const st = pod.status ?? {};
      const status = { ...st, phase: 'Failed', containerStatuses: (st.containerStatuses ?? []).map(kill), initContainerStatuses: (st.initContainerStatuses ?? []).map(kill) };
      const written = await this.store.updateStatus<StoredPod>({ ...pod, status });
      if (!written.ok) continue;
      const finalizers = (pod.metadata.finalizers ?? []).filter((f) => f !== KUBELET_FINALIZER);
      const r = await this.store.update<StoredPod>({ ...written.object, metadata: { ...written.object.metadata, finalizers } });
      if (r.ok) done.push(pod.metadata.name!);
    }
    return done;
  }

  private async must(name: string, namespace: string): Promise<StoredPod> {
    const pod = await this.pod(name, namespace);
    if (!pod) throw new Error(`fake kubelet: no pod ${namespace}/${name}`);
    return pod;
  }

  private async bound(name: string, namespace: string): Promise<StoredPod> {
    if (!(await this.bind(name, namespace))) throw new Error(`fake kubelet: pod ${name} is bound elsewhere`);
    return this.must(name, namespace);
  }

  private containers(pod: StoredPod, main: (name: string) => V1ContainerStatus['state'], init: (name: string) => V1ContainerStatus['state']) {
    const status = (c: { name: string; image?: string }, state: V1ContainerStatus['state']): V1ContainerStatus => ({
      name: c.name,
      image: c.image ?? '',
      imageID: `docker-pullable://${c.image ?? ''}@sha256:0`,
      ready: !!state?.running,
      restartCount: 0,
      state,
    });
    return {
      initContainerStatuses: (pod.spec?.initContainers ?? []).map((c) => status(c, init(c.name))),
      containerStatuses: (pod.spec?.containers ?? []).map((c) => status(c, main(c.name))),
    };
  }

  private ended(s: ContainerScript, at: Date): V1ContainerStatus['state'] {
    const exitCode = s.exitCode ?? 0;
    const results = s.results ? JSON.stringify(Object.entries(s.results).map(([key, value]) => ({ key, value, type: 1 }))) : undefined;
    const message = s.message ?? results;
    return { terminated: { exitCode, reason: s.reason ?? (exitCode === 0 ? 'Completed' : 'Error'), startedAt: at, finishedAt: at, ...(message ? { message } : {}) } };
  }
}
