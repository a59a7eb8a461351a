/**
 * A bounded map that forgets the least recently used entry first.
 *
 * Enrichment caches (user agents, bot checks, MMDB records) see a few hot keys
 * and a long tail of one-offs; a size bound keeps memory flat under a flood of
 * distinct values, and recency keeps the hot keys in.
 */
export class LruCache<K, V> {
  readonly maxEntries: number;
  // A Map iterates in insertion order, so re-inserting on every hit keeps the
  // least recently used key first, where eviction finds it in O(1).
  readonly #entries = new Map<K, V>();

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`LruCache maxEntries must be a positive integer (got ${maxEntries})`);
    }
    this.maxEntries = maxEntries;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    // has() is only consulted on a miss-looking result, so a stored undefined is
    // still refreshed without paying for a second lookup on every hit.
    if (value === undefined && !this.#entries.has(key)) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value as V);
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
