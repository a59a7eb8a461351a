import { localDay } from '../collector/local-time.ts';
import type { Db } from '../collector/store/database.ts';

const DAY_MS = 86_400_000;
const TOP_PAGES = 3;

/** "People and visitors with a sustained interest in a theme", as a marketer sets it. */
export interface SegmentDefinition {
  name: string;
  themeId: string;
  /** Active on the theme on at least this many distinct days of the window... */
  minDays: number;
  /** ...the last this many days, today included (in the site's time zone)... */
  windowDays: number;
  /** ...with at least this much interest in the window (engaged minutes, weighted by how much each page is about the theme)... */
  minInterest: number;
  /** ...and seen on the site within this many days. */
  seenWithinDays: number;
  /** People only: each trait (from identify calls or the CRM) equals the value, or one of the values. */
  traits?: Record<string, string | number | boolean | (string | number | boolean)[]>;
  /** Seen in one of these countries (ISO codes) during the window. */
  countries?: string[];
  /** Seen on one of these device types during the window. */
  deviceTypes?: string[];
}

export interface SegmentMember {
  /** The device the member used last (for a person, the latest of theirs). */
  visitorId: string;
  visitorIds: string[];
  personId: string | null;
  /** The SHA-256 identify sent: of the e-mail address when the site identifies by address, as ad platforms match. */
  hashedEmail: string | null;
  interest: number;
  daysActive: number;
  lastSeen: string;
  topPages: string[];
}

interface Candidate {
  personId: string | null;
  visitorIds: string[];
  /** Where each visitor's history is the member's: all of it for an anonymous visitor. */
  ranges: { visitorId: string; from: number; until: number }[];
  interest: number;
  daysActive: number;
}

/**
 * Segment membership, computed when asked from `interest_daily` (kept current at ingest), so it is
 * always current. People are counted over all their devices; visitors never identified, alone.
 */
