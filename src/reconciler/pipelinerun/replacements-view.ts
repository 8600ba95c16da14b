// replacements-view.ts: replacement tables layered and filtered without copying them. A
// PipelineRun's table grows with every finished Task's results; copying it for each PipelineTask
// substituted (its context on top, its own params hidden) made a large Pipeline quadratic.

/** MapView reads layers first to last (the first that has a key wins), hiding keys hide() names. */
export class MapView<V> implements ReadonlyMap<string, V> {
  constructor(
    private readonly layers: readonly ReadonlyMap<string, V>[],
    private readonly hide: (key: string) => boolean = () => false,
  ) {}

  get(key: string): V | undefined {
    if (this.hide(key)) return undefined;
    for (const l of this.layers) if (l.has(key)) return l.get(key);
    return undefined;
  }

  has(key: string): boolean {
    return !this.hide(key) && this.layers.some((l) => l.has(key));
  }

  get size(): number {
    let n = 0;
    for (const _ of this.keys()) n++;
    return n;
  }

  *entries(): MapIterator<[string, V]> {
    const seen = new Set<string>();
    for (const l of this.layers) {
      for (const [k, v] of l) {
        if (seen.has(k)) continue;
        seen.add(k);
        if (!this.hide(k)) yield [k, v];
      }
    }
  }

  *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  *values(): MapIterator<V> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}
