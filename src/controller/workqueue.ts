// workqueue.ts: client-go's rate-limited work queue (k8s.io/client-go/util/workqueue): a key is
// queued at most once however often it is added; a key being processed is never handed to a second
// worker (added again meanwhile, it is queued once processing is done); failed keys come back after
// a per-key exponential backoff (5 ms doubling to 1000 s, ItemExponentialFailureRateLimiter).
import type { Clock } from './clock.ts';

/** Backoff is the per-key failure backoff. */
export interface Backoff {
  baseMs: number;
  maxMs: number;
}

const defaultBackoff: Backoff = { baseMs: 5, maxMs: 1_000_000 };

/** WorkQueue hands out keys to workers. */
export class WorkQueue {
  // queue[head..] are the keys waiting, oldest first: taking one moves head (Array.shift copies
  // the whole array once it is long, and thousands of keys wait when runs are created in bulk).
  private queue: string[] = [];
  private head = 0;
  private readonly queued = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly again = new Set<string>();
  private readonly failures = new Map<string, number>();
  private readonly timers = new Map<string, { due: number; cancel: () => void }>();
  private readonly waiting: ((key: string | undefined) => void)[] = [];
  private shuttingDown = false;

  constructor(
    private readonly clock: Clock,
    private readonly backoff: Backoff = defaultBackoff,
  ) {}

  /** add queues a key now (no-op when already queued). */
  add(key: string): void {
    if (this.shuttingDown) return;
    if (this.processing.has(key)) {
      this.again.add(key);
      return;
    }
    if (this.queued.has(key)) return;
    const waiter = this.waiting.shift();
    if (waiter) {
      this.processing.add(key);
      waiter(key);
      return;
    }
    this.queued.add(key);
    this.queue.push(key);
  }

  /** addAfter queues a key after delayMs; an earlier pending time for the same key wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const due = this.clock.now().getTime() + delayMs;
    const prev = this.timers.get(key);
    if (prev && prev.due <= due) return;
    prev?.cancel();
    const cancel = this.clock.setTimer(delayMs, () => {
      this.timers.delete(key);
      this.add(key);
    });
    this.timers.set(key, { due, cancel });
  }

  /** addRateLimited queues a failed key after its backoff, which doubles with each failure. */
  addRateLimited(key: string): void {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    this.addAfter(key, Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** n));
  }

  /** forget resets a key's backoff (after a success). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** get waits for a key; undefined once the queue is shut down and drained. */
  get(): Promise<string | undefined> {
    const key = this.take();
    if (key !== undefined) {
      this.queued.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    if (this.shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** done ends processing of a key; a key added meanwhile is queued again. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.again.delete(key)) this.add(key);
  }

  /** shutDown stops taking keys; waiting workers get undefined; queued keys are still handed out. */
  shutDown(): void {
    this.shuttingDown = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const w of this.waiting.splice(0)) w(undefined);
  }

  /** len is the number of queued keys (not counting those being processed or delayed). */
  len(): number {
    return this.queue.length - this.head;
  }

  /** quiet tells whether nothing is queued or processed (a delayed requeue, such as a timeout's, may wait). */
  quiet(): boolean {
    return this.len() === 0 && this.processing.size === 0;
  }

  /** idle tells whether nothing is queued, processed or delayed. */
  idle(): boolean {
    return this.len() === 0 && this.processing.size === 0 && this.timers.size === 0;
  }

  private take(): string | undefined {
    if (this.head === this.queue.length) return undefined;
    const key = this.queue[this.head++];
    // Drop the taken part once it is most of the array: each key is copied at most once more.
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return key;
  }
}
