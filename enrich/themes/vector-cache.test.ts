import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedWordVectors } from './vector-cache.ts';
import { readVecFile } from './vec-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'waymark-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cachedWordVectors', () => {
  const source = join(dir, 'fr.vec');
  const cacheDir = join(dir, 'cache');
  let derivations = 0;
  const load = (variant = 'words=10') =>
    cachedWordVectors({
      sourcePath: source,
      cacheDir,
      variant,
      derive: async () => {
        derivations++;
        return (await readVecFile(source, 10)).vectors;
      },
    });

  it('derives once, then reads the cache file', async () => {
    writeFileSync(source, 'cheval 1 0\nvoiture 0 1\n');
    const first = await load();
    expect(first.derived).toBe(true);
    const second = await load();
    expect(second.derived).toBe(false);
    expect(second.cachePath).toBe(first.cachePath);
    expect(second.vectors.words).toEqual(['cheval', 'voiture']);
    expect(derivations).toBe(1);
  });

  it('derives again when the source changes, and removes the stale file', async () => {
    writeFileSync(source, 'cheval 1 0\nvoiture 0 1\navion 1 1\n');
    // Same second, different size; the next change keeps the size and moves the time.
    const changed = await load();
    expect(changed.derived).toBe(true);
    expect(changed.vectors.words).toEqual(['cheval', 'voiture', 'avion']);
    utimesSync(source, new Date(), new Date(Date.now() + 5_000));
    expect((await load()).derived).toBe(true);
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(derivations).toBe(3);
  });

  it('derives again when the derivation settings change', async () => {
    expect((await load('words=5')).derived).toBe(true);
  });

  it('derives again over a damaged cache file', async () => {
    const { cachePath } = await load();
    writeFileSync(cachePath, 'garbage');
    const repaired = await load();
    expect(repaired.derived).toBe(true);
    expect((await load()).derived).toBe(false);
  });
});
