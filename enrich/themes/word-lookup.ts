import { frenchHeadwordForms, type BilingualDictionary } from './french-dictionary.ts';
import { textWords } from './page-words.ts';
import { isStopword } from './stopwords.ts';
import type { WordVectors } from './word-vectors.ts';

/** One vocabulary word a page word stands for, and its share of the page word's meaning. */
export interface Meaning {
  index: number;
  share: number;
}

/** How the folded words of one language are found in one vocabulary. */
export interface WordLookup {
  readonly vectors: WordVectors;
  meanings(folded: string): readonly Meaning[];
}

const NONE: readonly Meaning[] = [];

/** Words looked up as they are: English pages in English vectors, any language in its own. */
export function directLookup(vectors: WordVectors, lang: string): WordLookup {
  return {
    vectors,
    meanings(folded) {
      if (isStopword(folded, lang)) return NONE;
      const index = vectors.indexOf(folded);
      return index < 0 ? NONE : [{ index, share: 1 }];
    },
  };
}

/**
 * French words read through a bilingual dictionary into English vectors. A headword's senses share
 * its meaning equally, and so do the translations within a sense: a dictionary lists senses in no
 * order of frequency ("argent": silver, then money), so the mean of them all is the fairest guess,
 * and the sense that fits the page's topic reinforces the other words where the others cancel out.
 * A word the dictionary lacks is often an English cognate once its accents are folded away
 * ("élection", "football", "festival"), so it is looked up in English as it is.
 */
export function translatingLookup(english: WordVectors, dictionary: BilingualDictionary): WordLookup {
  const cache = new Map<string, readonly Meaning[]>();
  const translate = (folded: string): readonly Meaning[] => {
    if (isStopword(folded, 'fr')) return NONE;
    for (const form of frenchHeadwordForms(folded)) {
      const senses = dictionary.senses(form);
      if (senses) {
        const meanings = sensesToMeanings(senses, english);
        if (meanings.length > 0) return meanings;
      }
    }
    const index = isStopword(folded, 'en') ? -1 : english.indexOf(folded);
    return index < 0 ? NONE : [{ index, share: 1 }];
  };
  return {
    vectors: english,
    meanings(folded) {
      let meanings = cache.get(folded);
      if (meanings === undefined) {
        meanings = translate(folded);
        // Bounded: page text is open-ended, a French site's vocabulary is not.
        if (cache.size < 200_000) cache.set(folded, meanings);
      }
      return meanings;
    },
  };
}

function sensesToMeanings(senses: readonly (readonly string[])[], english: WordVectors): Meaning[] {
  const meanings: Meaning[] = [];
  const found = senses
    .map((sense) => sense.map((translation) => phraseIndices(translation, english)).filter((indices) => indices.length > 0))
    .filter((sense) => sense.length > 0);
  for (const sense of found) {
    for (const indices of sense) {
      for (const index of indices) meanings.push({ index, share: 1 / found.length / sense.length / indices.length });
    }
  }
  return meanings;
}

/** The English vocabulary words of a translation ("motor car", "in order to"), function words left out. */
function phraseIndices(translation: string, english: WordVectors): number[] {
  return textWords(translation)
    .filter((word) => !isStopword(word.folded, 'en'))
    .map((word) => english.indexOf(word.folded))
    .filter((index) => index >= 0);
}
