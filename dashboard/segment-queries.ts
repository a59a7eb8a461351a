import { localDay, startOfLocalDay } from '../collector/local-time.ts';
import type { Db } from '../collector/store/database.ts';
import type { VisitInterest } from '../collector/store/interest.ts';

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
 * Segment membership, computed when asked from the visits' interest (kept current at ingest), so it
 * is always current: one read of the window's visits with interest, through (site_id, started_at).
 * People are counted over all their devices (a visit is the person's whose part of its device's
 * history it started in); visitors never identified, alone.
 */
export function createSegmentQueries(db: Db) {
  const windowVisits = db.prepare(`
    SELECT visitor_id AS visitorId, started_at AS startedAt, interest FROM sessions
    WHERE site_id = ? AND started_at >= ? AND interest IS NOT NULL`);
  const siteRanges = db.prepare(`
    SELECT visitor_id AS visitorId, from_ts AS "from", until_ts AS until, person_id AS personId FROM person_visitors WHERE site_id = ?`);
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
    const since = startOfLocalDay(fromDay, timeZone);
    const seenSince = now - definition.seenWithinDays * DAY_MS;
    const everything = { from: Number.MIN_SAFE_INTEGER, until: Number.MAX_SAFE_INTEGER };

    // Whose each visit is: the person whose part of the device's history it started in, else the visitor.
    const rangesByVisitor = new Map<string, { from: number; until: number; personId: string }[]>();
    for (const range of siteRanges.all(siteId) as { visitorId: string; from: number; until: number; personId: string }[]) {
      const known = rangesByVisitor.get(range.visitorId);
      if (known) known.push(range);
      else rangesByVisitor.set(range.visitorId, [range]);
    }
    const active = new Map<string, { personId: string | null; visitorId: string; days: Set<string>; interest: number }>();
    for (const visit of windowVisits.all(siteId, since) as { visitorId: string; startedAt: number; interest: string }[]) {
      const theme = (JSON.parse(visit.interest) as VisitInterest)[definition.themeId];
      if (!theme) continue;
      const personId = rangesByVisitor.get(visit.visitorId)?.find((range) => range.from <= visit.startedAt && visit.startedAt < range.until)?.personId ?? null;
      const key = personId === null ? `visitor\u0000${visit.visitorId}` : `person\u0000${personId}`;
      const member = active.get(key) ?? { personId, visitorId: visit.visitorId, days: new Set<string>(), interest: 0 };
      member.days.add(localDay(visit.startedAt, timeZone));
      member.interest += theme[0];
      active.set(key, member);
    }
    const candidates: Candidate[] = [...active.values()]
      .filter((member) => member.days.size >= definition.minDays && member.interest >= definition.minInterest)
      .map((member) => {
        if (member.personId === null) {
          return { personId: null, interest: member.interest, daysActive: member.days.size, visitorIds: [member.visitorId], ranges: [{ visitorId: member.visitorId, ...everything }] };
        }
        const ranges = rangesOf.all(siteId, member.personId) as Candidate['ranges'];
        return { personId: member.personId, interest: member.interest, daysActive: member.days.size, visitorIds: [...new Set(ranges.map((range) => range.visitorId))], ranges };
      });

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
