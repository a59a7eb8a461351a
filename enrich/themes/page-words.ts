/** The text a page is scored on, as the tracker sends it. */
export interface PageText {
  url?: string;
  title?: string;
  description?: string;
  keywords?: string;
  ogTitle?: string;
  ogDescription?: string;
  lang?: string;
}

/** One word of a page: `folded` is looked up, `word` is what a person is shown. */
export interface PageWord {
  word: string;
  folded: string;
}

/** Lower case without diacritics, so "Élection", "election" and "ÉLECTION" are one word. */
export function foldWord(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
}

// French elides the article or pronoun before a vowel (l'équipe, d'occasion, qu'il): the word is what follows.
const ELISION = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)['’](?=\p{L})/iu;
// English possessives carry nothing the word does not ("stars' romances", "Europe's").
const POSSESSIVE = /['’]s?$/u;

/**
 * The words of a piece of text, in order: split on anything but letters, digits and inner
 * apostrophes, elisions and possessives removed, hyphenated words split into their parts (GloVe's
 * vocabulary has few of them, and "télé-réalité" or "week-end" are understood by their parts).
 * Tokens without a letter (prices, years, ids) say nothing of a topic and are dropped.
 */
export function textWords(text: string): PageWord[] {
  const words: PageWord[] = [];
  for (const token of text.split(/[^\p{L}\p{N}'’-]+/u)) {
    for (const part of token.split('-')) {
      const word = part.replace(ELISION, '').replace(POSSESSIVE, '').replace(/^['’]+/u, '');
      if (!/\p{L}/u.test(word)) continue;
      words.push({ word, folded: foldWord(word) });
    }
  }
  return words;
}

// Host labels that name no subject: a subdomain like "www" or "accounts" is kept, the public suffix is not.
const HOST_NOISE = new Set(['www', 'com', 'org', 'net', 'co', 'uk', 'fr', 'de', 'io', 'info', 'gov', 'html', 'htm', 'php', 'aspx']);

/**
 * The words of a URL: host labels and path segments ("/ligue-1/resultats-12e-journee"). The query
 * string is left out: its keys are machinery ("id", "page") and its values are ids or searches.
 */
export function urlWords(url: string): PageWord[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [];
  }
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    path = parsed.pathname;
  }
  const text = `${parsed.hostname} ${path}`.replace(/[./_+]/g, ' ');
  return textWords(text).filter((w) => !HOST_NOISE.has(w.folded));
}

/**
 * Every word of a page. og:title and og:description usually repeat the title and description; they
 * are used only when those are missing, so a page that fills both is not counted twice. Every word
 * counts the same wherever it stands: giving title words twice the weight scored worse when
 * measured (see ARCHITECTURE.md).
 */
export function pageWords(page: PageText): PageWord[] {
  const title = page.title?.trim() || page.ogTitle?.trim() || '';
  const description = page.description?.trim() || page.ogDescription?.trim() || '';
  return [...textWords(title), ...textWords(description), ...textWords(page.keywords ?? ''), ...(page.url ? urlWords(page.url) : [])];
}
