import { LruCache } from '../../enrich/lru.ts';
import type { EnrichedEvent } from '../enriched-event.ts';
import type { Db } from './database.ts';

/** What a pageview says its page is about: the text its themes are scored on. */
export type PageTextFields = Pick<EnrichedEvent, 'siteId' | 'path' | 'url' | 'time' | 'title' | 'description' | 'keywords' | 'ogTitle' | 'ogDescription' | 'pageLang'>;

/** The stored form: one JSON text, so "did it change" is one comparison. */
export function pageText(fields: Omit<PageTextFields, 'siteId' | 'path' | 'url' | 'time' | 'pageLang'>): string | null {
  const { title, description, keywords, ogTitle, ogDescription } = fields;
  if (!title && !description && !keywords && !ogTitle && !ogDescription) return null;
  return JSON.stringify({ title, description, keywords, ogTitle, ogDescription });
}

/**
 * Keeps one text per page (site, normalised path), the latest a pageview sent. Most pageviews repeat
 * the text already stored: a cache of recent pages answers those without touching the file.
 */
export function createPageTexts(db: Db) {
  const upsert = db.prepare(`
    INSERT INTO page_texts (site_id, path, url, text, lang, updated_at) VALUES (@siteId, @path, @url, @text, @pageLang, @time)
    ON CONFLICT (site_id, path) DO UPDATE SET text = excluded.text, url = excluded.url, lang = excluded.lang, updated_at = excluded.updated_at
    WHERE text IS NOT excluded.text OR lang IS NOT excluded.lang`);
  let recent = new LruCache<string, string>(20_000);

  return {
    /** Stores the pageview's text when it differs from its page's; true when it did (the page is to be scored again). */
    record(fields: PageTextFields): boolean {
      const text = pageText(fields);
      if (text === null) return false;
      const key = `${fields.siteId}\u0000${fields.path}`;
      const known = `${fields.pageLang ?? ''}\u0000${text}`;
      if (recent.get(key) === known) return false;
      recent.set(key, known);
      return upsert.run({ ...fields, text }).changes > 0;
    },
    forget() {
      recent = new LruCache(20_000);
    },
  };
}
