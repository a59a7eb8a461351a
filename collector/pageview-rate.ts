import { LruCache } from '../enrich/lru.ts';

/** More pageviews than this from one visitor within one second is not a person reading pages. */
export const MAX_PAGEVIEWS_PER_SECOND = 10;

/**
 * Spots impossible timing: a visitor id that sends pageviews faster than anyone can read them is a
 * script, whatever its user agent says. Counts pageviews per visitor in one-second windows, for a
 * bounded number of recent visitors (a flood of new ids only evicts old counters).
 */
export function createPageviewRate({ maxPerSecond = MAX_PAGEVIEWS_PER_SECOND, visitors = 50_000 }: { maxPerSecond?: number; visitors?: number } = {}) {
  const windows = new LruCache<string, { second: number; count: number }>(visitors);
  /** Records one pageview; true when it is over the limit and should be dropped. */
  return function tooFast(siteId: number, visitorId: string, time: number): boolean {
    const key = `${siteId}\u0000${visitorId}`;
    const second = Math.floor(time / 1000);
    const window = windows.get(key);
    if (!window || window.second !== second) {
      windows.set(key, { second, count: 1 });
      return false;
    }
    window.count++;
    return window.count > maxPerSecond;
  };
}
