import { LruCache } from '../../enrich/lru.ts';
import { campaignKey, continuesSession, type OpenSession } from '../sessions.ts';
import { personAtIn, type PersonRange, personRangesReader } from './people.ts';
import type { Db } from './database.ts';

/** The columns of an event that its session and visitor rows are derived from. */
export interface SessionFacts {
  siteId: number;
  visitorId: string;
  time: number;
  path: string;
  isPageview: 0 | 1;
  referrer: string | null;
  medium: string | null;
  source: string | null;
  searchTerm: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  clickId: string | null;
  country: string | null;
  region: string | null;
  city: string | null;
  browser: string | null;
  os: string | null;
  deviceType: string | null;
  /** The site's rules (collector/sites.ts), carried by each event so ingest and rebuild apply the same. */
  siteTimeZone: string;
  sessionTimeoutMs: number;
}

/** The columns of `events` that make its SessionFacts (the site's rules come from `sites`). */
export const SESSION_FACT_COLUMNS = `site_id AS siteId, visitor_id AS visitorId, ts AS time, path, type = 'pageview' AS isPageview,
  referrer, medium, source, search_term AS searchTerm, utm_source AS utmSource, utm_medium AS utmMedium,
  utm_campaign AS utmCampaign, click_id AS clickId, country, region, city, browser, os, device_type AS deviceType`;

/** What `derive` answers for an event earlier than its visitor's latest: store it, then `rederive`. */
export const LATE = 'late';

export interface SessionDeriverOptions {
  /** Visitors whose open session is kept in memory; a miss costs one indexed read. */
  hotVisitors?: number;
}

/**
 * Keeps `sessions` and `visitors` current, one event at a time (a visitor row changes only when a
 * visit starts): the same code runs at ingest and in `waymark rebuild`, so both give the same rows.
 * Must run inside a transaction; after a rolled-back one call `forget`, since the in-memory sessions
 * may no longer match the file.
 *
 * Events are cut into visits in time order. One that arrives after a later one of its visitor (a late
 * beacon, a replayed offline queue) makes the visitor's visits from the one it falls in onwards be
 * cut again from the raw events, so ingest in any order gives what time order (and rebuild) gives.
 */
