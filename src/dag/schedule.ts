// schedule.ts: which PipelineTasks may start now (dag.GetCandidateTasks), incrementally:
// each task keeps a count of unfinished parents, so marking a task done costs its out-degree.
import type { Graph } from './graph.ts';

/** Scheduler hands out tasks whose parents are all done (succeeded, failed or skipped). */
export class Scheduler {
  private readonly waitingOn = new Map<string, number>();
  private readonly doneSet = new Set<string>();
  private readonly readyQueue: string[] = [];
  private readonly order: Map<string, number>;

  constructor(private readonly graph: Graph) {
    this.order = new Map(graph.names.map((n, i) => [n, i]));
    for (const n of graph.names) {
      const count = graph.parents(n).length;
      this.waitingOn.set(n, count);
      if (count === 0) this.readyQueue.push(n);
    }
  }

  /** takeReady returns (once) every task that became ready since the last call, in Pipeline order. */
  takeReady(): string[] {
    return this.readyQueue.splice(0).sort((a, b) => this.order.get(a)! - this.order.get(b)!);
  }

  /** markDone records a finished task and queues children whose parents are now all done. */
  markDone(name: string): void {
    if (this.doneSet.has(name)) return;
    this.doneSet.add(name);
    for (const c of this.graph.children(name)) {
      const left = this.waitingOn.get(c)! - 1;
      this.waitingOn.set(c, left);
      if (left === 0) this.readyQueue.push(c);
    }
  }

  isDone(name: string): boolean {
    return this.doneSet.has(name);
  }

  get allDone(): boolean {
    return this.doneSet.size === this.graph.names.length;
  }
}
