// controller.ts: N workers over a WorkQueue calling one reconcile(key), as knative's controller does
// for Tekton: a result may ask for a requeue after a delay (timeouts); a transient failure (a CAS
// Conflict, a store that is busy) is retried with the key's backoff; success forgets the backoff.
import type { WorkQueue } from './workqueue.ts';

/** ReconcileResult: requeueAfterMs re-runs the key later (a timeout falls due); retry re-runs it soon with backoff. */
export interface ReconcileResult {
  requeueAfterMs?: number;
  retry?: string;
}

/** Reconcile acts once for one key and returns. */
export type Reconcile = (key: string) => Promise<ReconcileResult | undefined>;

/** ControllerOptions configure one controller. */
export interface ControllerOptions {
  queue: WorkQueue;
  reconcile: Reconcile;
  workers?: number;
  /** onProblem hears retries and bugs (a reconcile that threw); the key is retried either way. */
  onProblem?: (key: string, message: string) => void;
}

/** runController runs workers until the queue is shut down and drained. */
export async function runController(options: ControllerOptions): Promise<void> {
  const { queue, reconcile } = options;
  const worker = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        const r = (await reconcile(key)) ?? {};
        if (r.retry !== undefined) {
          options.onProblem?.(key, r.retry);
          queue.addRateLimited(key);
        } else {
          queue.forget(key);
          if (r.requeueAfterMs !== undefined) queue.addAfter(key, r.requeueAfterMs);
        }
      } catch (e) {
        options.onProblem?.(key, `reconcile threw: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.workers ?? 2) }, worker));
}
