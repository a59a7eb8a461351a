// Reporting periods: inclusive ranges of days in the site's time zone, written YYYY-MM-DD like the API.

import { wallClock } from './wall-clock.ts';

export interface Period {
  from: string;
  to: string;
}

export interface Preset {
  id: 'today' | '7d' | '30d';
  label: string;
  days: number;
}

export const PRESETS: readonly Preset[] = [
  { id: 'today', label: 'Today', days: 1 },
  { id: '7d', label: '7 days', days: 7 },
  { id: '30d', label: '30 days', days: 30 },
];

export const DEFAULT_DAYS = 30;

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC day containing `now`. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** The day containing `now` in an IANA time zone: "today" is the site's today. */
export function dayIn(now: Date, timeZone = 'UTC'): string {
  const { year, month, day } = wallClock(now, timeZone);
  return `${year}-${month}-${day}`;
}

/** `day` moved by `delta` days. */
export function addDays(day: string, delta: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + delta * DAY_MS));
}

/** True for a real calendar day written YYYY-MM-DD (rejects 2026-02-30). */
export function isDay(value: string | null | undefined): value is string {
  if (!value || !DAY_PATTERN.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && utcDay(new Date(time)) === value;
}

/** The last `days` days, today (in `timeZone`) included. */
export function lastDays(days: number, now: Date, timeZone = 'UTC'): Period {
  const to = dayIn(now, timeZone);
  return { from: addDays(to, -(days - 1)), to };
}

/**
 * The period a link asks for, with the default (last 30 days) filling what is missing
 * or malformed; a reversed range is put back in order rather than refused.
 */
export function resolvePeriod(requested: { from?: string; to?: string }, now: Date, timeZone = 'UTC'): Period {
  const fallback = lastDays(DEFAULT_DAYS, now, timeZone);
  const to = isDay(requested.to) ? requested.to : fallback.to;
  const from = isDay(requested.from) ? requested.from : addDays(to, -(DEFAULT_DAYS - 1));
  return from <= to ? { from, to } : { from: to, to: from };
}

/** The preset that exactly matches `period` today, to highlight its button. */
export function matchingPreset(period: Period, now: Date, timeZone = 'UTC'): Preset | undefined {
  return PRESETS.find((preset) => {
    const candidate = lastDays(preset.days, now, timeZone);
    return candidate.from === period.from && candidate.to === period.to;
  });
}
