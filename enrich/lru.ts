interface Entry<K, V> {
  key: K;
  value: V;
  newer: Entry<K, V> | null;
  older: Entry<K, V> | null;
}

/**
 * A bounded map that forgets the least recently used entry first.
 *
 * Enrichment caches (user agents, bot checks, MMDB records) see a few hot keys
 * and a long tail of one-offs; a size bound keeps memory flat under a flood of
 * distinct values, and recency keeps the hot keys in.
 *
 * Recency is a linked list beside the Map rather than Map re-insertion order:
 * deleting and re-adding Map keys on every hit leaves holes that V8 only
 * compacts on rehash, and finding the oldest key then walks those holes. Under
 * miss-heavy traffic (the MMDB record cache) that made lookups ten times slower
 * than with no cache at all.
 */
export class LruCache<K, V> {
  readonly maxEntries: number;
  readonly #entries = new Map<K, Entry<K, V>>();
  #newest: Entry<K, V> | null = null;
  #oldest: Entry<K, V> | null = null;

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`LruCache maxEntries must be a positive integer (got ${maxEntries})`);
    }
    this.maxEntries = maxEntries;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#markNewest(entry);
    return entry.value;
  }

  set(key: K, value: V): void {
    const existing = this.#entries.get(key);
    if (existing !== undefined) {
      existing.value = value;
      this.#markNewest(existing);
      return;
    }
    if (this.#entries.size >= this.maxEntries && this.#oldest !== null) {
      const evicted = this.#oldest;
      this.#unlink(evicted);
      this.#entries.delete(evicted.key);
    }
    const entry: Entry<K, V> = { key, value, newer: null, older: null };
    this.#entries.set(key, entry);
    this.#linkAsNewest(entry);
  }

  delete(key: K): void {
    const entry = this.#entries.get(key);
    if (entry === undefined) return;
    this.#unlink(entry);
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  #markNewest(entry: Entry<K, V>): void {
    if (entry === this.#newest) return;
    this.#unlink(entry);
    this.#linkAsNewest(entry);
  }

  #unlink(entry: Entry<K, V>): void {
    if (entry.newer) entry.newer.older = entry.older;
    else this.#newest = entry.older;
    if (entry.older) entry.older.newer = entry.newer;
    else this.#oldest = entry.newer;
    entry.newer = null;
    entry.older = null;
  }

  #linkAsNewest(entry: Entry<K, V>): void {
    entry.older = this.#newest;
    if (this.#newest) this.#newest.newer = entry;
    this.#newest = entry;
    if (this.#oldest === null) this.#oldest = entry;
  }
}
