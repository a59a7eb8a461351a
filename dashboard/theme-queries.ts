import { daysBetween, localDay, startOfLocalDay } from '../collector/local-time.ts';
import type { Db } from '../collector/store/database.ts';
import type { VisitInterest } from '../collector/store/interest.ts';

const TOP_PAGES = 10;
const DAY_MS = 86_400_000;

export interface ThemePeriod {
  from: string;
  to: string;
  timeZone: string;
}

/** Lifetime interest from daily rows: each day's weight halves every `halfLifeDays` days before `today`. */
export function decayedInterest(rows: readonly { day: string; interest: number }[], today: string, halfLifeDays: number): number {
  const todayMs = Date.parse(`${today}T00:00:00Z`);
  return rows.reduce((sum, row) => sum + row.interest * 0.5 ** ((todayMs - Date.parse(`${row.day}T00:00:00Z`)) / DAY_MS / halfLifeDays), 0);
}

/** The read side of themes: what pages are about, and who is interested in what. */
export function createThemeQueries(db: Db) {
  const pageCounts = db.prepare(`
    SELECT theme_id AS themeId, count(*) AS pages FROM page_themes WHERE site_id = ? AND chosen = 1 GROUP BY theme_id`);
  const pagesStatus = db.prepare(`
    SELECT count(*) AS pages, coalesce(sum(p.scored_version = s.themes_version AND p.scored_text IS p.text), 0) AS scored
    FROM page_texts p JOIN sites s ON s.id = p.site_id WHERE p.site_id = ?`);
  // Pageviews in the period of the pages given a theme, by page: the theme's top pages and its traffic.
  // The period's pageviews once, through (site_id, ts), each looking its page's themes up by key:
  // CROSS JOIN keeps SQLite from scanning the period once per themed page instead.
  const themePages = db.prepare(`
    SELECT t.theme_id AS themeId, e.path, count(*) AS pageviews, count(DISTINCT e.visitor_id) AS visitors, max(t.score) AS score
    FROM events e CROSS JOIN page_themes t ON t.site_id = e.site_id AND t.path = e.path AND t.chosen = 1
    WHERE e.site_id = @siteId AND e.ts >= @start AND e.ts < @end AND e.type = 'pageview' GROUP BY t.theme_id, e.path`);
  // Visits with interest in the period, through (site_id, started_at); their days are counted in JS, in the site's zone.
  const visitsWithInterest = db.prepare(`
    SELECT visitor_id AS visitorId, started_at AS startedAt, interest FROM sessions
    WHERE site_id = ? AND started_at >= ? AND started_at < ? AND interest IS NOT NULL`);
  const pageScores = db.prepare(`
    SELECT theme_id AS themeId, score, chosen, words, ruled FROM page_themes WHERE site_id = ? AND path = ? ORDER BY score DESC`);
  const pageText = db.prepare(`
    SELECT url, text, lang, updated_at AS updatedAt, scored_version AS scoredVersion, scored_none AS none FROM page_texts WHERE site_id = ? AND path = ?`);
  // Pages with their chosen themes, latest text first; `theme` narrows to one theme, '' to pages with none.
  const pageList = db.prepare(`
    SELECT p.path, p.url, p.text ->> 'title' AS title, p.lang, p.updated_at AS updatedAt, p.scored_version IS NOT NULL AS scored,
      (SELECT json_group_array(theme_id) FROM page_themes WHERE site_id = p.site_id AND path = p.path AND chosen = 1) AS chosen
    FROM page_texts p
    WHERE p.site_id = @siteId AND (@theme IS NULL
      OR (@theme = '' AND p.scored_version IS NOT NULL AND NOT EXISTS (SELECT 1 FROM page_themes WHERE site_id = p.site_id AND path = p.path AND chosen = 1))
      OR EXISTS (SELECT 1 FROM page_themes WHERE site_id = p.site_id AND path = p.path AND theme_id = @theme AND chosen = 1))
    ORDER BY p.updated_at DESC, p.path LIMIT @limit OFFSET @offset`);
  const visitorVisits = db.prepare(`
    SELECT started_at AS startedAt, interest FROM sessions WHERE site_id = ? AND visitor_id = ? AND interest IS NOT NULL`);
  const personVisits = db.prepare(`
    SELECT s.started_at AS startedAt, s.interest FROM person_visitors r JOIN sessions s
      ON s.site_id = r.site_id AND s.visitor_id = r.visitor_id AND s.started_at >= r.from_ts AND s.started_at < r.until_ts
    WHERE r.site_id = ? AND r.person_id = ? AND s.interest IS NOT NULL`);

  /** Visits' interest as one row per theme and visit, on the visit's day in the site's time zone. */
  function daily(visits: { startedAt: number; interest: string }[], timeZone: string) {
    return visits.flatMap((visit) =>
      Object.entries(JSON.parse(visit.interest) as VisitInterest).map(([themeId, [interest, pageviews]]) => ({
        themeId,
        day: localDay(visit.startedAt, timeZone),
        interest,
        pageviews,
      })),
    );
  }

  /** A visitor's or person's themes, most interested first, with lifetime interest decayed to `today`. */
  function topThemes(rows: { themeId: string; day: string; interest: number }[], today: string, halfLifeDays: number) {
    const byTheme = new Map<string, { day: string; interest: number }[]>();
    for (const row of rows) {
      const known = byTheme.get(row.themeId);
      if (known) known.push(row);
      else byTheme.set(row.themeId, [row]);
    }
    return [...byTheme]
      .map(([themeId, days]) => ({
        themeId,
        interest: decayedInterest(days, today, halfLifeDays),
        daysActive: new Set(days.map((d) => d.day)).size,
        lastDay: days.reduce((last, d) => (d.day > last ? d.day : last), ''),
      }))
      .sort((a, b) => b.interest - a.interest || a.themeId.localeCompare(b.themeId));
  }

  return {
    /** Per theme: pages given it, and in the period its top pages, pageviews and interest per day. */
    report(siteId: number, themes: readonly { id: string; name: string }[], period: ThemePeriod) {
      const start = startOfLocalDay(period.from, period.timeZone);
      const end = startOfLocalDay(new Date(Date.parse(`${period.to}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10), period.timeZone);
      const counts = new Map((pageCounts.all(siteId) as { themeId: string; pages: number }[]).map((row) => [row.themeId, row.pages]));
      const pages = themePages.all({ siteId, start, end }) as { themeId: string; path: string; pageviews: number; visitors: number; score: number }[];
      const perThemeDay = new Map<string, { interest: number; pageviews: number; visitors: Set<string> }>();
      for (const visit of visitsWithInterest.all(siteId, start, end) as { visitorId: string; startedAt: number; interest: string }[]) {
        for (const row of daily([visit], period.timeZone)) {
          const key = `${row.themeId}\u0000${row.day}`;
          const sum = perThemeDay.get(key) ?? { interest: 0, pageviews: 0, visitors: new Set<string>() };
          sum.interest += row.interest;
          sum.pageviews += row.pageviews;
          sum.visitors.add(visit.visitorId);
          perThemeDay.set(key, sum);
        }
      }
      const days = daysBetween(period.from, period.to);
      return {
        pages: pagesStatus.get(siteId) as { pages: number; scored: number },
        themes: themes.map((theme) => {
          const own = pages.filter((page) => page.themeId === theme.id);

          return {
            id: theme.id,
            name: theme.name,
            pages: counts.get(theme.id) ?? 0,
            pageviews: own.reduce((sum, page) => sum + page.pageviews, 0),
            topPages: own
              .sort((a, b) => b.pageviews - a.pageviews || a.path.localeCompare(b.path))
              .slice(0, TOP_PAGES)
              .map(({ themeId: _, ...page }) => page),
            perDay: days.map((day) => {
              const sum = perThemeDay.get(`${theme.id}\u0000${day}`);
              return { day, pageviews: sum?.pageviews ?? 0, visitors: sum?.visitors.size ?? 0, interest: sum?.interest ?? 0 };
            }),
          };
        }),
      };
    },

    /** What one page is about: its stored text and every theme's score with the words that drove it. */
    page(siteId: number, path: string) {
      const text = pageText.get(siteId, path) as { url: string; text: string; lang: string | null; updatedAt: number; scoredVersion: number | null; none: number | null } | undefined;
      if (!text) return null;
      return {
        path,
        url: text.url,
        text: JSON.parse(text.text) as Record<string, string | null>,
        lang: text.lang,
        updatedAt: new Date(text.updatedAt).toISOString(),
        scored: text.scoredVersion !== null,
        none: text.none,
        scores: (pageScores.all(siteId, path) as { themeId: string; score: number; chosen: number; words: string; ruled: string | null }[]).map((row) => ({
          themeId: row.themeId,
          score: row.score,
          chosen: row.chosen === 1,
          words: JSON.parse(row.words) as string[],
          ruled: row.ruled ? (JSON.parse(row.ruled) as { effect: string; rule: string }) : null,
        })),
      };
    },

    /** The site's pages and the themes they were given: all, those of one theme, or (theme '') those with none. */
    pages(siteId: number, { theme, limit, offset }: { theme: string | null; limit: number; offset: number }) {
      return (pageList.all({ siteId, theme, limit, offset }) as { updatedAt: number; scored: number; chosen: string }[]).map((row) => ({
        ...row,
        updatedAt: new Date(row.updatedAt).toISOString(),
        scored: row.scored === 1,
        chosen: JSON.parse(row.chosen) as string[],
      }));
    },

    visitorThemes(siteId: number, visitorId: string, now: number, timeZone: string, halfLifeDays: number) {
      return topThemes(daily(visitorVisits.all(siteId, visitorId) as never, timeZone), localDay(now, timeZone), halfLifeDays);
    },

    /** A person's: the visits of each of their devices that started within the part of its history that is theirs. */
    personThemes(siteId: number, personId: string, now: number, timeZone: string, halfLifeDays: number) {
      return topThemes(daily(personVisits.all(siteId, personId) as never, timeZone), localDay(now, timeZone), halfLifeDays);
    },
  };
}

export type ThemeQueries = ReturnType<typeof createThemeQueries>;
