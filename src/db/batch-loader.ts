/**
 * Coalesces lookups by key made in the same tick into one query (the DataLoader pattern). Under load,
 * N concurrent requests cost one database round trip instead of N. Nothing is cached between ticks,
 * so every lookup sees the data as it is now.
 */
interface Waiter<V> {
  readonly resolve: (value: V | null) => void;
  readonly reject: (error: unknown) => void;
}

export class BatchLoader<K, V> {
  private pending: Map<K, Waiter<V>[]> | null = null;

  /** `fetch` returns the values found, by key; keys it leaves out resolve to null. */
  constructor(private readonly fetch: (keys: K[]) => Promise<Map<K, V>>) {}

  load(key: K): Promise<V | null> {
    return new Promise((resolve, reject) => {
      if (this.pending === null) {
        this.pending = new Map();
        setImmediate(() => void this.flush());
      }
      const waiters = this.pending.get(key) ?? [];
      waiters.push({ resolve, reject });
      this.pending.set(key, waiters);
    });
  }

  private async flush(): Promise<void> {
    const batch = this.pending ?? new Map<K, Waiter<V>[]>();
    this.pending = null;
    try {
      const found = await this.fetch([...batch.keys()]);
      for (const [key, waiters] of batch) waiters.forEach((w) => w.resolve(found.get(key) ?? null));
    } catch (error) {
      for (const waiters of batch.values()) waiters.forEach((w) => w.reject(error));
    }
  }
}
