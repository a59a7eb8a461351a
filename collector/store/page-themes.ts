import type { Db } from './database.ts';
import type { InterestKeeper } from './interest.ts';

/** A page's scores as the scorer returns them, for the text it was given. */
export interface ScoredPage {
  path: string;
  /** The page text that was scored (page_texts.text): scores of a text replaced since are dropped. */
  text: string;
  scores: { themeId: string; score: number; words: string[] }[];
  /** The "no theme" reference's score. */
  none: number;
  chosen: string[];
  ruled: { themeId: string; effect: 'force' | 'forbid'; rule: string }[];
}

/**
 * Stores what the scorer found, on the writer's connection: a page's scores replace its previous
 * ones only while its text and the site's themes are still those that were scored; then interest
 * catches up (collector/store/interest.ts).
 */
export function createPageThemesWriter(db: Db, interest: InterestKeeper) {
  const site = db.prepare('SELECT themes_version AS version FROM sites WHERE id = ?');
  const text = db.prepare('SELECT text, scored_text AS scoredText FROM page_texts WHERE site_id = ? AND path = ?');
  const deleteScores = db.prepare('DELETE FROM page_themes WHERE site_id = ? AND path = ?');
  const insertScore = db.prepare(`
    INSERT INTO page_themes (site_id, path, theme_id, score, chosen, words, ruled) VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const markScored = db.prepare('UPDATE page_texts SET scored_text = ?, scored_version = ?, scored_none = ? WHERE site_id = ? AND path = ?');

  return {
    /** Returns how many pages were stored and how many were stale (their text or the themes changed meanwhile). */
    store(siteId: number, version: number, pages: readonly ScoredPage[]): { stored: number; stale: number } {
      let stored = 0;
      return db.transaction(() => {
        const current = site.get(siteId) as { version: number } | undefined;
        if (!current || current.version !== version) return { stored: 0, stale: pages.length };
        for (const page of pages) {
          const row = text.get(siteId, page.path) as { text: string; scoredText: string | null } | undefined;
          if (!row || row.text !== page.text) continue;
          deleteScores.run(siteId, page.path);
          for (const score of page.scores) {
            const ruled = page.ruled.find((rule) => rule.themeId === score.themeId);
            insertScore.run(siteId, page.path, score.themeId, score.score, page.chosen.includes(score.themeId) ? 1 : 0, JSON.stringify(score.words), ruled ? JSON.stringify(ruled) : null);
          }
          markScored.run(page.text, version, page.none, siteId, page.path);
          interest.pageScored(siteId, page.path, { firstScores: row.scoredText === null });
          stored++;
        }
        return { stored, stale: pages.length - stored };
      })();
    },
  };
}
