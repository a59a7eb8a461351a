import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readVecFile } from './vec-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'waymark-vec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vecFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('readVecFile', () => {
  it('reads a file with a "count dimensions" header', async () => {
    const path = vecFile('header.vec', '3 2\ncheval 1 0\nvoiture 0 1\nélection 0.5 -0.5\n');
    const { vectors, problems } = await readVecFile(path, 100);
    expect(problems).toEqual([]);
    expect(vectors.dimensions).toBe(2);
    expect(vectors.words).toEqual(['cheval', 'voiture', 'election']);
    expect(Array.from(vectors.ranks)).toEqual([0, 1, 2]);
    expect(vectors.sourceSize).toBe(3);
    expect(Array.from(vectors.vector(1))).toEqual([0, 1]);
  });

  it('reads a file without a header, taking the dimensions from the first line', async () => {
    const path = vecFile('plain.vec', 'cheval 1 0 0\r\nvoiture 0 1 0\r\n');
    const { vectors } = await readVecFile(path, 100);
    expect(vectors.dimensions).toBe(3);
    expect(vectors.words).toEqual(['cheval', 'voiture']);
  });

  it('skips malformed lines and reports them by line number', async () => {
    const path = vecFile('broken.vec', '4 2\ncheval 1 0\nvoiture 0\n\nbateau 1 x\navion 0.5 0.5\n');
    const { vectors, problems } = await readVecFile(path, 100);
    expect(vectors.words).toEqual(['cheval', 'avion']);
    expect(problems).toEqual([
      { line: 3, reason: '1 values where 2 were expected' },
      { line: 5, reason: 'a value is not a number' },
    ]);
  });

  it('keeps only the first words of a long file', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `mot${i.toString(36).replace(/\d/g, (d) => 'abcdefghij'[Number(d)]!)} ${i} 1`);
    const { vectors } = await readVecFile(vecFile('long.vec', `${lines.join('\n')}\n`), 10);
    expect(vectors.size).toBe(10);
    expect(Array.from(vectors.vector(9))[0]).toBeCloseTo(9, 1);
  });

  it('fails on a file with no vectors, naming the first problem', async () => {
    await expect(readVecFile(vecFile('empty.vec', '10 3\ncheval 1\n'), 10)).rejects.toThrow(/no word vectors found \(line 2: 1 values where 3 were expected\)/);
  });
});
