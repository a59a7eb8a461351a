import { Hono } from 'hono';
import { siteDomain } from './event-schema.ts';
import type { SiteRegistry } from './sites.ts';
import { nothingErased } from './store/erasure.ts';
import type { EventWriter } from './writer.ts';

export interface EraseRoutesDeps {
  sites: Pick<SiteRegistry, 'find'>;
  writer: Pick<EventWriter, 'erase'>;
  log: (line: string) => void;
}

/**
 * `DELETE /api/sites/:site/visitors/:visitorId`: erases a visitor (a data subject's request).
 * Mounted behind the admin token (collector/app.ts). When persons exist, a
 * `DELETE /api/sites/:site/persons/:personId` sits beside it and asks the writer for a person subject.
 */
export function eraseRoutes({ sites, writer, log }: EraseRoutesDeps) {
  const app = new Hono();

  app.delete('/api/sites/:site/visitors/:visitorId', async (c) => {
    const domain = c.req.param('site');
    const site = siteDomain.safeParse(domain).success ? sites.find(domain) : null;
    if (!site) return c.json({ error: `unknown site "${domain}"` }, 404);
    const visitorId = c.req.param('visitorId');
    const notFound = () => c.json({ error: `no visitor "${visitorId.slice(0, 64)}" on ${site.domain}` }, 404);
    // No stored id is longer (the wire schema's limit): nothing to erase, and no need to ask the writer.
    if (visitorId.length > 64) return notFound();
    try {
      const erased = await writer.erase({ kind: 'visitor', siteId: site.id, visitorId });
      if (nothingErased(erased)) return notFound();
      // The id is not logged: the log would keep what the erasure removed.
      log(`erasure on ${site.domain}: ${erased.events} events, ${erased.sessions} sessions, ${erased.visitors} visitors`);
      return c.json({ erased });
    } catch (error) {
      // One transaction: when it fails nothing was erased, and the same request can be sent again.
      log(`erasure on ${site.domain} failed: ${(error as Error).message}`);
      c.header('Retry-After', '5');
      return c.json({ error: `nothing was erased: ${(error as Error).message}` }, 503);
    }
  });

  return app;
}
