import { describe, it, expect } from 'vitest';
import { LruCache } from './lru.ts';

describe('LruCache', () => {
  it('returns what was set and undefined for unknown keys', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    expect(cache.get('a')).toBe(1);
    expect(cache.get('b')).toBeUndefined();
  });

  it('never holds more than maxEntries', () => {
    const cache = new LruCache<number, number>(3);
    for (let i = 0; i < 100; i++) cache.set(i, i);
    expect(cache.size).toBe(3);
    expect([97, 98, 99].map((key) => cache.get(key))).toEqual([97, 98, 99]);
  });

  it('evicts the least recently used entry, counting reads as use', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
  });

  it('counts overwriting a key as use, without growing', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('a', 10);
    cache.set('c', 3);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBe(10);
    expect(cache.get('b')).toBeUndefined();
  });

  it('keeps a stored undefined distinct from a miss for recency', () => {
    const cache = new LruCache<string, number | undefined>(2);
    cache.set('a', undefined);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('agrees with a reference LRU over a long random sequence', () => {
    // The reference is the obvious Map re-insertion LRU; the cache keeps its
    // recency in a linked list, which is easy to get subtly wrong.
    const maxEntries = 8;
    const cache = new LruCache<number, number>(maxEntries);
    const reference = new Map<number, number>();
    const mismatches: string[] = [];
    let seed = 42;
    // Math.imul keeps the LCG in 32-bit integers; plain multiplication would lose the low bits.
    const random = (below: number): number => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 16) % below;
    for (let step = 0; step < 20_000; step++) {
      const key = random(20);
      if (random(2) === 0) {
        const expected = reference.get(key);
        if (expected !== undefined) {
          reference.delete(key);
          reference.set(key, expected);
        }
        const actual = cache.get(key);
        if (actual !== expected) mismatches.push(`step ${step}: get(${key}) gave ${actual}, expected ${expected}`);
      } else {
        reference.delete(key);
        reference.set(key, step);
        if (reference.size > maxEntries) reference.delete(reference.keys().next().value as number);
        cache.set(key, step);
      }
      if (cache.size !== reference.size) mismatches.push(`step ${step}: size ${cache.size}, expected ${reference.size}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(cache.size).toBe(maxEntries);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects maxEntries %s', (maxEntries) => {
    expect(() => new LruCache(maxEntries)).toThrow(RangeError);
  });
});
