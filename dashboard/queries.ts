import { daysBetween, localDay, startOfLocalDay } from '../collector/local-time.ts';
import type { Db } from '../collector/store/database.ts';
import { UNTIL_LATER_CLAIM } from '../collector/store/people.ts';

const TOP_ROWS = 10;
/** Lists merged with daily aggregates are read whole, then cut. */
const ALL_ROWS = -1;

interface DayFigures {
  day: string;
  pageviews: number;
  visitors: number;
}

interface AggregateRow {
  dimension: string;
  value: string;
  pageviews: number;
  visitors: number;
  sessions: number;
  bounces: number;
  durationMs: number;
}

/** Sums rows of the same key and keeps the top ones, by visitors (or `by`), then sessions, then key. */
function mergeTop(rows: readonly { key: string | null; sessions: number; visitors: number }[], by: 'visitors' | 'sessions' = 'visitors') {
  const merged = new Map<string | null, { key: string | null; sessions: number; visitors: number }>();
  for (const row of rows) {
    const known = merged.get(row.key);
    if (known) {
      known.sessions += row.sessions;
      known.visitors += row.visitors;
    } else merged.set(row.key, { ...row });
  }
  const other = by === 'visitors' ? 'sessions' : 'visitors';
  return [...merged.values()]
    .sort((a, b) => b[by] - a[by] || b[other] - a[other] || String(a.key).localeCompare(String(b.key)))
    .slice(0, TOP_ROWS);
}
/** A journey shows at most this many of the visitor's latest sessions. */
export const JOURNEY_SESSIONS = 200;

