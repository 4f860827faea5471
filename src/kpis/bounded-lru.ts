/**
 * A map that keeps at most `capacity` of total weight (bytes, or 1 an entry), the least recently used
 * entries out first: the bound of every process-local cache of the KPI query and of the writers'
 * compaction counts. Map order is insertion order, so a used entry is moved to the end.
 */
export class BoundedLru<V> {
  private readonly entries = new Map<string, { readonly value: V; readonly weight: number }>();
  private held = 0;

  constructor(private readonly capacity: number) {}

  /** The value kept under `key`, now the most recently used. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value kept under `key`, leaving its place in the order alone. */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Keeps `value` under `key` in place of any older one; a value heavier than the whole capacity is not kept. */
  set(key: string, value: V, weight = 1): void {
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.held -= old.weight;
      this.entries.delete(key);
    }
    if (weight > this.capacity) return;
    this.entries.set(key, { value, weight });
    this.held += weight;
    for (const [oldest, entry] of this.entries) {
      if (this.held <= this.capacity) break;
      this.entries.delete(oldest);
      this.held -= entry.weight;
    }
  }

  /** The total weight kept. */
  get weight(): number {
    return this.held;
  }

  /** The number of entries kept. */
  get size(): number {
    return this.entries.size;
  }
}
