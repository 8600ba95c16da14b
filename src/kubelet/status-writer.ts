// status-writer.ts: a running Pod's status, written to the store as the kubelet's status manager
// does (pkg/kubelet/status/status_manager.go): only when it changed, one write at a time, and a
// burst of changes collapses to the latest (never a queue of stale writes). Writes are
// compare-and-swap on the last object seen; a Conflict re-reads the Pod and tries again.
import { setTimeout as sleep } from 'node:timers/promises';
import type { V1Pod, V1PodStatus } from '@kubernetes/client-node';
import { jsonCopy, type KObject, type ObjectKey, type ObjectStore } from '../store/index.ts';

/** PodObject is a Pod as the store holds it. */
export type PodObject = V1Pod & KObject;

// A write that keeps conflicting is given up after this many attempts (a final status: after the
// store failed this many times too, with a pause between, since a busy or full disk may recover).
const attempts = 10;
const storageRetryMs = 200;

/** StatusWriter writes one Pod's status. */
export class StatusWriter {
  private pending: V1PodStatus | undefined;
  private written: string | undefined;
  private busy = false;
  private drained: Promise<void> = Promise.resolve();
  private gone = false;

  constructor(
    private readonly store: ObjectStore,
    private pod: PodObject,
    private readonly warn: (message: string) => void,
  ) {}

  /** latest is the last Pod object written or read (with its resourceVersion). */
  latest(): PodObject {
    return this.pod;
  }

  /** push sets the status to write; only the latest pushed before a write starts is written. */
  push(status: V1PodStatus): void {
    this.pending = jsonCopy(status);
    if (this.busy) return;
    this.busy = true;
    this.drained = (async () => {
      while (this.pending && !this.gone) {
        const next = this.pending;
        this.pending = undefined;
        await this.write(next, false);
      }
      this.busy = false; // in the same turn as the last look at pending: no push is lost
    })();
  }

  /** finish writes the final status after any write in flight; true when it is stored. */
  async finish(status: V1PodStatus): Promise<boolean> {
    this.pending = undefined;
    await this.drained;
    return this.write(jsonCopy(status), true);
  }

  /** write stores status unless it is what was written last; false when the Pod is gone or the store kept refusing. */
  private async write(status: V1PodStatus, final: boolean): Promise<boolean> {
    const json = JSON.stringify(status);
    if (json === this.written) return true;
    const key: ObjectKey = { kind: 'Pod', namespace: this.pod.metadata.namespace ?? '', name: this.pod.metadata.name ?? '' };
    for (let attempt = 1; attempt <= attempts && !this.gone; attempt++) {
      const r = await this.store.updateStatus<PodObject>({ ...this.pod, status });
      if (r.ok) {
        this.pod = r.object;
        this.written = json;
        return true;
      }
      if (r.reason === 'Conflict') {
        const cur = await this.store.get<PodObject>(key);
        if (cur && cur.metadata.uid === this.pod.metadata.uid) this.pod = cur;
        else this.gone = true;
        continue;
      }
      if (r.reason === 'NotFound') {
        this.gone = true;
        break;
      }
      if (!final) {
        this.warn(`cannot write the status of Pod ${key.namespace}/${key.name}: ${r.message}`);
        return false;
      }
      await sleep(storageRetryMs * attempt);
    }
    if (!this.gone) this.warn(`gave up writing the ${final ? 'final ' : ''}status of Pod ${key.namespace}/${key.name}`);
    return false;
  }
}
