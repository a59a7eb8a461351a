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

  it.each([0, -1, 1.5, Number.NaN])('rejects maxEntries %s', (maxEntries) => {
    expect(() => new LruCache(maxEntries)).toThrow(RangeError);
  });
});
