import type { Db } from './store/database.ts';

export interface SiteSettings {
  /** IANA time zone: visits end at midnight there, as the site's owner counts days. */
  timeZone: string;
  /** Minutes without an event that end a visit; null means the collector's default. */
  sessionTimeoutMinutes: number | null;
  /** Days raw events are kept; null means the collector's default (WAYMARK_RETENTION_DAYS). */
  retentionDays: number | null;
  /** The site routes by fragment (`/#/pricing`): each route is a page. */
  hashRouting: boolean;
  /** Query keys kept in page URLs besides the campaign keys. */
  queryKeys: string[];
  /** Visitors are followed only after `waymark('consent', true)`; until then they are counted anonymously. */
  requireConsent: boolean;
  /** Days past retention leave their anonymous daily figures behind (collector/store/daily-aggregates.ts). */
  keepDailyAggregates: boolean;
  /** Lifetime interest in a theme halves every this many days (dashboard/theme-queries.ts). */
  interestHalfLifeDays: number;
}

export interface Site extends SiteSettings {
  id: number;
  domain: string;
  createdAt: number;
}

export interface SiteRegistry {
  /** The site, created on first use in open mode; null when it is not registered. */
  resolve(domain: string): Site | null;
  /** The site if it exists; never creates one. */
  find(domain: string): Site | null;
  list(): Site[];
  /** Changes a site's settings; the next event of the site follows them. */
  update(domain: string, settings: Partial<SiteSettings>): Site | null;
  /** Open mode: sites are created by their first event. */
  readonly isOpen: boolean;
  /** Whether a browser page at this origin may read the collector's answers (CORS). */
  allowsOrigin(origin: string): boolean;
}

const COLUMNS = `id, domain, created_at AS createdAt, time_zone AS timeZone,
  session_timeout_minutes AS sessionTimeoutMinutes, retention_days AS retentionDays,
  hash_routing AS hashRouting, query_keys AS queryKeys, require_consent AS requireConsent, keep_daily_aggregates AS keepDailyAggregates, interest_half_life_days AS interestHalfLifeDays`;

type SiteRow = Omit<Site, 'hashRouting' | 'queryKeys' | 'requireConsent' | 'keepDailyAggregates'> & {
  hashRouting: number;
  queryKeys: string;
  requireConsent: number;
  keepDailyAggregates: number;
};
const siteOfRow = (row: SiteRow): Site => ({
  ...row,
  hashRouting: row.hashRouting === 1,
  queryKeys: JSON.parse(row.queryKeys) as string[],
  requireConsent: row.requireConsent === 1,
  keepDailyAggregates: row.keepDailyAggregates === 1,
});

/** Whether the runtime knows this IANA time zone. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * Sites are either listed in the configuration (`WAYMARK_SITES`: only those are accepted)
 * or, when none are listed, created on their first event.
 */
export function createSiteRegistry(db: Db, { configured = [], now = Date.now }: { configured?: readonly string[]; now?: () => number } = {}): SiteRegistry {
  const open = configured.length === 0;
  const insert = db.prepare('INSERT INTO sites (domain, created_at) VALUES (?, ?) ON CONFLICT (domain) DO NOTHING');
  const byDomain = db.prepare(`SELECT ${COLUMNS} FROM sites WHERE domain = ?`);
  const all = db.prepare(`SELECT ${COLUMNS} FROM sites ORDER BY domain`);
  const updateSettings = db.prepare(`
    UPDATE sites SET time_zone = @timeZone, session_timeout_minutes = @sessionTimeoutMinutes, retention_days = @retentionDays,
      hash_routing = @hashRouting, query_keys = @queryKeys, require_consent = @requireConsent,
      keep_daily_aggregates = @keepDailyAggregates, interest_half_life_days = @interestHalfLifeDays
    WHERE domain = @domain`);
  // Ingest asks for every event; the file is read once per site.
  const cache = new Map<string, Site>();

  for (const domain of configured) insert.run(domain, now());

  function find(domain: string): Site | null {
    const cached = cache.get(domain);
    if (cached) return cached;
    const row = byDomain.get(domain) as SiteRow | undefined;
    if (!row) return null;
    const site = siteOfRow(row);
    cache.set(domain, site);
    return site;
  }

  return {
    isOpen: open,
    resolve(domain) {
      // A site created in open mode earlier stays refused once the configuration lists sites.
      if (!open && !configured.includes(domain)) return null;
      const known = find(domain);
      if (known || !open) return known;
      insert.run(domain, now());
      return find(domain);
    },
    find,
    list() {
      return (all.all() as SiteRow[]).map(siteOfRow);
    },
    update(domain, settings) {
      const site = find(domain);
      if (!site) return null;
      const next = { ...site, ...settings };
      updateSettings.run({
        ...next,
        hashRouting: next.hashRouting ? 1 : 0,
        queryKeys: JSON.stringify(next.queryKeys),
        requireConsent: next.requireConsent ? 1 : 0,
        keepDailyAggregates: next.keepDailyAggregates ? 1 : 0,
        domain,
      });
      cache.delete(domain);
      return find(domain);
    },
    allowsOrigin(origin) {
      // In open mode any page may become a site with its first event, so any origin may send.
      if (open) return true;
      let host: string;
      try {
        host = new URL(origin).hostname.toLowerCase();
      } catch {
        return false;
      }
      return configured.some((domain) => host === domain || host.endsWith(`.${domain}`));
    },
  };
}
