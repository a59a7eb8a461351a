import { describe, expect, it } from 'vitest';
import { nearestWords, withNeighbours } from './theme-neighbours.ts';
import { WordVectorsBuilder } from './word-vectors.ts';

function vocabulary() {
  const builder = new WordVectorsBuilder(3, 10);
  const words: [string, number[]][] = [
    ['alpha', [1, 0, 0]],
    ['beta', [0.9, 0.3, 0]],
    ['gamma', [0.5, 0.5, 0]],
    ['delta', [0, 1, 0]],
    ['epsilon', [-1, 0, 0]],
  ];
  words.forEach(([word, vector], i) => builder.add(word, i, vector));
  return builder.build(5);
}

describe('nearestWords', () => {
  const vectors = vocabulary();

  it('lists the nearest words first, leaving out the opposed ones', () => {
    const nearest = nearestWords(Float32Array.of(1, 0, 0), vectors, 10, vectors.size);
    expect(nearest.map((n) => vectors.words[n.index])).toEqual(['alpha', 'beta', 'gamma']);
    expect(nearest[0]!.cosine).toBeCloseTo(1, 3);
  });

  it('keeps only as many as asked, among the candidates', () => {
    expect(nearestWords(Float32Array.of(1, 0, 0), vectors, 2, vectors.size).map((n) => vectors.words[n.index])).toEqual(['alpha', 'beta']);
    expect(nearestWords(Float32Array.of(0, 1, 0), vectors, 2, 2).map((n) => vectors.words[n.index])).toEqual(['beta']);
  });
});

describe('withNeighbours', () => {
  const vectors = vocabulary();

  it('moves the theme towards its neighbourhood and keeps it unit length', () => {
    const theme = Float32Array.of(1, 0, 0);
    const widened = withNeighbours(theme, vectors, null, { neighbours: 3, weight: 0.5 });
    expect(Math.hypot(...widened)).toBeCloseTo(1, 5);
    expect(widened[1]).toBeGreaterThan(0);
    expect(widened[0]).toBeGreaterThan(widened[1]!);
  });

  it('leaves the theme alone with no neighbours', () => {
    const theme = Float32Array.of(0, 0, 1);
    expect(withNeighbours(theme, vectors, null)).toBe(theme);
  });
});
