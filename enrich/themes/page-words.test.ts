import { describe, expect, it } from 'vitest';
import { foldWord, pageWords, textWords, urlWords } from './page-words.ts';

const folded = (text: string) => textWords(text).map((w) => w.folded);

describe('foldWord', () => {
  it('drops case and diacritics', () => {
    expect(foldWord('Élection')).toBe('election');
    expect(foldWord('ÇA')).toBe('ca');
    expect(foldWord('naïve')).toBe('naive');
  });
});

describe('textWords', () => {
  it.each([
    { name: 'splits on punctuation and spaces', text: 'Cars, vans & bikes: reviews!', words: ['cars', 'vans', 'bikes', 'reviews'] },
    { name: 'removes French elisions', text: "L'équipe d'occasion qu'il jusqu'à", words: ['equipe', 'occasion', 'il', 'a'] },
    { name: 'removes English possessives', text: "Europe's stars' romances", words: ['europe', 'stars', 'romances'] },
    { name: 'keeps inner apostrophes of names', text: "O'Neill", words: ["o'neill"] },
    { name: 'splits hyphenated words', text: 'télé-réalité week-end', words: ['tele', 'realite', 'week', 'end'] },
    { name: 'drops tokens without a letter', text: 'Top 10 in 2025: 1440p £100', words: ['top', 'in', '1440p'] },
    { name: 'handles curly apostrophes', text: 'l’équipe', words: ['equipe'] },
  ])('$name', ({ text, words }) => {
    expect(folded(text)).toEqual(words);
  });

  it('keeps the word as written for showing', () => {
    expect(textWords("L'Équipe")).toEqual([{ word: 'Équipe', folded: 'equipe' }]);
  });
});

describe('urlWords', () => {
  it('reads host labels and path segments, not the query or the public suffix', () => {
    expect(urlWords('https://www.foot-actu.fr/ligue-1/resultats_12e-journee.html?id=42&q=horse').map((w) => w.folded)).toEqual([
      'foot',
      'actu',
      'ligue',
      'resultats',
      '12e',
      'journee',
    ]);
  });

  it('decodes the path', () => {
    expect(urlWords('https://example.org/%C3%A9quitation').map((w) => w.folded)).toEqual(['example', 'equitation']);
  });

  it('gives nothing for a URL it cannot parse', () => {
    expect(urlWords('not a url')).toEqual([]);
  });
});

describe('pageWords', () => {
  it('reads title, description, keywords and URL', () => {
    const words = pageWords({ url: 'https://example.org/horses', title: 'Jockeys', description: 'Trainers', keywords: 'racing' });
    expect(words.map((w) => w.folded)).toEqual(['jockeys', 'trainers', 'racing', 'example', 'horses']);
  });

  it('uses og: fields only when the plain ones are missing', () => {
    expect(pageWords({ title: 'Title', ogTitle: 'Og title', ogDescription: 'Og description' }).map((w) => w.folded)).toEqual(['title', 'og', 'description']);
  });
});