export function createSegmentQueries(db: Db) {
  const people = db.prepare(`
    SELECT person_id AS personId, count(DISTINCT day) AS daysActive, sum(interest) AS interest
    FROM interest_daily WHERE site_id = @siteId AND theme_id = @themeId AND day >= @fromDay AND person_id <> ''
    GROUP BY person_id HAVING count(DISTINCT day) >= @minDays AND sum(interest) >= @minInterest`);
  const visitors = db.prepare(`
    SELECT visitor_id AS visitorId, count(DISTINCT day) AS daysActive, sum(interest) AS interest
    FROM interest_daily WHERE site_id = @siteId AND theme_id = @themeId AND day >= @fromDay AND person_id = ''
    GROUP BY visitor_id HAVING count(DISTINCT day) >= @minDays AND sum(interest) >= @minInterest`);
  const rangesOf = db.prepare(`
    SELECT visitor_id AS visitorId, from_ts AS "from", until_ts AS until FROM person_visitors WHERE site_id = ? AND person_id = ?`);
  // The visits of a part of a visitor's history, latest first.
  const visitsOf = db.prepare(`
    SELECT started_at AS startedAt, last_seen_at AS lastSeen, country, device_type AS deviceType FROM sessions
    WHERE site_id = @siteId AND visitor_id = @visitorId AND last_seen_at >= @from AND started_at < @until ORDER BY started_at DESC`);
  const topPagesOf = db.prepare(`
    SELECT e.path, count(*) AS views FROM sessions s
      JOIN events e ON e.session_id = s.id AND e.type = 'pageview' AND e.ts >= @from AND e.ts < @until AND e.ts >= @since
      JOIN page_themes t ON t.site_id = e.site_id AND t.path = e.path AND t.theme_id = @themeId AND t.chosen = 1
    WHERE s.site_id = @siteId AND s.visitor_id = @visitorId AND s.last_seen_at >= @since
    GROUP BY e.path`);
  const traitsOf = db.prepare(`
    SELECT (SELECT traits FROM people WHERE site_id = @siteId AND person_id = @personId) AS identified,
      (SELECT traits FROM crm_traits WHERE site_id = @siteId AND person_id = @personId) AS crm`);

  function traitsMatch(siteId: number, personId: string | null, wanted: NonNullable<SegmentDefinition['traits']>): boolean {
    if (personId === null) return false;
    const row = traitsOf.get({ siteId, personId }) as { identified: string | null; crm: string | null };
    const traits: Record<string, unknown> = { ...(row.identified ? JSON.parse(row.identified) : {}), ...(row.crm ? JSON.parse(row.crm) : {}) };
    return Object.entries(wanted).every(([key, value]) => {
      if (!(key in traits)) return false;
      const options = Array.isArray(value) ? value : [value];
      // A CSV's "42" and an identify call's 42 are the same trait value.
      return options.some((option) => String(option) === String(traits[key]));
    });
  }

  function members(siteId: number, definition: SegmentDefinition, { now, timeZone }: { now: number; timeZone: string }): SegmentMember[] {
    const today = localDay(now, timeZone);
    const fromDay = new Date(Date.parse(`${today}T00:00:00Z`) - (definition.windowDays - 1) * DAY_MS).toISOString().slice(0, 10);
    // Visits and pages are looked at over the window (a day more, for time zones ahead of UTC).
    const since = Date.parse(`${fromDay}T00:00:00Z`) - DAY_MS;
    const seenSince = now - definition.seenWithinDays * DAY_MS;
    const parameters = { siteId, themeId: definition.themeId, fromDay, minDays: definition.minDays, minInterest: definition.minInterest };
    const everything = { from: Number.MIN_SAFE_INTEGER, until: Number.MAX_SAFE_INTEGER };
    const candidates: Candidate[] = [
      ...(people.all(parameters) as { personId: string; daysActive: number; interest: number }[]).map((row) => {
        const ranges = rangesOf.all(siteId, row.personId) as Candidate['ranges'];
        return { ...row, visitorIds: [...new Set(ranges.map((range) => range.visitorId))], ranges };
      }),
      ...(visitors.all(parameters) as { visitorId: string; daysActive: number; interest: number }[]).map((row) => ({
        personId: null,
        interest: row.interest,
        daysActive: row.daysActive,
        visitorIds: [row.visitorId],
        ranges: [{ visitorId: row.visitorId, ...everything }],
      })),
    ];

    const found: SegmentMember[] = [];
    for (const candidate of candidates) {
      if (definition.traits && !traitsMatch(siteId, candidate.personId, definition.traits)) continue;
      const visits = candidate.ranges.flatMap((range) =>
        (visitsOf.all({ siteId, ...range }) as { startedAt: number; lastSeen: number; country: string | null; deviceType: string | null }[]).map((visit) => ({
          ...visit,
          visitorId: range.visitorId,
        })),
      );
      const latest = visits.reduce<(typeof visits)[number] | null>((best, visit) => (!best || visit.lastSeen > best.lastSeen ? visit : best), null);
      if (!latest || latest.lastSeen < seenSince) continue;
      const inWindow = visits.filter((visit) => visit.lastSeen >= since);
      if (definition.countries && !inWindow.some((visit) => visit.country !== null && definition.countries!.includes(visit.country))) continue;
      if (definition.deviceTypes && !inWindow.some((visit) => visit.deviceType !== null && definition.deviceTypes!.includes(visit.deviceType))) continue;
      const views = new Map<string, number>();
      for (const range of candidate.ranges) {
        for (const row of topPagesOf.all({ siteId, themeId: definition.themeId, since, ...range }) as { path: string; views: number }[]) {
          views.set(row.path, (views.get(row.path) ?? 0) + row.views);
        }
      }
      found.push({
        visitorId: latest.visitorId,
        visitorIds: candidate.visitorIds,
        personId: candidate.personId,
        hashedEmail: candidate.personId,
        interest: candidate.interest,
        daysActive: candidate.daysActive,
        lastSeen: new Date(latest.lastSeen).toISOString(),
        topPages: [...views].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, TOP_PAGES).map(([path]) => path),
      });
    }
    return found.sort((a, b) => b.interest - a.interest || a.visitorId.localeCompare(b.visitorId));
  }

  return { members };
}

export type SegmentQueries = ReturnType<typeof createSegmentQueries>;

const CSV_COLUMNS = ['visitor_id', 'person_id', 'hashed_email', 'interest', 'days_active', 'last_seen', 'top_pages'] as const;

/**
 * Members as CSV for an ad platform or a spreadsheet. Every value is quoted; one that a spreadsheet
 * would run as a formula (starting with = + - @) is prefixed with a quote mark, since paths and ids
 * come from visitors' browsers.
 */
export function membersCsv(members: readonly SegmentMember[]): string {
  const cell = (value: string | number | null) => {
    let text = value === null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return `"${text.replaceAll('"', '""')}"`;
  };
  const lines = members.map((m) =>
    [m.visitorId, m.personId, m.hashedEmail, Math.round(m.interest * 1000) / 1000, m.daysActive, m.lastSeen, m.topPages.join(' ')].map(cell).join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...lines].join('\r\n')}\r\n`;
}
