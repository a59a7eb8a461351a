import { localDay } from '../local-time.ts';
import { rollUpDays } from './daily-aggregates.ts';
import type { Db } from './database.ts';

const DAY_MS = 86_400_000;
/** Events deleted per transaction: small enough that a large first purge never holds the write lock for long. */
export const PURGE_CHUNK_EVENTS = 10_000;
/** Days rolled up per step (collector/store/daily-aggregates.ts): each reads one day's events twice. */
const ROLL_UP_DAYS_PER_STEP = 7;

/**
 * Rows removed by a purge, per table (`drops` counts rows, each a day's count for one reason;
 * `events` includes engagement reports, which are events about a pageview on the wire).
 */
export interface PurgeCounts {
  events: number;
  sessions: number;
  visitors: number;
  drops: number;
}

export const noPurge = (): PurgeCounts => ({ events: 0, sessions: 0, visitors: 0, drops: 0 });
export const purgedNothing = (counts: PurgeCounts) => counts.events + counts.sessions + counts.visitors + counts.drops === 0;

export function addPurgeCounts(total: PurgeCounts, step: PurgeCounts): PurgeCounts {
  return { events: total.events + step.events, sessions: total.sessions + step.sessions, visitors: total.visitors + step.visitors, drops: total.drops + step.drops };
}

/**
 * Deletes what has outlived its site's retention (`sites.retention_days`, else `defaultDays`; a site
 * with neither keeps everything), one bounded transaction per step. Each `next()` commits one step
 * and yields what it removed, so the writer thread can let group commits run between steps.
 *
 * A visit that started before the cut-off goes as a whole, with the few events of it that came after:
 * keeping its tail would leave events pointing at a deleted session, or a session whose start is
 * past retention. The result is what `waymark rebuild` would derive from the events that remain.
 *
 * After a step that removed sessions, a caller sharing this connection with ingest must forget the
 * deriver's hot sessions, or the next event could extend a deleted session.
 */
export function* purgeSteps(db: Db, now: number, defaultDays: number | null, { chunkEvents = PURGE_CHUNK_EVENTS } = {}): Generator<PurgeCounts, void> {
  // A zero or negative site setting is not "keep nothing": it is ignored, like a missing one.
  const sites = db
    .prepare('SELECT id, time_zone AS timeZone, coalesce(CASE WHEN retention_days > 0 THEN retention_days END, ?) AS days FROM sites ORDER BY id')
    .all(defaultDays) as { id: number; timeZone: string; days: number | null }[];
  const purge = preparePurge(db, chunkEvents);

  for (const site of sites) {
    if (site.days === null) continue;
    const cutoff = now - site.days * DAY_MS;
    // The day the cut-off falls in is whole (visits end at midnight): rolled up with the days before it,
    // a few per step, before any of their raw events go.
    while (rollUpDays(db, site, localDay(cutoff, site.timeZone), { maxDays: ROLL_UP_DAYS_PER_STEP }) > 0) yield noPurge();
    for (let step = purge.visits(site.id, cutoff); !purgedNothing(step); step = purge.visits(site.id, cutoff)) yield step;
    for (let step = purge.strayEvents(site.id, cutoff); !purgedNothing(step); step = purge.strayEvents(site.id, cutoff)) yield step;
    for (let step = purge.engagements(site.id, cutoff); !purgedNothing(step); step = purge.engagements(site.id, cutoff)) yield step;
    // Drop counts are kept per day of the site's time zone (collector/ingest.ts).
    const drops = purge.drops(site.id, localDay(cutoff, site.timeZone));
    if (!purgedNothing(drops)) yield drops;
  }
}

/** Runs every step of `purgeSteps` at once: for `waymark purge` and tests, where nothing else writes. */
export function purgeExpired(db: Db, now: number, defaultDays: number | null, options: { chunkEvents?: number } = {}): PurgeCounts {
  let total = noPurge();
  for (const step of purgeSteps(db, now, defaultDays, options)) total = addPurgeCounts(total, step);
  return total;
}

function preparePurge(db: Db, chunkEvents: number) {
  const oldSessions = db.prepare(
    'SELECT id, visitor_id AS visitorId, pageviews + events AS size FROM sessions WHERE site_id = ? AND started_at < ? ORDER BY started_at LIMIT ?',
  );
  const deleteSessionEvents = db.prepare('DELETE FROM events WHERE session_id = ?');
  const deleteSession = db.prepare('DELETE FROM sessions WHERE id = ?');
  const remainingVisits = db.prepare('SELECT count(*) AS sessions, min(started_at) AS firstSeenAt FROM sessions WHERE site_id = ? AND visitor_id = ?');
  const firstSource = db.prepare('SELECT source FROM sessions WHERE site_id = ? AND visitor_id = ? ORDER BY started_at LIMIT 1').pluck();
  const deleteVisitor = db.prepare('DELETE FROM visitors WHERE site_id = ? AND visitor_id = ?');
  const updateVisitor = db.prepare('UPDATE visitors SET sessions = ?, first_seen_at = ?, first_source = ? WHERE site_id = ? AND visitor_id = ?');
  // Events without a session exist only inside a rebuild's transaction; this is a safety net, served by events (site_id, ts).
  const deleteStrayEvents = db.prepare('DELETE FROM events WHERE id IN (SELECT id FROM events WHERE site_id = ? AND ts < ? LIMIT ?)');
  const deleteDrops = db.prepare('DELETE FROM drops WHERE site_id = ? AND day < ?');

  const deleteEngagements = db.prepare(`
    DELETE FROM engagements WHERE (site_id, pageview_id) IN (SELECT site_id, pageview_id FROM engagements WHERE site_id = ? AND ts < ? LIMIT ?)`);

  const visits = db.transaction((siteId: number, cutoff: number): PurgeCounts => {
    const counts = noPurge();
    const candidates = oldSessions.all(siteId, cutoff, chunkEvents) as { id: number; visitorId: string; size: number }[];
    const visitors = new Set<string>();
    for (const session of candidates) {
      // Whole visits, up to the chunk's budget of events (at least one visit, however long).
      if (counts.sessions > 0 && counts.events + session.size > chunkEvents) break;
      counts.events += deleteSessionEvents.run(session.id).changes;
      counts.sessions += deleteSession.run(session.id).changes;
      visitors.add(session.visitorId);
    }
    // A visitor who keeps recent visits stays, described by them alone, as a rebuild would describe it.
    for (const visitorId of visitors) {
      const left = remainingVisits.get(siteId, visitorId) as { sessions: number; firstSeenAt: number | null };
      if (left.sessions === 0) counts.visitors += deleteVisitor.run(siteId, visitorId).changes;
      else updateVisitor.run(left.sessions, left.firstSeenAt, firstSource.get(siteId, visitorId) ?? null, siteId, visitorId);
    }
    return counts;
  });

  return {
    visits,
    strayEvents: (siteId: number, cutoff: number): PurgeCounts => ({ ...noPurge(), events: deleteStrayEvents.run(siteId, cutoff, chunkEvents).changes }),
    engagements: (siteId: number, cutoff: number): PurgeCounts => ({ ...noPurge(), events: deleteEngagements.run(siteId, cutoff, chunkEvents).changes }),
    // Only days wholly before the cut-off: a few rows per day (one per reason), so one statement.
    drops: (siteId: number, cutoffDay: string): PurgeCounts => ({ ...noPurge(), drops: deleteDrops.run(siteId, cutoffDay).changes }),
  };
}
