import { describe, expect, it } from 'vitest';
import { foldWord } from './page-words.ts';
import { isStopword, STOPWORDS } from './stopwords.ts';

describe('stopwords', () => {
  it('are folded like the words they filter', () => {
    for (const list of Object.values(STOPWORDS)) {
      for (const word of list) expect(foldWord(word)).toBe(word);
    }
  });

  it('filter by the page language, English for any other', () => {
    expect(isStopword('the', 'en')).toBe(true);
    expect(isStopword('les', 'fr')).toBe(true);
    expect(isStopword('etre', 'fr')).toBe(true);
    expect(isStopword('les', 'en')).toBe(false);
    expect(isStopword('the', 'de')).toBe(true);
  });

  it('keep topic words', () => {
    expect(isStopword('horse', 'en')).toBe(false);
    expect(isStopword('cheval', 'fr')).toBe(false);
  });
});
