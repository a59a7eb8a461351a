import { textWords, type PageText } from './page-words.ts';
import { STOPWORDS } from './stopwords.ts';

// Letters that English words almost never carry and French words often do.
const FRENCH_LETTERS = /[éèêëàâçùûîïôœ]/u;
// An elided article or pronoun at the start of a word: l'équipe, d'occasion, qu'il.
const FRENCH_ELISIONS = /(?:^|[^\p{L}])(?:l|d|j|n|qu)['’]\p{L}/giu;

/**
 * The page's language: the `lang` attribute when the page has one ("fr-CA" → "fr"), else English or
 * French by which language's function words the text uses more (words both lists share, such as
 * "a" or "on", count for neither), with a word carrying French diacritics or an elision (l', d')
 * counting for French. Two
 * short lists suffice: function words are the most frequent words of any text, so even a title
 * and a description have several. A text with no evidence either way is taken as English.
 */
export function detectLanguage(page: PageText): string {
  const declared = page.lang?.trim().toLowerCase().split(/[-_]/)[0];
  if (declared && /^[a-z]{2,3}$/.test(declared)) return declared;
  const text = [page.title, page.description, page.keywords, page.ogTitle, page.ogDescription].filter(Boolean).join(' ');
  let english = 0;
  let french = text.match(FRENCH_ELISIONS)?.length ?? 0;
  for (const { word, folded } of textWords(text)) {
    const inEnglish = STOPWORDS.en.has(folded);
    const inFrench = STOPWORDS.fr.has(folded);
    if (inEnglish && !inFrench) english++;
    if (inFrench && !inEnglish) french++;
    if (FRENCH_LETTERS.test(word.toLowerCase())) french++;
  }
  return french > english ? 'fr' : 'en';
}
