// memo: a pure function's answers kept by their text argument. Validation, the graph and the
// reconcilers ask the same few questions thousands of times for a large Pipeline (the same
// reference texts, duration texts, prefixes); the answers are kept, and the whole table is dropped
// at `limit` entries so that a long-lived controller stays bounded. A leaf: imports nothing.

/** memoize returns fn with its answers kept per argument (at most limit of them); fn must be pure and its answers never mutated. */
export function memoize<T>(fn: (text: string) => T, limit: number): (text: string) => T {
  const kept = new Map<string, T>();
  return (text) => {
    const seen = kept.get(text);
    if (seen !== undefined || kept.has(text)) return seen as T;
    const answer = fn(text);
    if (kept.size >= limit) kept.clear();
    kept.set(text, answer);
    return answer;
  };
}
