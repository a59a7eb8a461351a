import { Hono } from 'hono';
import { CrmHeaderError, CrmImportStopped, importCrm } from './crm-import.ts';
import { siteDomain } from './event-schema.ts';
import type { SiteRegistry } from './sites.ts';
import type { EventWriter } from './writer.ts';

/** About half a million rows of a typical export; `waymark import-crm` reads a file of any size. */
export const MAX_CRM_BODY_BYTES = 50 * 1024 * 1024;

export interface CrmRoutesDeps {
  sites: Pick<SiteRegistry, 'find'>;
  writer: Pick<EventWriter, 'importCrm'>;
  now: () => number;
  log: (line: string) => void;
}

class BodyTooLargeError extends Error {}

/** The body's chunks, failing once more than `maxBytes` have come: a chunked body declares no length. */
async function* limited(body: ReadableStream<Uint8Array>, maxBytes: number) {
  let total = 0;
  const reader = body.getReader();
  try {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      total += chunk.value.byteLength;
      if (total > maxBytes) throw new BodyTooLargeError();
      yield chunk.value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * `POST /api/sites/:site/crm`: imports a CRM export (CSV, see collector/crm-import.ts) as it streams
 * in, batch by batch through the writer thread. Mounted behind the admin token (collector/app.ts).
 */
export function crmRoutes({ sites, writer, now, log }: CrmRoutesDeps) {
  const app = new Hono();

  app.post('/api/sites/:site/crm', async (c) => {
    const domain = c.req.param('site');
    const site = siteDomain.safeParse(domain).success ? sites.find(domain) : null;
    if (!site) return c.json({ error: `unknown site "${domain}"` }, 404);
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'text/csv' && type !== 'text/plain') return c.json({ error: `content type must be text/csv or text/plain, not "${type || 'none'}"` }, 415);
    const tooLarge = `body larger than ${MAX_CRM_BODY_BYTES} bytes: use waymark import-crm for larger files`;
    if (Number(c.req.header('content-length')) > MAX_CRM_BODY_BYTES) return c.json({ error: tooLarge }, 413);

    const importedAt = now();
    try {
      const summary = await importCrm(limited(c.req.raw.body ?? new Blob().stream(), MAX_CRM_BODY_BYTES), {
        emailColumn: c.req.query('emailColumn'),
        write: (rows) => writer.importCrm(site.id, rows, importedAt),
      });
      // Counts only: the rows name people.
      log(`crm import on ${site.domain}: ${summary.rows} rows, ${summary.imported} imported, ${summary.skipped} skipped, ${summary.matched} matched`);
      return c.json({ site: site.domain, ...summary });
    } catch (error) {
      if (error instanceof CrmHeaderError) return c.json({ error: error.message }, 400);
      if (!(error instanceof CrmImportStopped)) throw error;
      // The batches written stay: a re-import replaces them, so sending the file again is always safe.
      if (error.cause instanceof BodyTooLargeError) return c.json({ error: `${tooLarge} (rows imported before the limit: ${error.summary.imported})` }, 413);
      log(`crm import on ${site.domain} failed: ${error.message}`);
      c.header('Retry-After', '5');
      return c.json({ error: `${error.message}; sending the file again is safe` }, 503);
    }
  });

  return app;
}
