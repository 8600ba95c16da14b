// pool.ts: a small worker pool — at most `jobs` calls of fn in flight, results in input order.
export async function mapPool<T, R>(items: readonly T[], jobs: number, fn: (item: T) => Promise<R>, onDone?: (r: R) => void): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
      onDone?.(results[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return results;
}
