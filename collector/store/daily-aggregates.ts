import { localDay, startOfLocalDay } from '../local-time.ts';
import type { Db } from './database.ts';

/** The dimensions of `daily_aggregates`, each read from a column of the raw tables. */
const SESSION_DIMENSIONS = [
  { dimension: 'source', value: `json_array(coalesce(source, '(direct)'), coalesce(medium, 'direct'))` },
  { dimension: 'channel', value: `coalesce(medium, 'direct')` },
  { dimension: 'country', value: `coalesce(country, '')` },
  { dimension: 'browser', value: `coalesce(browser, '')` },
  { dimension: 'device', value: `coalesce(device_type, '')` },
] as const;

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/**
 * Rolls a site's days up into `daily_aggregates`, before retention deletes their raw events: each day
 * through `throughDay` (in the site's time zone) not rolled up yet, one transaction per day. A day is
 * whole when its turn comes: visits end at local midnight, and retention has not reached it yet.
 * Returns how many days it rolled up.
 */
export function rollUpDays(db: Db, site: { id: number; timeZone: string }, throughDay: string, { maxDays = Infinity } = {}): number {
  const state = db.prepare('SELECT aggregated_through AS through, keep_daily_aggregates AS keep FROM sites WHERE id = ?').get(site.id) as
    | { through: string | null; keep: number }
    | undefined;
  if (!state || !state.keep) return 0;
  const firstVisit = db.prepare('SELECT min(started_at) FROM sessions WHERE site_id = ?').pluck().get(site.id) as number | null;
  const firstEvent = db.prepare('SELECT min(ts) FROM events WHERE site_id = ?').pluck().get(site.id) as number | null;
  const earliest = Math.min(firstVisit ?? Infinity, firstEvent ?? Infinity);
  let day = state.through ? nextDay(state.through) : Number.isFinite(earliest) ? localDay(earliest, site.timeZone) : null;
  if (day === null || day > throughDay) return 0;

  const insert = (sql: string) => db.prepare(`INSERT OR REPLACE INTO daily_aggregates (site_id, day, dimension, value, pageviews, visitors, sessions, bounces, duration_ms) ${sql}`);
  const total = insert(`
    SELECT @siteId, @day, 'total', '',
      (SELECT count(*) FROM events WHERE site_id = @siteId AND ts >= @start AND ts < @end AND type = 'pageview'),
      count(DISTINCT visitor_id), count(*), coalesce(sum(pageviews <= 1 AND events = 0), 0), coalesce(sum(last_seen_at - started_at), 0)
    FROM sessions WHERE site_id = @siteId AND started_at >= @start AND started_at < @end`);
  const pages = insert(`
    SELECT @siteId, @day, 'page', path, count(*), count(DISTINCT visitor_id), 0, 0, 0
    FROM events WHERE site_id = @siteId AND ts >= @start AND ts < @end AND type = 'pageview' GROUP BY path`);
  const sessionDimensions = SESSION_DIMENSIONS.map(({ dimension, value }) =>
    insert(`
      SELECT @siteId, @day, '${dimension}', ${value}, sum(pageviews), count(DISTINCT visitor_id), count(*),
        coalesce(sum(pageviews <= 1 AND events = 0), 0), coalesce(sum(last_seen_at - started_at), 0)
      FROM sessions WHERE site_id = @siteId AND started_at >= @start AND started_at < @end GROUP BY 4`),
  );
  const markThrough = db.prepare('UPDATE sites SET aggregated_through = ? WHERE id = ?');

  let days = 0;
  for (; day <= throughDay && days < maxDays; day = nextDay(day)) {
    const bounds = { siteId: site.id, day, start: startOfLocalDay(day, site.timeZone), end: startOfLocalDay(nextDay(day), site.timeZone) };
    db.transaction(() => {
      total.run(bounds);
      pages.run(bounds);
      for (const statement of sessionDimensions) statement.run(bounds);
      markThrough.run(day, site.id);
    })();
    days++;
  }
  return days;
}
