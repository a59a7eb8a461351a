import { LruCache } from '../../enrich/lru.ts';
import type { Db } from './database.ts';

/**
 * How much a pageview says about its visitor's interests: the minutes its page was visible, as the
 * engagement report tells, within bounds. A page left open in a background tab for hours is not
 * hours of reading, and a pageview without a report (the tab was killed, an old tracker) still counts.
 */
export const DEFAULT_ENGAGED_SECONDS = 15;
export const MAX_ENGAGED_SECONDS = 10 * 60;

export function engagedMinutes(engagedMs: number | null): number {
  const seconds = engagedMs === null ? DEFAULT_ENGAGED_SECONDS : engagedMs / 1000;
  return Math.min(seconds, MAX_ENGAGED_SECONDS) / 60;
}

/** `sites.interest_version` while the site's interest is computed again; -1 is stale. */
const RECOMPUTING = -2;

/** Events read per step when a site's interest is computed again as a whole. */
export const RECOMPUTE_CHUNK_EVENTS = 5_000;

/** A pageview as interest needs it. */
export interface InterestPageview {
  siteId: number;
  /** The events table's row id: orders pageviews for a recompute in progress. */
  rowId: number;
  eventId: string;
  path: string;
  /** The visit it belongs to: interest is kept on the visit's row. */
  sessionId: number;
}

/** A visit's interest as `sessions.interest` holds it: per theme, the interest and the pageviews it came from. */
export type VisitInterest = Record<string, [interest: number, pageviews: number]>;

/** A page's chosen themes with the weight each gives its pageviews (see pageWeights). */
type PageScores = { themeId: string; score: number }[];

/**
 * How much of a pageview goes to each theme its page was given. Raw scores say more about the
 * wording than the topic (a page full of the theme's own words scores several times one that
 * talks around it), so each is taken relative to the page's best: its main theme weighs 1, a
 * second one its share. A theme a rule forced weighs 1: the marketer said the page is about it.
 */
export function pageWeights(chosen: readonly { themeId: string; score: number; forced: number }[]): PageScores {
  const best = Math.max(0, ...chosen.filter((theme) => !theme.forced).map((theme) => theme.score));
  return chosen.map(({ themeId, score, forced }) => ({ themeId, score: forced || best <= 0 ? 1 : Math.min(1, score / best) }));
}
/** Scored: the chosen themes with their scores (maybe none); unscored: waits for the scorer; no-text: never scored. */
type PageState = { kind: 'scored'; themes: PageScores } | { kind: 'unscored' } | { kind: 'no-text' };

/**
 * Keeps each visit's interest current at ingest (`sessions.interest`): every pageview adds, for each
 * theme its page was given, its weight times the minutes the page was visible. A visit lies within
 * one day of the site's time zone (visits end at midnight), so a visit's interest is its visitor's
 * interest of that day; whose person it is, is read at query time from the person ranges. Kept on
 * the visit's row, it costs ingest no page write of its own: that row is written for the pageview
 * anyway (bench/: a table of daily rows cost about a seventh of ingest throughput).
 *
 * The visits' interest always equals what `recomputeSteps` derives from the raw events with the
 * current page scores, with three catch-ups: pageviews of a page not scored yet wait in
 * `interest_pending` until it is (`pageScored`); an engagement report that arrives after its
 * pageview adds the difference; and when scores of pages already counted change (new themes, a
 * page's new text), the site is marked stale and computed again from the raw events, in steps.
 *
 * Runs on the writer's connection, inside its transactions.
 */
