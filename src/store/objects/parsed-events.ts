// parsed-events.ts: the events a process wrote or parsed, by revision, so that its watchers share
// one frozen object each instead of parsing the event log's text each for itself. A committed
// revision's event never changes; the events of the transaction under way are kept apart until it
// commits (after a rollback, another process may commit a different event under the same revision).
import type { StoredEvent } from './backend.ts';
import { deepFreeze } from './json.ts';
import type { KObject } from './types.ts';

export class ParsedEvents {
  private readonly byRevision = new Map<number, KObject>();
  private uncommitted: StoredEvent[] = [];

  constructor(private readonly keep: number) {}

  /** written holds an event of the transaction under way. */
  written(event: StoredEvent): void {
    this.uncommitted.push(event);
  }
  /** ended keeps the transaction's events once it committed, drops them if it rolled back. */
  ended(committed: boolean): void {
    if (committed) for (const e of this.uncommitted) this.remember(e.rv, e.object);
    this.uncommitted = [];
  }
  /** object is the event's object at rv, parsed from text (frozen) unless known. */
  object(rv: number, text: string): KObject {
    let o = this.byRevision.get(rv);
    if (!o) {
      o = deepFreeze(JSON.parse(text) as KObject);
      this.remember(rv, o);
    }
    return o;
  }
  private remember(rv: number, object: KObject): void {
    this.byRevision.set(rv, object);
    // Maps iterate in insertion order: the first key is the oldest remembered.
    if (this.byRevision.size > this.keep) this.byRevision.delete(this.byRevision.keys().next().value as number);
  }
}
