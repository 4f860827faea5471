/** Process-local state kept per database handle (the KPI query's caches, the writers' compaction counts). */

/** A function that gives each handle its own `T`, made by `create` on first use. */
export function perHandle<T>(create: () => T): (handle: object) => T {
  const made = new WeakMap<object, T>();
  return (handle) => {
    let value = made.get(handle);
    if (value === undefined) {
      value = create();
      made.set(handle, value);
    }
    return value;
  };
}
