// A page's scores against the site's themes, as a table with a bar per theme: the scores of a
// page tried in the box and of a stored page look the same, so the marketer reads one picture.
// The "no theme" reference is shown as a row too, since beating it is what choosing means.

import { formatScore } from './format.ts';
import { h, type Child } from './render.ts';
import { dataTable } from './table.ts';
import type { PageThemesResponse, RuledTheme, TriedPage } from './types.ts';

export interface ScoreRow {
  /** null for the "no theme" reference. */
  themeId: string | null;
  score: number;
  chosen: boolean;
  /** The page words that pulled the page towards the theme the most. */
  words: readonly string[];
  /** Why a rule changed the outcome, in words. */
  ruled: string | null;
}

/** Rows of a tried page, best first, with the "no theme" reference where its score falls. */
export function triedPageRows(tried: TriedPage): ScoreRow[] {
  const ruled = new Map(tried.ruled.map((rule) => [rule.themeId, ruleText(rule)]));
  const rows: ScoreRow[] = tried.scores.map((score) => ({
    themeId: score.themeId,
    score: score.score,
    chosen: tried.chosen.includes(score.themeId),
    words: score.words,
    ruled: ruled.get(score.themeId) ?? null,
  }));
  return withReference(rows, tried.none);
}

/** Rows of a stored page, best first (its "no theme" score is not stored). */
export function storedPageRows(page: PageThemesResponse): ScoreRow[] {
  return page.scores
    .map((score) => ({
      themeId: score.themeId,
      score: score.score,
      chosen: score.chosen,
      words: score.words,
      ruled: score.ruled ? ruleText(score.ruled) : null,
    }))
    .sort((a, b) => b.score - a.score);
}

const ruleText = ({ effect, rule }: RuledTheme) => `${effect === 'force' ? 'forced' : 'forbidden'} by ${rule}`;

function withReference(rows: ScoreRow[], none: number): ScoreRow[] {
  const sorted = [...rows].sort((a, b) => b.score - a.score);
  const at = sorted.findIndex((row) => row.score < none);
  sorted.splice(at === -1 ? sorted.length : at, 0, { themeId: null, score: none, chosen: false, words: [], ruled: null });
  return sorted;
}

/** "Horse racing, Travel" or "No theme", by name where the site's list has it. */
export function chosenText(chosen: readonly string[], themeName: (id: string) => string): string {
  return chosen.length > 0 ? chosen.map(themeName).join(', ') : 'No theme';
}

export function scoresTable(rows: readonly ScoreRow[], themeName: (id: string) => string, testId: string): Element {
  return dataTable({
    testId,
    rows,
    share: (row) => row.score,
    empty: 'Not scored yet.',
    columns: [
      { label: 'Theme', cell: (row) => (row.themeId === null ? h('span', { class: 'muted', title: 'A theme must score above this to be chosen' }, '“No theme” reference') : themeName(row.themeId)) },
      { label: 'Score', numeric: true, cell: (row) => formatScore(row.score) },
      { label: 'Chosen', cell: (row): Child => (row.chosen ? h('span', { class: 'pill chosen', 'data-testid': 'score-chosen' }, 'chosen') : null) },
      { label: 'Words that drove it', cell: (row) => [row.words.join(', '), row.ruled ? `(${row.ruled})` : ''].filter(Boolean).join(' ') },
    ],
  });
}
