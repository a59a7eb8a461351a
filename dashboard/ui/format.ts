// Pure formatters for what the dashboard shows. Each returns plain text: callers put
// it in the page with textContent, never as markup.
//
// Locale is fixed to English so numbers read the same in every screenshot and test.
// Times are shown in the site's time zone, where the API counts its days, so a day in
// the chart and the times under it always agree; the page names the zone once.

import { wallClock } from './wall-clock.ts';

const MISSING = '—';

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimalFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });
const compactFormat = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
// Days arrive as dates of the site's zone already (YYYY-MM-DD): read at UTC midnight, they stay those dates.
const dayFormat = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** 83.2 → "1m 23s"; 45 → "45s"; 3725 → "1h 2m". Rounds to the second first. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return MISSING;
  const total = Math.round(seconds);
  if (total < 60) return `${total}s`;
  if (total < 3600) return `${Math.floor(total / 60)}m ${total % 60}s`;
  return `${Math.floor(total / 3600)}h ${Math.floor((total % 3600) / 60)}m`;
}

/** 0.4 → "40%"; 0.1234 → "12.3%": one decimal, dropped when it is zero. */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio == null || !Number.isFinite(ratio)) return MISSING;
  const percent = Math.round(ratio * 1000) / 10;
  return `${Number.isInteger(percent) ? percent : percent.toFixed(1)}%`;
}

/** 12345 → "12,345". */
export function formatNumber(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return MISSING;
  return integerFormat.format(n);
}

/**
 * Interest is engaged minutes weighted by how much each page is about a theme: 12.345 → "12.3",
 * 1234.5 → "1,235" (a decimal only where it still tells something), 0.04 → "<0.1".
 */
export function formatInterest(n: number | null | undefined): string {
  if (n == null || !Number.isFinite(n)) return MISSING;
  if (n > 0 && n < 0.05) return '<0.1';
  return n >= 100 ? integerFormat.format(n) : oneDecimalFormat.format(n);
}

/** A theme score (0 to 1, usually well under 0.3) to three decimals: 0.08234 → "0.082". */
export function formatScore(score: number | null | undefined): string {
  if (score == null || !Number.isFinite(score)) return MISSING;
  return score.toFixed(3);
}

/** 1234 → "1.2K": for chart axis labels, where space is short. */
export function formatCompact(n: number): string {
  if (!Number.isFinite(n)) return MISSING;
  return compactFormat.format(n);
}

let regionNames: Intl.DisplayNames | undefined;

/** "FR" → "France"; null → "Unknown"; a code the browser does not know stays as given. */
export function formatCountry(code: string | null | undefined): string {
  if (!code) return 'Unknown';
  try {
    regionNames ??= new Intl.DisplayNames(['en'], { type: 'region' });
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    // DisplayNames throws RangeError for anything that is not a well-formed region code;
    // the raw value is still worth showing (as text).
    return code;
  }
}

function parseTime(iso: string): Date | undefined {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** "2026-11-22T14:03:27.120Z" in Europe/Paris → "2026-11-22 15:03". Unparseable input is returned as is. */
export function formatDateTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return MISSING;
  const date = parseTime(iso);
  if (!date) return iso;
  const { year, month, day, hour, minute } = wallClock(date, timeZone);
  return `${year}-${month}-${day} ${hour}:${minute}`;
}

/** "2026-11-22T14:03:27.120Z" in Europe/Paris → "15:03:27". */
export function formatTime(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return MISSING;
  const date = parseTime(iso);
  if (!date) return iso;
  const { hour, minute, second } = wallClock(date, timeZone);
  return `${hour}:${minute}:${second}`;
}

/** "2026-11-01" → "Nov 1": chart axis labels. */
export function formatDay(day: string): string {
  const date = parseTime(`${day}T00:00:00Z`);
  return date ? dayFormat.format(date) : day;
}

/** Custom event properties as `key=value` strings, in the order sent. */
export function formatProps(props: Record<string, unknown> | null | undefined): string[] {
  if (!props) return [];
  return Object.entries(props).map(([key, value]) => `${key}=${formatPropValue(value)}`);
}

function formatPropValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  // Properties are flat scalars on the wire; anything else is shown rather than hidden.
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Parts that are present, most precise first: "Paris, Île-de-France, France". */
export function formatPlace(place: { city?: string | null; region?: string | null; country?: string | null }): string {
  const parts = [place.city, place.region, place.country ? formatCountry(place.country) : null].filter(isPresent);
  return parts.length > 0 ? parts.join(', ') : 'Unknown';
}

/** "Firefox on Linux · desktop". */
export function formatDevice(device: { browser?: string | null; os?: string | null; deviceType?: string | null }): string {
  const software = [device.browser, device.os].filter(isPresent).join(' on ');
  const parts = [software, device.deviceType].filter(isPresent);
  return parts.length > 0 ? parts.join(' · ') : 'Unknown';
}

/** A referrer source; no source means the visitor typed the address or used a bookmark. */
export function formatSource(source: string | null | undefined): string {
  return source ? source : '(direct)';
}

function isPresent(value: string | null | undefined): value is string {
  return value != null && value !== '';
}