export function createSessionDeriver(db: Db, { hotVisitors = 100_000 }: SessionDeriverOptions = {}) {
  let hot = new LruCache<string, OpenSession>(hotVisitors);
  // Whose each part of a visitor's history is: most visitors, nobody's. Changed only by identify
  // calls, after which `forgetPerson` is called.
  let people = new LruCache<string, PersonRange[]>(hotVisitors);
  const personRanges = personRangesReader(db);
  function rangesOf(key: string, siteId: number, visitorId: string): PersonRange[] {
    let ranges = people.get(key);
    if (!ranges) {
      ranges = personRanges(siteId, visitorId);
      people.set(key, ranges);
    }
    return ranges;
  }

  const latestSession = db.prepare(`
    SELECT id, started_at AS startedAt, last_seen_at AS lastSeenAt, utm_source AS utmSource, utm_medium AS utmMedium,
      utm_campaign AS utmCampaign, click_id AS clickId
    FROM sessions WHERE site_id = ? AND visitor_id = ? ORDER BY started_at DESC LIMIT 1`);
  const insertSession = db.prepare(`
    INSERT INTO sessions (site_id, visitor_id, started_at, last_seen_at, entry_path, exit_path, pageviews, events,
      referrer, medium, source, search_term, utm_source, utm_medium, utm_campaign, click_id, country, region, city, browser, os, device_type)
    VALUES (@siteId, @visitorId, @time, @time, @path, @path, @isPageview, 1 - @isPageview,
      @referrer, @medium, @source, @searchTerm, @utmSource, @utmMedium, @utmCampaign, @clickId, @country, @region, @city, @browser, @os, @deviceType)`);
  // A late event (earlier than the session's last) must not move the exit page backwards.
  const extendSession = db.prepare(`
    UPDATE sessions SET
      exit_path = CASE WHEN @isPageview AND @time >= last_seen_at THEN @path ELSE exit_path END,
      entry_path = CASE WHEN @isPageview AND @time < started_at THEN @path ELSE entry_path END,
      started_at = min(started_at, @time),
      last_seen_at = max(last_seen_at, @time),
      pageviews = pageviews + @isPageview,
      events = events + (1 - @isPageview)
    WHERE id = @id`);
  const sessionAtOrBefore = db.prepare(`
    SELECT started_at FROM sessions WHERE site_id = ? AND visitor_id = ? AND started_at <= ? ORDER BY started_at DESC, id DESC LIMIT 1`).pluck();
  // The visitor's events from a moment on: those of its sessions since then, and the late one (stored without a session yet).
  const eventsToRederive = db.prepare(`
    SELECT id, ${SESSION_FACT_COLUMNS} FROM events
    WHERE session_id IN (SELECT id FROM sessions WHERE site_id = @siteId AND visitor_id = @visitorId AND started_at >= @from)
      OR (session_id IS NULL AND site_id = @siteId AND visitor_id = @visitorId)
    ORDER BY ts, id`);
  const deleteSessionsFrom = db.prepare('DELETE FROM sessions WHERE site_id = ? AND visitor_id = ? AND started_at >= ?');
  const setSession = db.prepare('UPDATE events SET session_id = ? WHERE id = ?');
  // As counted visit by visit in time order: the first source is the earliest visit's.
  const recountVisitor = db.prepare(`
    INSERT OR REPLACE INTO visitors (site_id, visitor_id, first_seen_at, last_visit_at, first_source, sessions)
    SELECT site_id, visitor_id, min(started_at), max(started_at),
      (SELECT source FROM sessions WHERE site_id = @siteId AND visitor_id = @visitorId ORDER BY started_at, id LIMIT 1), count(*)
    FROM sessions WHERE site_id = @siteId AND visitor_id = @visitorId GROUP BY site_id, visitor_id`);
  const deleteVisitor = db.prepare('DELETE FROM visitors WHERE site_id = ? AND visitor_id = ?');
  const countVisit = db.prepare(`
    INSERT INTO visitors (site_id, visitor_id, first_seen_at, last_visit_at, first_source, sessions)
    VALUES (@siteId, @visitorId, @time, @time, @source, 1)
    ON CONFLICT (site_id, visitor_id) DO UPDATE SET
      first_seen_at = min(first_seen_at, excluded.first_seen_at),
      last_visit_at = max(last_visit_at, excluded.last_visit_at),
      sessions = sessions + 1`);

  function openSessionOf(key: string, facts: SessionFacts): OpenSession | undefined {
    let open = hot.get(key);
    if (!open) {
      const row = latestSession.get(facts.siteId, facts.visitorId) as
        | (Omit<OpenSession, 'campaignKey'> & Parameters<typeof campaignKey>[0])
        | undefined;
      if (row) {
        open = { id: row.id, startedAt: row.startedAt, lastSeenAt: row.lastSeenAt, campaignKey: campaignKey(row) };
        hot.set(key, open);
      }
    }
    return open;
  }

  function derive(facts: SessionFacts): number | typeof LATE {
    const key = `${facts.siteId}\u0000${facts.visitorId}`;
    const open = openSessionOf(key, facts);
    if (open && facts.time < open.lastSeenAt) return LATE;
    const event = { time: facts.time, campaignKey: campaignKey(facts) };
    const ranges = rangesOf(key, facts.siteId, facts.visitorId);
    const personAt = ranges.length === 0 ? undefined : (time: number) => personAtIn(ranges, time);
    if (continuesSession(open, event, { timeoutMs: facts.sessionTimeoutMs, timeZone: facts.siteTimeZone }, personAt)) {
      extendSession.run({ id: open.id, time: facts.time, path: facts.path, isPageview: facts.isPageview });
      open.startedAt = Math.min(open.startedAt, facts.time);
      open.lastSeenAt = Math.max(open.lastSeenAt, facts.time);
      return open.id;
    }
    const sessionId = Number(insertSession.run(facts).lastInsertRowid);
    hot.set(key, { id: sessionId, startedAt: facts.time, lastSeenAt: facts.time, campaignKey: event.campaignKey });
    countVisit.run(facts);
    return sessionId;
  }

  /**
   * Cuts the visitor's visits again from the one that holds `from` onwards (all of them without
   * one), from its raw events, including any stored without a session; `rules` are the site's.
   * Visits before that one cannot change: time order had decided them before `from`. Returns the
   * moment from which visits were cut again (their rows are new: their interest is to be counted again).
   */
  function rederive(siteId: number, visitorId: string, from: number, rules: Pick<SessionFacts, 'siteTimeZone' | 'sessionTimeoutMs'>): number {
    const start = (sessionAtOrBefore.get(siteId, visitorId, from) as number | undefined) ?? Number.MIN_SAFE_INTEGER;
    const events = eventsToRederive.all({ siteId, visitorId, from: start }) as (Omit<SessionFacts, keyof typeof rules> & { id: number })[];
    deleteSessionsFrom.run(siteId, visitorId, start);
    hot.delete(`${siteId}\u0000${visitorId}`);
    const { siteTimeZone, sessionTimeoutMs } = rules;
    for (const event of events) {
      const sessionId = derive({ ...event, siteTimeZone, sessionTimeoutMs });
      if (sessionId === LATE) throw new Error('events to re-derive came out of time order');
      setSession.run(sessionId, event.id);
    }
    if (recountVisitor.run({ siteId, visitorId }).changes === 0) deleteVisitor.run(siteId, visitorId);
    return start;
  }

  return {
    /**
     * Attaches the event to its visitor's open session or starts one; returns the session id, or
     * LATE when the visitor has a later event already (then store the event and call `rederive`).
     */
    derive,
    rederive,
    /** The visitor's person ranges changed (an identify call): read them again. */
    forgetPerson(siteId: number, visitorId: string) {
      people.delete(`${siteId}\u0000${visitorId}`);
    },
    forget() {
      hot = new LruCache<string, OpenSession>(hotVisitors);
      people = new LruCache<string, PersonRange[]>(hotVisitors);
    },
  };
}

export type SessionDeriver = ReturnType<typeof createSessionDeriver>;
