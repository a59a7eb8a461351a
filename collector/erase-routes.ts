import { type Context, Hono } from 'hono';
import { personId, siteDomain } from './event-schema.ts';
import type { Site, SiteRegistry } from './sites.ts';
import { type ErasureCounts, type ErasureSubject, nothingErased } from './store/erasure.ts';
import type { SessionFacts } from './store/session-deriver.ts';
import type { EventWriter } from './writer.ts';

export interface EraseRoutesDeps {
  sites: Pick<SiteRegistry, 'find'>;
  writer: Pick<EventWriter, 'erase'>;
  /** The site's rules for cutting visits: a shared device's visits are cut again after a person's erasure. */
  sessionRules: (site: Site) => Pick<SessionFacts, 'siteTimeZone' | 'sessionTimeoutMs'>;
  log: (line: string) => void;
}

/**
 * `DELETE /api/sites/:site/visitors/:visitorId` and `DELETE /api/sites/:site/people/:personId`:
 * a data subject's request. Mounted behind the admin token (collector/app.ts).
 */
export function eraseRoutes({ sites, writer, sessionRules, log }: EraseRoutesDeps) {
  const app = new Hono();

  /** Asks the writer; the id is not logged, since the log would keep what the erasure removed. */
  async function answer(c: Context, site: Site, subject: ErasureSubject, notFound: () => Response) {
    let erased: ErasureCounts;
    try {
      erased = await writer.erase(subject);
    } catch (error) {
      // One transaction: when it fails nothing was erased, and the same request can be sent again.
      log(`erasure on ${site.domain} failed: ${(error as Error).message}`);
      c.header('Retry-After', '5');
      return c.json({ error: `nothing was erased: ${(error as Error).message}` }, 503);
    }
    if (nothingErased(erased)) return notFound();
    log(`erasure of a ${subject.kind} on ${site.domain}: ${Object.entries(erased).map(([table, count]) => `${count} ${table}`).join(', ')}`);
    return c.json({ erased });
  }

  function siteOf(domain: string) {
    return siteDomain.safeParse(domain).success ? sites.find(domain) : null;
  }

  app.delete('/api/sites/:site/visitors/:visitorId', (c) => {
    const site = siteOf(c.req.param('site'));
    if (!site) return c.json({ error: `unknown site "${c.req.param('site')}"` }, 404);
    const visitorId = c.req.param('visitorId');
    const notFound = () => c.json({ error: `no visitor "${visitorId.slice(0, 64)}" on ${site.domain}` }, 404);
    // No stored id is longer (the wire schema's limit): nothing to erase, and no need to ask the writer.
    if (visitorId.length > 64) return notFound();
    return answer(c, site, { kind: 'visitor', siteId: site.id, visitorId }, notFound);
  });

  app.delete('/api/sites/:site/people/:personId', (c) => {
    const site = siteOf(c.req.param('site'));
    if (!site) return c.json({ error: `unknown site "${c.req.param('site')}"` }, 404);
    const id = personId.safeParse(c.req.param('personId'));
    if (!id.success) return c.json({ error: `personId: ${id.error.issues[0]!.message}` }, 400);
    const notFound = () => c.json({ error: `no person "${id.data}" on ${site.domain}` }, 404);
    return answer(c, site, { kind: 'person', siteId: site.id, personId: id.data, rules: sessionRules(site) }, notFound);
  });

  return app;
}