export function createInterestKeeper(db: Db) {
  const siteThemes = db.prepare(`
    SELECT themes_version AS version, interest_version AS interestVersion, EXISTS (SELECT 1 FROM themes WHERE site_id = sites.id) AS hasThemes
    FROM sites WHERE id = ?`);
  const pageText = db.prepare(`
    SELECT scored_version AS scoredVersion, scored_text IS text AS current FROM page_texts WHERE site_id = ? AND path = ?`);
  const chosenThemes = db.prepare(`
    SELECT theme_id AS themeId, score, coalesce(ruled ->> 'effect' = 'force', 0) AS forced FROM page_themes WHERE site_id = ? AND path = ? AND chosen = 1`);
  const engagementOf = db.prepare('SELECT engaged_ms FROM engagements WHERE site_id = ? AND pageview_id = ?').pluck();
  // Theme ids are [a-z0-9-] (collector/theme-schema.ts), safe inside a quoted JSON path.
  const addToVisit = db.prepare(`
    UPDATE sessions SET interest = json_set(coalesce(interest, '{}'), '$."' || @themeId || '"', json_array(
      coalesce(json_extract(interest, '$."' || @themeId || '"[0]'), 0) + @interest,
      coalesce(json_extract(interest, '$."' || @themeId || '"[1]'), 0) + @pageviews))
    WHERE id = @sessionId`);
  const addPending = db.prepare('INSERT OR IGNORE INTO interest_pending (site_id, path, event_id) VALUES (?, ?, ?)');
  const pageviewColumns = 'e.id AS rowId, e.event_id AS eventId, e.path, e.session_id AS sessionId';
  const pendingOf = db.prepare(`
    SELECT ${pageviewColumns} FROM interest_pending p JOIN events e ON e.site_id = p.site_id AND e.event_id = p.event_id
    WHERE p.site_id = ? AND p.path = ?`);
  const deletePendingOfPage = db.prepare('DELETE FROM interest_pending WHERE site_id = ? AND path = ?');
  const pageviewOf = db.prepare(`SELECT ${pageviewColumns} FROM events e WHERE e.site_id = ? AND e.event_id = ? AND e.type = 'pageview'`);
  const visitsPageviews = db.prepare(`
    SELECT ${pageviewColumns} FROM sessions s JOIN events e ON e.session_id = s.id
    WHERE s.site_id = ? AND s.visitor_id = ? AND s.started_at >= ? AND e.type = 'pageview'`);
  const clearVisits = db.prepare('UPDATE sessions SET interest = NULL WHERE site_id = ? AND visitor_id = ? AND started_at >= ? AND interest IS NOT NULL');
  const markStale = db.prepare('UPDATE sites SET interest_version = -1 WHERE id = ?');

  // Read for every pageview: a page's chosen themes change only when the writer stores new scores.
  let pages = new LruCache<string, { version: number; themes: PageScores }>(20_000);
  /** Sites being computed again: pageviews up to `watermark` and after `position` are the recompute's to count. */
  const recomputing = new Map<number, { watermark: number; position: number }>();

  function stateOf(siteId: number, path: string): PageState {
    // Read each time: the main thread's connection changes themes, and a read costs about 2 µs.
    const site = siteThemes.get(siteId) as { version: number; hasThemes: number } | undefined;
    if (!site || !site.hasThemes) return { kind: 'no-text' };
    const key = `${siteId}\u0000${path}`;
    const cached = pages.get(key);
    if (cached && cached.version === site.version) return { kind: 'scored', themes: cached.themes };
    const text = pageText.get(siteId, path) as { scoredVersion: number | null; current: number } | undefined;
    if (!text) return { kind: 'no-text' };
    if (text.scoredVersion !== site.version || !text.current) return { kind: 'unscored' };
    const themes = pageWeights(chosenThemes.all(siteId, path) as { themeId: string; score: number; forced: number }[]);
    pages.set(key, { version: site.version, themes });
    return { kind: 'scored', themes };
  }

  /** Adds `minutes` of the pageview to its visit, per chosen theme; `pageviews` is 1 for the pageview itself, 0 for a correction. */
  function credit(view: InterestPageview, themes: PageScores, minutes: number, pageviews: 0 | 1) {
    if (themes.length === 0 || (minutes === 0 && pageviews === 0)) return;
    for (const { themeId, score } of themes) addToVisit.run({ sessionId: view.sessionId, themeId, interest: score * minutes, pageviews });
  }

  /** Counts a pageview with what is known of it now (its engagement may have come first). */
  function countPageview(view: InterestPageview, themes: PageScores) {
    if (themes.length === 0) return;
    credit(view, themes, engagedMinutes((engagementOf.get(view.siteId, view.eventId) as number | undefined) ?? null), 1);
  }

  /** Whether a recompute in progress will count this pageview itself. */
  function leftToRecompute(view: Pick<InterestPageview, 'siteId' | 'rowId'>) {
    const run = recomputing.get(view.siteId);
    return run !== undefined && view.rowId > run.position && view.rowId <= run.watermark;
  }

  /** Counts the pageview if its page is scored, or lets it wait for the scores. */
  function count(view: InterestPageview) {
    const state = stateOf(view.siteId, view.path);
    if (state.kind === 'scored') countPageview(view, state.themes);
    else if (state.kind === 'unscored') addPending.run(view.siteId, view.path, view.eventId);
  }

  return {
    /** A new pageview, stored in the events table with its visit (and its page text already upserted). */
    pageview(view: InterestPageview) {
      count(view);
    },

    /** An engagement report for a pageview raised its visible time from `before` (null: none yet) to `after`. */
    engagement(siteId: number, pageviewId: string, before: number | null, after: number) {
      const row = pageviewOf.get(siteId, pageviewId) as Omit<InterestPageview, 'siteId'> | undefined;
      // No pageview yet: it will read the report when it comes. Pending: the report is read when its page is scored.
      if (!row || after <= (before ?? -1)) return;
      const view = { ...row, siteId };
      if (leftToRecompute(view)) return;
      const state = stateOf(siteId, view.path);
      if (state.kind === 'scored') credit(view, state.themes, engagedMinutes(after) - engagedMinutes(before), 0);
    },

    /**
     * The scorer stored new scores for a page. Its first scores count the pageviews that waited for
     * them; new scores of a page counted before make the site's interest stale (`recomputeSteps`).
     */
    pageScored(siteId: number, path: string, { firstScores }: { firstScores: boolean }) {
      pages.delete(`${siteId}\u0000${path}`);
      if (!firstScores) markStale.run(siteId);
      const state = stateOf(siteId, path);
      if (state.kind === 'scored') {
        for (const row of pendingOf.all(siteId, path) as Omit<InterestPageview, 'siteId'>[]) {
          const view = { ...row, siteId };
          if (!leftToRecompute(view)) countPageview(view, state.themes);
        }
      }
      deletePendingOfPage.run(siteId, path);
    },

    /**
     * Counts the interest of a visitor's visits from `from` on again: after they were cut again (a late
     * event, an erasure on a shared device), since new visit rows start with none.
     */
    recountVisits(siteId: number, visitorId: string, from: number) {
      clearVisits.run(siteId, visitorId, from);
      for (const row of visitsPageviews.all(siteId, visitorId, from) as Omit<InterestPageview, 'siteId'>[]) {
        const view = { ...row, siteId };
        if (!leftToRecompute(view)) count(view);
      }
    },

    /**
     * Computes the site's interest again from its raw events, one bounded transaction per step (the
     * caller commits between steps, so ingest goes on). Pageviews that arrive meanwhile are counted
     * as usual; those up to the start are the recompute's. At the end the site's interest is marked
     * current for `version`, unless scores changed again meanwhile.
     */
    *recomputeSteps(siteId: number, version: number, { chunkEvents = RECOMPUTE_CHUNK_EVENTS } = {}): Generator<number, void> {
      const watermark = (db.prepare('SELECT coalesce(max(id), 0) FROM events WHERE site_id = ?').pluck().get(siteId) as number) ?? 0;
      const run = { watermark, position: 0 };
      const chunk = db.prepare(`
        SELECT ${pageviewColumns} FROM events e
        WHERE e.site_id = ? AND e.type = 'pageview' AND e.id > ? AND e.id <= ? ORDER BY e.id LIMIT ?`);
      db.transaction(() => {
        db.prepare('UPDATE sessions SET interest = NULL WHERE site_id = ? AND interest IS NOT NULL').run(siteId);
        // Waiting pageviews up to the watermark are the scan's (it adds back those still unscored).
        db.prepare(`
          DELETE FROM interest_pending WHERE site_id = ? AND event_id IN (
            SELECT p.event_id FROM interest_pending p JOIN events e ON e.site_id = p.site_id AND e.event_id = p.event_id
            WHERE p.site_id = ? AND e.id <= ?)`).run(siteId, siteId, watermark);
        // Neither current nor stale while it runs: a stop half-way leaves it to be done again at start.
        db.prepare('UPDATE sites SET interest_version = ? WHERE id = ?').run(RECOMPUTING, siteId);
      })();
      recomputing.set(siteId, run);
      try {
        for (;;) {
          const rows = db.transaction(() => {
            const batch = chunk.all(siteId, run.position, watermark, chunkEvents) as Omit<InterestPageview, 'siteId'>[];
            for (const row of batch) {
              // A page whose text changed since waits for its new scores, which mark the site stale again.
              count({ ...row, siteId });
              run.position = row.rowId;
            }
            return batch.length;
          })();
          yield rows;
          if (rows < chunkEvents) break;
        }
        // Scores that changed meanwhile marked the site stale: it stays so, and is computed again.
        db.prepare('UPDATE sites SET interest_version = ? WHERE id = ? AND interest_version = ?').run(version, siteId, RECOMPUTING);
      } finally {
        recomputing.delete(siteId);
      }
    },

    /** The visible time a pageview's reports have given so far, or null: before an engagement report is stored. */
    engagedMs(siteId: number, pageviewId: string): number | null {
      return (engagementOf.get(siteId, pageviewId) as number | undefined) ?? null;
    },

    forget() {
      pages = new LruCache(20_000);
    },
  };
}

export type InterestKeeper = ReturnType<typeof createInterestKeeper>;

