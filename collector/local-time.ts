/**
 * Days as a site's owner counts them: in the site's IANA time zone. Sessions end at local midnight
 * (collector/sessions.ts) and the dashboard's periods and per-day figures use the same days.
 */
import { LruCache } from '../enrich/lru.ts';

// Offsets from UTC, and the moments they change, fall on quarter hours in every zone in use, so a
// quarter hour has one local day: the formatter (microseconds a call) runs once per zone and quarter.
const QUARTER_HOUR_MS = 15 * 60 * 1000;
const DAY_MS = 86_400_000;
const dayFormatters = new Map<string, Intl.DateTimeFormat>();
const wallFormatters = new Map<string, Intl.DateTimeFormat>();
const days = new LruCache<string, string>(10_000);

function formatterOf(cache: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions) {
  let formatter = cache.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, ...options });
    cache.set(timeZone, formatter);
  }
  return formatter;
}

/** The calendar day (YYYY-MM-DD) of a moment in an IANA time zone. */
export function localDay(time: number, timeZone: string): string {
  const key = `${timeZone}\u0000${Math.floor(time / QUARTER_HOUR_MS)}`;
  let day = days.get(key);
  if (day === undefined) {
    // en-CA writes dates as YYYY-MM-DD.
    day = formatterOf(dayFormatters, timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(time);
    days.set(key, day);
  }
  return day;
}

/** How far the zone's wall clock is ahead of UTC at a moment, in ms. */
function offsetAt(time: number, timeZone: string): number {
  const parts = formatterOf(wallFormatters, timeZone, {
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(time);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wall - Math.floor(time / 1000) * 1000;
}

/**
 * The first moment of a local day. Where a zone skips midnight (a change of offset at 00:00), the
 * day starts at the first moment that exists, which the second pass finds.
 */
export function startOfLocalDay(day: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const first = utcMidnight - offsetAt(utcMidnight, timeZone);
  const second = utcMidnight - offsetAt(first, timeZone);
  return localDay(second, timeZone) === day ? second : first;
}

/** Every calendar day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const list: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) list.push(new Date(t).toISOString().slice(0, 10));
  return list;
}
