import type { Db } from './store/database.ts';

export interface Site {
  id: number;
  domain: string;
  createdAt: number;
}

export interface SiteRegistry {
  /** The site's id, creating the site on first use in open mode; null when the site is not registered. */
  resolve(domain: string): number | null;
  find(domain: string): Site | null;
  list(): Site[];
  /** Open mode: sites are created by their first event. */
  readonly isOpen: boolean;
  /** Whether a browser page at this origin may read the collector's answers (CORS). */
  allowsOrigin(origin: string): boolean;
}

/**
 * Sites are either listed in the configuration (`WAYMARK_SITES`: only those are accepted)
 * or, when none are listed, created on their first event.
 */
export function createSiteRegistry(db: Db, { configured = [], now = Date.now }: { configured?: readonly string[]; now?: () => number } = {}): SiteRegistry {
  const open = configured.length === 0;
  const insert = db.prepare('INSERT INTO sites (domain, created_at) VALUES (?, ?) ON CONFLICT (domain) DO NOTHING');
  const byDomain = db.prepare('SELECT id, domain, created_at AS createdAt FROM sites WHERE domain = ?');
  const all = db.prepare('SELECT id, domain, created_at AS createdAt FROM sites ORDER BY domain');
  const ids = new Map<string, number>();

  for (const domain of configured) insert.run(domain, now());

  function find(domain: string): Site | null {
    return (byDomain.get(domain) as Site | undefined) ?? null;
  }

  return {
    isOpen: open,
    resolve(domain) {
      const cached = ids.get(domain);
      if (cached !== undefined) return cached;
      if (!open && !configured.includes(domain)) return null;
      if (open) insert.run(domain, now());
      const site = find(domain);
      if (!site) return null;
      ids.set(domain, site.id);
      return site.id;
    },
    find,
    list() {
      return all.all() as Site[];
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
