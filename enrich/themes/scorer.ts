import { detectLanguage } from './language.ts';
import { NO_THEME_REFERENCES } from './no-theme.ts';
import { pageWords, type PageText } from './page-words.ts';
import { compileRules, type RuledTheme, type ThemeRule } from './rules.ts';
import { textVector, weighWords, wordCosine, type WeightedWord } from './text-vector.ts';
import { withNeighbours, type NeighbourOptions } from './theme-neighbours.ts';
import type { WordLookup } from './word-lookup.ts';
import type { WordVectors } from './word-vectors.ts';

/** A theme as a marketer writes it: a name and one descriptive sentence. */
export interface Theme {
  id: string;
  name: string;
  description: string;
}

export interface ThemeScore {
  themeId: string;
  /** How strongly the page's words relate to the theme, from 0 to 1 (see scorePageWords). */
  score: number;
  /** The page words that pulled the page towards the theme the most, up to 5, strongest first. */
  words: string[];
}

export interface PageThemes {
  /** The language the page was read as: its `lang`, else detected from the text. */
  lang: string;
  /** Every theme, best first. */
  scores: ThemeScore[];
  /** The score of the nearest "no theme" reference: a theme must beat it to be chosen. */
  none: number;
  /** The themes given to the page, after rules. */
  chosen: string[];
  /** The rules that changed `chosen`. */
  ruled: RuledTheme[];
}

export interface ThemeScorer {
  score(page: PageText): PageThemes;
}

export interface ScorerSetup {
  /** The vocabulary themes and the no-theme references are read in (English). */
  english: WordLookup;
  /** How a page in a given language is read: in its own aligned vectors, translated, or as English. */
  pageLookup(lang: string): WordLookup;
  /** The direction taken out of every theme and reference vector (see commonDirection in text-vector.ts). */
  common: Float32Array | null;
  /**
   * How close to the first a further theme must come to be chosen too, as a share of the first's
   * lead over "no theme": a page about a stadium tour by train is both music and travel, and its
   * two scores are near each other, where a football page's second theme trails far behind.
   */
  secondThemeShare?: number;
  /** At most this many themes per page: more would say nothing to a marketer. */
  maxThemes?: number;
  /** How themes are widened by their nearest words (see theme-neighbours.ts). */
  themeNeighbours?: NeighbourOptions;
}

const WORDS_PER_THEME = 5;

/**
 * Scores pages against a fixed set of themes. Each theme and each no-theme reference is embedded
 * once, here, as the weighted mean of its words' vectors (a theme widened by its nearest words, see
 * theme-neighbours.ts); a page is then scored word by word.
 */
export function createThemeScorer(themes: readonly Theme[], rules: readonly ThemeRule[], setup: ScorerSetup): ThemeScorer {
  const { english, common, secondThemeShare = 0.8, maxThemes = 3 } = setup;
  const embed = (text: PageText) => textVector(weighWords(pageWords(text), english), english.vectors, common);
  const themeVectors = themes.map((theme) => {
    const unit = embed({ title: theme.name, description: theme.description });
    return { id: theme.id, unit: unit && withNeighbours(unit, english.vectors, common, setup.themeNeighbours) };
  });
  const noneVectors = NO_THEME_REFERENCES.map((none) => embed({ description: none.text })).filter((unit) => unit !== null);
  const applyRules = compileRules(rules);

  return {
    score(page) {
      const lang = detectLanguage(page);
      const lookup = setup.pageLookup(lang);
      const words = weighWords(pageWords(page), lookup);
      const scores = themeVectors
        .map(({ id, unit }) => ({ themeId: id, ...scorePageWords(words, lookup.vectors, unit) }))
        .sort((a, b) => b.score - a.score);
      // A page with no known word is near nothing: "no theme" wins outright.
      const none = words.length === 0 ? 1 : Math.max(...noneVectors.map((unit) => scorePageWords(words, lookup.vectors, unit).score));
      const lead = (scores[0]?.score ?? 0) - none;
      const modelChosen = lead > 0 ? scores.filter((s, i) => i < maxThemes && s.score - none >= lead * secondThemeShare).map((s) => s.themeId) : [];
      return { lang, scores, none, ...applyRules(page, modelChosen) };
    },
  };
}

/**
 * How strongly a page relates to a reference: the weighted mean, over the page's words, of each
 * word's squared cosine to the reference (negative cosines count as 0). Squaring is what makes it
 * work: a page is about a topic because a few of its words are close to it ("jockeys", "sires"),
 * while its other words are loosely related to everything, and in a plain mean of vectors ("soft
 * ground", "handle") those many loose relations outvote the few strong ones. It also says which
 * words drove the score: the ones with the largest weight × squared cosine.
 */
export function scorePageWords(words: readonly WeightedWord[], vectors: WordVectors, unit: Float32Array | null): { score: number; words: string[] } {
  if (unit === null || words.length === 0) return { score: 0, words: [] };
  let total = 0;
  let weights = 0;
  // By folded word, shown as first written: "Réalité" in the title and "realite" in the URL are one.
  const pull = new Map<string, { shown: string; pull: number }>();
  for (const word of words) {
    const cosine = Math.max(0, wordCosine(word, vectors, unit));
    const contribution = word.weight * cosine * cosine;
    total += contribution;
    weights += word.weight;
    if (contribution > 0) {
      const entry = pull.get(word.folded) ?? { shown: word.word.toLowerCase(), pull: 0 };
      entry.pull += contribution;
      pull.set(word.folded, entry);
    }
  }
  const strongest = [...pull.values()].sort((a, b) => b.pull - a.pull).slice(0, WORDS_PER_THEME).map((entry) => entry.shown);
  return { score: total / weights, words: strongest };
}