/** A period of whole days in the site's time zone, `from` and `to` inclusive. */
export interface Period {
  from: string;
  to: string;
  timeZone: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Each day of the period with the moments it starts and ends, in the site's time zone. */
function daysOf({ from, to, timeZone }: Period): { day: string; start: number; end: number }[] {
  const list = daysBetween(from, to);
  const starts = [...list, nextDay(to)].map((day) => startOfLocalDay(day, timeZone));
  return list.map((day, i) => ({ day, start: starts[i]!, end: starts[i + 1]! }));
}

function bounds(period: Period): [number, number] {
  const days = daysOf({ ...period, to: period.from });
  return [days[0]!.start, startOfLocalDay(nextDay(period.to), period.timeZone)];
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The read side of the dashboard: every figure it shows comes from one of these queries. */
export function createDashboardQueries(db: Db) {
  const totals = db.prepare(`
    SELECT count(DISTINCT visitor_id) AS visitors, count(*) AS sessions,
      coalesce(avg(pageviews <= 1 AND events = 0), 0) AS bounceRate,
      coalesce(avg(last_seen_at - started_at) / 1000.0, 0) AS avgDurationSeconds
    FROM sessions WHERE site_id = ? AND started_at >= ? AND started_at < ?`);
  const pageviews = db.prepare(`SELECT count(*) FROM events WHERE site_id = ? AND ts >= ? AND ts < ? AND type = 'pageview'`).pluck();
  // SQLite knows no time zones: the days' boundaries come in as JSON, each day a range of the (site_id, ts) index.
  const perDay = db.prepare(`
    SELECT d.value ->> 'day' AS day, count(e.id) AS pageviews, count(DISTINCT e.visitor_id) AS visitors
    FROM json_each(?) d JOIN events e
      ON e.site_id = ? AND e.ts >= d.value ->> 'start' AND e.ts < d.value ->> 'end' AND e.type = 'pageview'
    GROUP BY 1`);
  const topPages = db.prepare(`
    SELECT path, count(*) AS pageviews, count(DISTINCT visitor_id) AS visitors
    FROM events WHERE site_id = ? AND ts >= ? AND ts < ? AND type = 'pageview'
    GROUP BY path ORDER BY pageviews DESC, path LIMIT ?`);
  const sessionBreakdown = (column: string, as: string, label: string) =>
    db.prepare(`
      SELECT coalesce(${column}, ${label}) AS ${as}, count(*) AS sessions, count(DISTINCT visitor_id) AS visitors
      FROM sessions WHERE site_id = ? AND started_at >= ? AND started_at < ?
      GROUP BY 1 ORDER BY visitors DESC, sessions DESC, 1 LIMIT ?`);
  const topReferrers = db.prepare(`
    SELECT coalesce(source, '(direct)') AS source, coalesce(medium, 'direct') AS medium, count(*) AS sessions, count(DISTINCT visitor_id) AS visitors
    FROM sessions WHERE site_id = ? AND started_at >= ? AND started_at < ?
    GROUP BY 1, 2 ORDER BY visitors DESC, sessions DESC, 1 LIMIT ?`);
  const channels = sessionBreakdown('medium', 'medium', `'direct'`);
  const countries = sessionBreakdown('country', 'country', 'NULL');
  const browsers = sessionBreakdown('browser', 'browser', 'NULL');
  const devices = sessionBreakdown('device_type', 'deviceType', 'NULL');
  const dropped = db.prepare(`
    SELECT reason, sum(count) AS count FROM drops WHERE site_id = ? AND day >= ? AND day <= ?
    GROUP BY reason ORDER BY count DESC, reason`);
  const aggregatedThrough = db.prepare('SELECT aggregated_through FROM sites WHERE id = ?').pluck();
  const aggregated = db.prepare(`
    SELECT dimension, value, sum(pageviews) AS pageviews, sum(visitors) AS visitors, sum(sessions) AS sessions,
      sum(bounces) AS bounces, sum(duration_ms) AS durationMs
    FROM daily_aggregates WHERE site_id = ? AND day >= ? AND day <= ? GROUP BY dimension, value`);
  const aggregatedPerDay = db.prepare(`
    SELECT day, pageviews, visitors FROM daily_aggregates WHERE site_id = ? AND dimension = 'total' AND day >= ? AND day <= ?`);
  const droppedPerDay = db.prepare(`
    SELECT day, reason, count FROM drops WHERE site_id = ? AND day >= ? AND day <= ? ORDER BY day, count DESC, reason`);

  // A visitor's pageviews and last activity are read from its sessions (the latest one, and a sum over
  // its index range): the visitors row itself only changes when a visit starts.
  const visitorColumns = `
    v.visitor_id AS visitorId, v.first_seen_at AS firstSeen, s.last_seen_at AS lastSeen, v.sessions,
    (SELECT sum(pageviews) FROM sessions WHERE site_id = v.site_id AND visitor_id = v.visitor_id) AS pageviews,
    v.first_source AS firstSource, coalesce(s.source, '(direct)') AS lastSource, s.country, s.city, s.browser, s.os, s.device_type AS deviceType
    FROM visitors v JOIN sessions s ON s.id = (
      SELECT id FROM sessions WHERE site_id = v.site_id AND visitor_id = v.visitor_id ORDER BY started_at DESC LIMIT 1)`;
  const recentVisitors = db.prepare(`
    SELECT ${visitorColumns}
    WHERE v.site_id = ? AND v.last_visit_at >= ? AND v.last_visit_at < ?
    ORDER BY v.last_visit_at DESC LIMIT ?`);
  const oneVisitor = db.prepare(`SELECT ${visitorColumns} WHERE v.site_id = ? AND v.visitor_id = ?`);
  const sessionColumns = `id, started_at, last_seen_at, entry_path, exit_path, pageviews, events, medium, source, search_term, referrer,
    utm_source, utm_medium, utm_campaign, country, region, city, browser, os, device_type`;
  const visitorSessions = db.prepare(`
    SELECT * FROM (
      SELECT ${sessionColumns} FROM sessions WHERE site_id = ? AND visitor_id = ? ORDER BY started_at DESC LIMIT ${JOURNEY_SESSIONS}
    ) ORDER BY started_at, id`);
  const visitorRanges = db.prepare(`
    SELECT person_id AS personId, from_ts AS "from", until_ts AS until FROM person_visitors WHERE site_id = ? AND visitor_id = ? ORDER BY from_ts`);
  const personRow = db.prepare(`
    SELECT first_identified_at AS firstIdentified, last_identified_at AS lastIdentified, traits FROM people WHERE site_id = ? AND person_id = ?`);
  const crmRow = db.prepare('SELECT traits, imported_at AS importedAt FROM crm_traits WHERE site_id = ? AND person_id = ?');
  const personRanges = db.prepare(`
    SELECT visitor_id AS visitorId, from_ts AS "from", until_ts AS until FROM person_visitors WHERE site_id = ? AND person_id = ? ORDER BY visitor_id, from_ts`);
  // The visits that overlap a range of a visitor's history (their events are then cut to the range).
  const rangeSessions = db.prepare(`
    SELECT ${sessionColumns} FROM sessions WHERE site_id = ? AND visitor_id = ? AND last_seen_at >= ? AND started_at < ? ORDER BY started_at, id`);
  const recentPeople = db.prepare(`
    SELECT p.person_id AS personId, p.first_identified_at AS firstIdentified, p.last_identified_at AS lastIdentified, p.traits,
      (SELECT count(DISTINCT visitor_id) FROM person_visitors WHERE site_id = p.site_id AND person_id = p.person_id) AS visitors
    FROM people p WHERE p.site_id = ? ORDER BY p.last_identified_at DESC LIMIT ?`);
  // Every visit of the visitor, however many, for what the journey header sums up.
  const visitHistory = db.prepare(`
    SELECT started_at AS startedAt, country, device_type AS deviceType FROM sessions
    WHERE site_id = ? AND visitor_id = ? ORDER BY started_at`);
  const sessionEvents = db.prepare(`
    SELECT e.event_id AS id, e.session_id AS sessionId, e.ts, e.type, e.name, e.path, e.title, e.props,
      g.engaged_ms AS engagedMs, g.scroll_depth AS scrollDepth
    FROM events e LEFT JOIN engagements g ON g.site_id = e.site_id AND g.pageview_id = e.event_id
    WHERE e.session_id IN (SELECT value FROM json_each(?)) ORDER BY e.ts, e.client_ts, e.id`);

  /** The figures of a period from the raw events alone, lists cut to `limit` rows. */
  function rawStats(siteId: number, period: Period, limit: number) {
    const [start, end] = bounds(period);
    const days = daysOf(period);
    const byDay = new Map((perDay.all(JSON.stringify(days), siteId) as DayFigures[]).map((r) => [r.day, r]));
    type Breakdown<K extends string> = (Record<K, string | null> & { sessions: number; visitors: number })[];
    return {
      totals: { ...(totals.get(siteId, start, end) as { visitors: number; sessions: number; bounceRate: number; avgDurationSeconds: number }), pageviews: pageviews.get(siteId, start, end) as number },
      pageviewsPerDay: days.map(({ day }) => byDay.get(day) ?? { day, pageviews: 0, visitors: 0 }),
      topPages: topPages.all(siteId, start, end, limit) as { path: string; pageviews: number; visitors: number }[],
      topReferrers: topReferrers.all(siteId, start, end, limit) as ({ source: string; medium: string; sessions: number; visitors: number })[],
      channels: channels.all(siteId, start, end, limit) as Breakdown<'medium'>,
      countries: countries.all(siteId, start, end, limit) as Breakdown<'country'>,
      browsers: browsers.all(siteId, start, end, limit) as Breakdown<'browser'>,
      devices: devices.all(siteId, start, end, limit) as Breakdown<'deviceType'>,
    };
  }

  type VisitorRow = { firstSeen: number; lastSeen: number } & Record<string, unknown>;
  const visitorOut = (row: VisitorRow) => ({ ...row, firstSeen: iso(row.firstSeen), lastSeen: iso(row.lastSeen) });

  return {
    /**
     * A period's figures. Days whose raw events retention has deleted come from their daily
     * aggregates (collector/store/daily-aggregates.ts); there, a visitor who came on several days
     * counts once per day, since the aggregates keep no one's id.
     */
    stats(siteId: number, period: Period) {
      const through = aggregatedThrough.get(siteId) as string | null;
      if (through === null || period.from > through) return { ...rawStats(siteId, period, TOP_ROWS), dropped: dropped.all(siteId, period.from, period.to) };
      const raw = period.to > through ? rawStats(siteId, { ...period, from: nextDay(through) }, ALL_ROWS) : null;
      const rolledUp = aggregated.all(siteId, period.from, period.to < through ? period.to : through) as AggregateRow[];
      const perDayRolledUp = aggregatedPerDay.all(siteId, period.from, period.to) as DayFigures[];
      const byDay = new Map([...perDayRolledUp, ...(raw?.pageviewsPerDay ?? [])].map((row) => [row.day, row]));
      const of = (dimension: string) => rolledUp.filter((row) => row.dimension === dimension);
      const total = of('total')[0] ?? { pageviews: 0, visitors: 0, sessions: 0, bounces: 0, durationMs: 0 };
      const rawTotals = raw?.totals ?? { visitors: 0, sessions: 0, bounceRate: 0, avgDurationSeconds: 0, pageviews: 0 };
      const sessions = rawTotals.sessions + total.sessions;
      const orNull = (value: string) => (value === '' ? null : value);
      const breakdown = <K extends string>(key: K, dimension: string, rows: readonly ({ sessions: number; visitors: number } & Record<K, string | null>)[]) =>
        mergeTop([...rows.map((row) => ({ key: row[key], sessions: row.sessions, visitors: row.visitors })), ...of(dimension).map((row) => ({ key: orNull(row.value), sessions: row.sessions, visitors: row.visitors }))]).map(
          ({ key: value, ...figures }) => ({ [key]: value, ...figures }) as Record<K, string | null> & { sessions: number; visitors: number },
        );
      return {
        totals: {
          visitors: rawTotals.visitors + total.visitors,
          sessions,
          bounceRate: sessions === 0 ? 0 : (rawTotals.bounceRate * rawTotals.sessions + total.bounces) / sessions,
          avgDurationSeconds: sessions === 0 ? 0 : (rawTotals.avgDurationSeconds * rawTotals.sessions + total.durationMs / 1000) / sessions,
          pageviews: rawTotals.pageviews + total.pageviews,
        },
        pageviewsPerDay: daysOf(period).map(({ day }) => {
          const figures = byDay.get(day);
          return { day, pageviews: figures?.pageviews ?? 0, visitors: figures?.visitors ?? 0 };
        }),
        topPages: mergeTop(
          [...(raw?.topPages ?? []).map((row) => ({ key: row.path, sessions: row.pageviews, visitors: row.visitors })), ...of('page').map((row) => ({ key: row.value, sessions: row.pageviews, visitors: row.visitors }))],
          'sessions',
        ).map(({ key, sessions: views, visitors }) => ({ path: key!, pageviews: views, visitors })),
        topReferrers: mergeTop([
          ...(raw?.topReferrers ?? []).map((row) => ({ key: JSON.stringify([row.source, row.medium]), sessions: row.sessions, visitors: row.visitors })),
          ...of('source').map((row) => ({ key: row.value, sessions: row.sessions, visitors: row.visitors })),
        ]).map(({ key, ...figures }) => {
          const [source, medium] = JSON.parse(key!) as [string, string];
          return { source, medium, ...figures };
        }),
        channels: breakdown('medium', 'channel', raw?.channels ?? []),
        countries: breakdown('country', 'country', raw?.countries ?? []),
        browsers: breakdown('browser', 'browser', raw?.browsers ?? []),
        devices: breakdown('deviceType', 'device', raw?.devices ?? []),
        dropped: dropped.all(siteId, period.from, period.to),
      };
    },

    dropped(siteId: number, period: Period) {
      return { dropped: dropped.all(siteId, period.from, period.to), perDay: droppedPerDay.all(siteId, period.from, period.to) };
    },

    visitors(siteId: number, period: Period, limit: number) {
      const [start, end] = bounds(period);
      return (recentVisitors.all(siteId, start, end, limit) as VisitorRow[]).map(visitorOut);
    },

    /** `timeZone` is the site's: a day of activity is a day there. */
    journey(siteId: number, visitorId: string, timeZone: string) {
      const visitor = oneVisitor.get(siteId, visitorId) as VisitorRow | undefined;
      if (!visitor) return null;
      const history = visitHistory.all(siteId, visitorId) as { startedAt: number; country: string | null; deviceType: string | null }[];
      const seen = <T>(values: (T | null)[]) => [...new Set(values.filter((v): v is T => v !== null))];
      const sessions = visitorSessions.all(siteId, visitorId) as SessionRow[];
      const ranges = visitorRanges.all(siteId, visitorId) as { personId: string; from: number; until: number }[];
      const events = sessionEvents.all(JSON.stringify(sessions.map((s) => s.id))) as EventRow[];
      const eventsBySession = new Map<number, EventRow[]>();
      for (const event of events) {
        const list = eventsBySession.get(event.sessionId);
        if (list) list.push(event);
        else eventsBySession.set(event.sessionId, [event]);
      }
      return {
        visitor: {
          ...visitorOut(visitor),
          daysActive: new Set(history.map((visit) => localDay(visit.startedAt, timeZone))).size,
          countries: seen(history.map((visit) => visit.country)),
          deviceTypes: seen(history.map((visit) => visit.deviceType)),
          // Whose history this is, part by part; the last part is who uses the device now.
          people: ranges.map((range) => ({ personId: range.personId, ...rangeOut(range) })),
          personId: ranges[ranges.length - 1]?.personId ?? null,
        },
        sessions: sessions.map((s) => sessionOut(s, eventsBySession.get(s.id) ?? [])),
      };
    },

    /**
     * One person's journey: the parts of each of their visitors' histories that are theirs (see
     * collector/store/people.ts), merged in time order, with one set of aggregates. Visits never
     * span two people (collector/sessions.ts); events are still cut to the person's range, which
     * costs nothing and keeps a journey right whatever order claims came in. Null when the site
     * knows nothing of the person (no identify call, no CRM row).
     */
    person(siteId: number, personId: string, timeZone: string) {
      const known = personRow.get(siteId, personId) as { firstIdentified: number; lastIdentified: number; traits: string } | undefined;
      const crm = crmRow.get(siteId, personId) as { traits: string; importedAt: number } | undefined;
      if (!known && !crm) return null;
      const ranges = personRanges.all(siteId, personId) as { visitorId: string; from: number; until: number }[];
      const inRange = (range: (typeof ranges)[number], ts: number) => ts >= range.from && ts < range.until;
      const history: (SessionRow & { visitorId: string; inRange: EventRow[] })[] = [];
      for (const range of ranges) {
        const sessions = rangeSessions.all(siteId, range.visitorId, range.from, range.until) as SessionRow[];
        const events = sessionEvents.all(JSON.stringify(sessions.map((s) => s.id))) as EventRow[];
        for (const session of sessions) {
          const own = events.filter((event) => event.sessionId === session.id && inRange(range, event.ts));
          if (own.length > 0) history.push({ ...session, visitorId: range.visitorId, inRange: own });
        }
      }
      history.sort((a, b) => a.started_at - b.started_at || a.id - b.id);
      const events = history.flatMap((s) => s.inRange);
      const first = history[0];
      const last = history[history.length - 1];
      const seen = <T>(values: (T | null)[]) => [...new Set(values.filter((v): v is T => v !== null))];
      return {
        person: {
          personId,
          firstIdentified: known ? iso(known.firstIdentified) : null,
          lastIdentified: known ? iso(known.lastIdentified) : null,
          traits: known ? (JSON.parse(known.traits) as Record<string, unknown>) : {},
          crm: crm ? { traits: JSON.parse(crm.traits) as Record<string, unknown>, importedAt: iso(crm.importedAt) } : null,
          visitors: ranges.map((range) => ({ visitorId: range.visitorId, ...rangeOut(range) })),
          firstSeen: first ? iso(first.inRange[0]!.ts) : null,
          // Visits of two devices can overlap, so the last visit to start need not hold the last event.
          lastSeen: events.length > 0 ? iso(events.reduce((latest, e) => Math.max(latest, e.ts), 0)) : null,
          sessions: history.length,
          pageviews: events.filter((e) => e.type === 'pageview').length,
          firstSource: first ? (first.source ?? '(direct)') : null,
          lastSource: last ? (last.source ?? '(direct)') : null,
          daysActive: new Set(events.map((e) => localDay(e.ts, timeZone))).size,
          countries: seen(history.map((s) => s.country)),
          deviceTypes: seen(history.map((s) => s.device_type)),
        },
        sessions: history.slice(-JOURNEY_SESSIONS).map((s) => ({ visitorId: s.visitorId, ...sessionOut(s, s.inRange) })),
      };
    },

    /** The people the site identified most recently. */
    people(siteId: number, limit: number) {
      return (recentPeople.all(siteId, limit) as { personId: string; firstIdentified: number; lastIdentified: number; visitors: number; traits: string }[]).map(
        (row) => ({ ...row, firstIdentified: iso(row.firstIdentified), lastIdentified: iso(row.lastIdentified), traits: JSON.parse(row.traits) as Record<string, unknown> }),
      );
    },
  };
}

/** Open ends of a person's range (before the visitor's first claim, after its last) are null. */
function rangeOut(range: { from: number; until: number }) {
  return {
    from: range.from === Number.MIN_SAFE_INTEGER ? null : iso(range.from),
    until: range.until === UNTIL_LATER_CLAIM ? null : iso(range.until),
  };
}

function sessionOut(s: SessionRow, events: readonly EventRow[]) {
  return {
    sessionId: s.id,
    startedAt: iso(s.started_at),
    endedAt: iso(s.last_seen_at),
    durationSeconds: (s.last_seen_at - s.started_at) / 1000,
    entryPath: s.entry_path,
    exitPath: s.exit_path,
    pageviews: s.pageviews,
    bounced: s.pageviews <= 1 && s.events === 0,
    source: s.source ?? '(direct)',
    medium: s.medium ?? 'direct',
    searchTerm: s.search_term,
    referrer: s.referrer,
    utm: { source: s.utm_source, medium: s.utm_medium, campaign: s.utm_campaign },
    place: { country: s.country, region: s.region, city: s.city },
    device: { browser: s.browser, os: s.os, deviceType: s.device_type },
    // Time the visit's pages were visible, as their engagement reports tell (pages without one add nothing).
    engagedSeconds: events.reduce((sum, e) => sum + (e.engagedMs ?? 0), 0) / 1000,
    events: events.map(({ sessionId: _, ts, props, engagedMs, scrollDepth, ...e }) => ({
      ...e,
      time: iso(ts),
      props: props ? (JSON.parse(props) as Record<string, unknown>) : {},
      ...(e.type === 'pageview' ? { engagedSeconds: engagedMs === null ? null : engagedMs / 1000, scrollDepth } : {}),
    })),
  };
}

interface SessionRow {
  id: number;
  started_at: number;
  last_seen_at: number;
  entry_path: string;
  exit_path: string;
  pageviews: number;
  events: number;
  medium: string | null;
  source: string | null;
  search_term: string | null;
  referrer: string | null;
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  browser: string | null;
  os: string | null;
  device_type: string | null;
}

interface EventRow {
  id: string;
  sessionId: number;
  ts: number;
  type: string;
  name: string | null;
  path: string;
  title: string | null;
  props: string | null;
  engagedMs: number | null;
  scrollDepth: number | null;
}

export type DashboardQueries = ReturnType<typeof createDashboardQueries>;
