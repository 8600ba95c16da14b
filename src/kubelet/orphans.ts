// orphans.ts: Pods whose kubelet died. On a cluster the node controller notices a node that stopped
// reporting and its pods are failed (NodeLost); the container runtime outlives the kubelet and
// kills what is left. Locally a node is a tektite process: it is gone when its pid is gone or
// reused (records.ts). A Pod bound to such a node that had not ended has its leftovers killed
// (leftovers.ts), is marked Failed with the reason, and loses the finalizer if it was deleted.
import { rmSync } from 'node:fs';
import type { Clock, InformerEvent } from '../controller/index.ts';
import { objectKey, splitKey } from '../controller/index.ts';
import type { ObjectStore } from '../store/index.ts';
import { hasFinalizer, removeFinalizer } from './finalizer.ts';
import { killLeftovers } from './leftovers.ts';
import { isAlive, type Records } from './records.ts';
import { isTerminal, nodeLostStatus } from './status.ts';
import type { PodObject } from './status-writer.ts';

/** ReaperContext is what the clean-up needs of its kubelet. */
export interface ReaperContext {
  store: ObjectStore;
  records: Records;
  nodeName: string;
  clock: Clock;
  /** podsDir is <stateDir>/pods, where Pods' work dirs are. */
  podsDir: string;
  podmanPath?: string;
  problem(message: string): void;
}

const attempts = 10;

/** Reaper finds and cleans up after dead nodes. */
export class Reaper {
  /** suspects are Pods bound to another node that have not ended (key → node), from the informer. */
  private readonly suspects = new Map<string, string>();

  constructor(private readonly ctx: ReaperContext) {}

  /** observe keeps the suspects up to date from the Pod informer. */
  observe(type: InformerEvent, pod: PodObject): void {
    const key = objectKey(pod);
    const node = pod.spec?.nodeName;
    if (type !== 'DELETED' && node && node !== this.ctx.nodeName && (!isTerminal(pod.status) || (pod.metadata.deletionTimestamp && hasFinalizer(pod)))) {
      this.suspects.set(key, node);
    } else {
      this.suspects.delete(key);
    }
  }

  /** nodeAlive tells whether a node's process still runs; a node without a record is gone (records precede binding). */
  nodeAlive(nodeName: string): boolean {
    if (nodeName === this.ctx.nodeName) return true;
    const record = this.ctx.records.readNode(nodeName);
    return record !== undefined && isAlive(record);
  }

  /**
   * check cleans up after every dead node: what its records say it started, then its Pods in the
   * store, then its node record. It never throws.
   */
  async check(): Promise<void> {
    try {
      for (const rec of this.ctx.records.pods()) {
        const node = rec.header.nodeName;
        if (node === this.ctx.nodeName || this.nodeAlive(node)) continue;
        const removed = await killLeftovers(rec.started, this.ctx.podsDir, this.ctx.podmanPath);
        await this.reapPod(`${rec.header.namespace}/${rec.header.name}`, node, rec.header.uid);
        if (removed) rmSync(rec.file, { force: true });
        else this.ctx.problem(`podman could not remove the containers of Pod ${rec.header.namespace}/${rec.header.name} of the ended node ${node}: trying again later`);
      }
      for (const [key, node] of [...this.suspects]) {
        if (!this.nodeAlive(node)) await this.reapPod(key, node);
      }
      const referenced = new Set(this.ctx.records.pods().map((r) => r.header.nodeName));
      for (const n of this.ctx.records.nodes()) {
        if (n.nodeName !== this.ctx.nodeName && !referenced.has(n.nodeName) && !isAlive(n)) this.ctx.records.removeNode(n.nodeName);
      }
    } catch (e) {
      this.ctx.problem(`cleaning up after ended tektite processes: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** killRecorded kills what this node's name recorded in an earlier process (a node name reused after a crash). */
  async killRecorded(nodeName: string): Promise<void> {
    for (const rec of this.ctx.records.pods()) {
      if (rec.header.nodeName !== nodeName) continue;
      if (await killLeftovers(rec.started, this.ctx.podsDir, this.ctx.podmanPath)) rmSync(rec.file, { force: true });
    }
  }

  /**
   * reapPod fails a Pod of a dead node (unless it ended) and removes the finalizer of a deleted
   * one; a Pod that is gone, replaced (another uid) or bound elsewhere meanwhile is left alone.
   */
  async reapPod(key: string, node: string, uid?: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    for (let attempt = 0; attempt < attempts; attempt++) {
      let pod = await this.ctx.store.get<PodObject>({ kind: 'Pod', namespace, name });
      if (!pod || (uid && pod.metadata.uid !== uid) || pod.spec?.nodeName !== node) return;
      if (!isTerminal(pod.status)) {
        const r = await this.ctx.store.updateStatus<PodObject>({ ...pod, status: nodeLostStatus(pod, node, this.ctx.clock.now()) });
        if (!r.ok && r.reason === 'Conflict') continue;
        if (!r.ok) return this.ctx.problem(`failing Pod ${key} of the ended node ${node}: ${r.message}`);
        pod = r.object;
      }
      if (pod.metadata.deletionTimestamp && hasFinalizer(pod)) {
        const r = await removeFinalizer(this.ctx.store, pod);
        if (!r.ok && r.reason === 'Conflict') continue;
        if (!r.ok) return this.ctx.problem(`removing the finalizer of Pod ${key}: ${r.message}`);
      }
      this.suspects.delete(key);
      return;
    }
  }
}
