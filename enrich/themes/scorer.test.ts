import { describe, expect, it } from 'vitest';
import { createThemeScorer, type Theme } from './scorer.ts';
import { loadTestModel } from './test-model.ts';
import { directLookup } from './word-lookup.ts';
import { WordVectorsBuilder } from './word-vectors.ts';

/**
 * A vocabulary of four directions: racing words, car words, sign-in words (which the "account"
 * no-theme reference is made of) and one word related to nothing. The other no-theme references
 * have no known word and drop out.
 */
function tinyVectors() {
  const builder = new WordVectorsBuilder(4, 100);
  const words: [string, number[]][] = [
    ['horse', [1, 0, 0, 0]],
    ['jockey', [0.9, 0.1, 0, 0]],
    ['racing', [1, 0, 0.1, 0]],
    ['car', [0, 1, 0, 0]],
    ['engine', [0.1, 0.9, 0, 0]],
    ['cars', [0, 1, 0, 0.1]],
    ['password', [0, 0, 1, 0]],
    ['account', [0, 0, 0.9, 0.1]],
    ['login', [0, 0.1, 1, 0]],
    ['quux', [0, 0, 0, 1]],
  ];
  // Ranks far down the frequency list, so every word weighs about the same.
  words.forEach(([word, vector], i) => builder.add(word, 50_000 + i, vector));
  return builder.build(100_000);
}

const THEMES: Theme[] = [
  { id: 'racing', name: 'Racing', description: 'horse jockey' },
  { id: 'cars', name: 'Cars', description: 'car engine' },
];

describe('createThemeScorer', () => {
  const english = directLookup(tinyVectors(), 'en');
  // Four directions have no neighbourhood to widen a theme with.
  const setup = { english, pageLookup: () => english, common: null, themeNeighbours: { neighbours: 0 } };
  const scorer = createThemeScorer(THEMES, [], setup);

  it('gives a page the theme its words are near, with the words that drove it', () => {
    const result = scorer.score({ title: 'Horse and jockey' });
    expect(result.chosen).toEqual(['racing']);
    expect(result.scores.map((s) => s.themeId)).toEqual(['racing', 'cars']);
    expect(result.scores[0]!.words).toEqual(['horse', 'jockey']);
    expect(result.scores[0]!.score).toBeGreaterThan(result.none);
  });

  it('gives a sign-in page no theme: the no-theme reference is nearer', () => {
    const result = scorer.score({ title: 'Login', description: 'Your account password' });
    expect(result.chosen).toEqual([]);
    expect(result.none).toBeGreaterThan(result.scores[0]!.score);
  });

  it('gives two themes when the page is as much about both', () => {
    expect(scorer.score({ title: 'Horse jockey car engine' }).chosen.sort()).toEqual(['cars', 'racing']);
  });

  it('gives only the first theme when the second trails', () => {
    expect(scorer.score({ title: 'Horse jockey racing horse car' }).chosen).toEqual(['racing']);
  });

  it('gives no theme to a page with no known word', () => {
    const result = scorer.score({ title: 'Zorglub' });
    expect(result.chosen).toEqual([]);
    expect(result.scores.every((s) => s.score === 0 && s.words.length === 0)).toBe(true);
  });

  it('applies rules after scoring and says so', () => {
    const ruled = createThemeScorer(THEMES, [{ themeId: 'racing', effect: 'forbid', urlPattern: '/cars/**' }], setup);
    const result = ruled.score({ url: 'https://example.com/cars/news', title: 'Horse jockey' });
    expect(result.scores[0]!.themeId).toBe('racing');
    expect(result.chosen).toEqual([]);
    expect(result.ruled).toEqual([{ themeId: 'racing', effect: 'forbid', rule: 'forbid racing: URL /cars/**' }]);
  });

  it('reads the page in the lookup of its language', () => {
    const seen: string[] = [];
    const tracking = createThemeScorer(THEMES, [], { ...setup, pageLookup: (lang) => (seen.push(lang), english) });
    expect(tracking.score({ title: 'Les chevaux', lang: 'fr' }).lang).toBe('fr');
    expect(seen).toEqual(['fr']);
  });
});

describe('with the bundled vectors', async () => {
  const model = await loadTestModel();
  const themes: Theme[] = [
    { id: 'horse-racing', name: 'Horse racing', description: 'Horse racing and betting: runners, results, racecourses, jockeys and trainers.' },
    { id: 'cooking', name: 'Cooking', description: 'Food at home: recipes, baking, chefs and restaurants.' },
    { id: 'technology', name: 'Technology', description: 'Technology: gadgets, smartphones, computers, software and the internet.' },
  ];
  const scorer = model.forThemes(themes);

  it('gives a login page no theme', () => {
    const result = scorer.score({
      url: 'https://accounts.example.com/login',
      title: 'Sign in to your account',
      description: 'Enter your email and password. Forgot your password? Create an account.',
    });
    expect(result.chosen).toEqual([]);
    expect(result.none).toBeGreaterThan(result.scores[0]!.score);
  });

  it('gives a racing page its theme, with the words that drove it', () => {
    const result = scorer.score({ title: 'Cheltenham tips: the favourite and his jockey', description: 'Our tipster picks the runners for the Gold Cup.' });
    expect(result.chosen).toEqual(['horse-racing']);
    expect(result.scores[0]!.words).toContain('jockey');
  });

  it.skipIf(!model.info.frenchDictionary)('reads a French page through the dictionary', () => {
    const result = scorer.score({ title: 'Une nouvelle recette de gâteau au chocolat', description: 'Faire cuire au four pendant trente minutes.' });
    expect(result.lang).toBe('fr');
    expect(result.chosen).toEqual(['cooking']);
  });
});
