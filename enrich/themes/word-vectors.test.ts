import { describe, expect, it } from 'vitest';
import { decodeWordVectors, encodeWordVectors } from './vector-cache.ts';
import { WordVectorsBuilder } from './word-vectors.ts';

/** Deterministic pseudo-random vectors: a GloVe-like spread of values, the same every run. */
function randomVectors(count: number, dimensions: number, seed = 7): number[][] {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: count }, () => Array.from({ length: dimensions }, () => (next() - 0.5) * 4 * (next() < 0.1 ? 2 : 1)));
}

describe('WordVectorsBuilder', () => {
  it('quantises each component within half a step of its word scale', () => {
    const originals = randomVectors(200, 50);
    const builder = new WordVectorsBuilder(50, 1000);
    originals.forEach((vector, i) => builder.add(`word${String.fromCharCode(97 + (i % 26))}${i}`, i, vector));
    const vectors = builder.build(200);
    for (let i = 0; i < originals.length; i++) {
      const original = originals[i]!;
      const decoded = vectors.vector(i);
      const maxAbs = Math.max(...original.map(Math.abs));
      for (let d = 0; d < 50; d++) expect(Math.abs(decoded[d]! - original[d]!)).toBeLessThanOrEqual(maxAbs / 127 / 2 + 1e-6);
      const norm = Math.hypot(...original);
      const unit = Float32Array.from(original, (v) => v / norm);
      // What scoring uses: the cosine between the stored word and a unit vector.
      expect(vectors.cosine(i, unit)).toBeGreaterThan(0.9995);
      expect(vectors.norms[i]).toBeCloseTo(norm, 1);
    }
  });

  it('folds words and keeps the most frequent of those that fold alike', () => {
    const builder = new WordVectorsBuilder(2, 10);
    expect(builder.add('Élection', 0, [1, 0])).toBe(true);
    expect(builder.add('election', 1, [0, 1])).toBe(false);
    const vectors = builder.build(2);
    expect(vectors.words).toEqual(['election']);
    expect(vectors.indexOf('election')).toBe(0);
    expect(vectors.indexOf('Élection')).toBe(-1);
  });

  it('keeps only words a page can be split into', () => {
    const builder = new WordVectorsBuilder(1, 10);
    const kept = [',', 'the', 'under-18s', 'u.s.', '1990', "o'neill", 'new york', 'café'].filter((word, i) => builder.add(word, i, [1]));
    expect(kept).toEqual(['the', "o'neill", 'café']);
  });

  it('stops when full and refuses vectors of another length', () => {
    const builder = new WordVectorsBuilder(2, 2);
    expect(builder.add('a', 0, [1, 2, 3])).toBe(false);
    builder.add('a', 0, [1, 2]);
    builder.add('b', 1, [1, 2]);
    expect(builder.full).toBe(true);
    expect(builder.add('c', 2, [1, 2])).toBe(false);
  });

  it('stores a zero vector without dividing by zero', () => {
    const builder = new WordVectorsBuilder(3, 1);
    builder.add('zero', 0, [0, 0, 0]);
    const vectors = builder.build(1);
    expect(vectors.cosine(0, Float32Array.of(1, 0, 0))).toBe(0);
  });
});

describe('cache file encoding', () => {
  it('decodes what it encodes, byte for byte', () => {
    const builder = new WordVectorsBuilder(5, 100);
    randomVectors(30, 5, 3).forEach((vector, i) => builder.add(`mot${'abcdefghijklmnopqrstuvwxyz'[i % 26]}é${i}`, i * 2, vector));
    const original = builder.build(1234);
    const decoded = decodeWordVectors(encodeWordVectors(original));
    expect(decoded.words).toEqual(original.words);
    expect(decoded.ranks).toEqual(original.ranks);
    expect(decoded.scales).toEqual(original.scales);
    expect(decoded.codes).toEqual(original.codes);
    expect(decoded.sourceSize).toBe(1234);
    expect(decoded.indexOf(original.words[7]!)).toBe(7);
  });

  it('refuses a file that is not a cache file', () => {
    expect(() => decodeWordVectors(Buffer.from('hello world, this is not it'))).toThrow(/not a word-vector cache file/);
  });
});
