/**
 * What a page is about: scores a page's text against a site's themes with word vectors, offline.
 * ARCHITECTURE.md ("Themes: how pages are scored") says how and why, with the measurements.
 */
export { loadThemeModel, type ThemeModel, type ThemeModelInfo, type ThemeModelOptions } from './model.ts';
export type { PageThemes, Theme, ThemeScore, ThemeScorer } from './scorer.ts';
export type { PageText } from './page-words.ts';
export type { RuledTheme, ThemeRule } from './rules.ts';
export { detectLanguage } from './language.ts';
