import { Hono } from 'hono';
import { z } from 'zod';
import { personId, siteDomain } from '../collector/event-schema.ts';
import type { ReasonCounter } from '../collector/reason-counter.ts';
import { localDay } from '../collector/local-time.ts';
import { isTimeZone, type Site, type SiteRegistry } from '../collector/sites.ts';
import { readJsonBody } from './json-body.ts';
import type { DashboardQueries, Period } from './queries.ts';
import type { ThemeQueries } from './theme-queries.ts';

const MAX_PERIOD_DAYS = 3 * 366;
const DAY_MS = 86_400_000;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'a real date');

const siteSettings = z.strictObject({
  timeZone: z.string().max(64).refine(isTimeZone, 'an IANA time zone such as Europe/Paris').optional(),
  sessionTimeoutMinutes: z.number().int().min(1).max(24 * 60).nullable().optional(),
  retentionDays: z.number().int().min(1).max(100 * 366).nullable().optional(),
  hashRouting: z.boolean().optional(),
  queryKeys: z.array(z.string().regex(/^[A-Za-z0-9_.\-[\]]{1,64}$/, 'a query key such as "id" or "page"')).max(20).optional(),
  requireConsent: z.boolean().optional(),
  keepDailyAggregates: z.boolean().optional(),
  interestHalfLifeDays: z.number().int().min(1).max(3660).optional(),
});

const siteOut = (site: Site) => ({
  domain: site.domain,
  createdAt: new Date(site.createdAt).toISOString(),
  timeZone: site.timeZone,
  sessionTimeoutMinutes: site.sessionTimeoutMinutes,
  retentionDays: site.retentionDays,
  hashRouting: site.hashRouting,
  queryKeys: site.queryKeys,
  requireConsent: site.requireConsent,
  keepDailyAggregates: site.keepDailyAggregates,
  interestHalfLifeDays: site.interestHalfLifeDays,
});

const periodQuery = z.object({
  from: day.optional(),
  to: day.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export interface DashboardApiDeps {
  sites: SiteRegistry;
  queries: DashboardQueries;
  themeQueries: ThemeQueries;
  ingestCounters: { rejected: ReasonCounter; enrichFailures: ReasonCounter };
  now: () => number;
}

/** The JSON API behind the dashboard, documented in the README ("HTTP API"). */
/** Mounted behind the admin token (collector/app.ts). */
export function dashboardApi({ sites, queries, themeQueries, ingestCounters, now }: DashboardApiDeps) {
  const app = new Hono();

  /** The period asked for, in days of the site's time zone; by default the last 30 days there. */
  function periodFrom(query: Record<string, string>, timeZone: string): { period: Period; limit: number } | { error: string } {
    const parsed = periodQuery.safeParse(query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { error: `${issue.path.join('.') || 'query'}: ${issue.message}` };
    }
    const to = parsed.data.to ?? localDay(now(), timeZone);
    const from = parsed.data.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
    if (from > to) return { error: `from (${from}) is after to (${to})` };
    if ((Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_PERIOD_DAYS) return { error: `a period is at most ${MAX_PERIOD_DAYS} days` };
    return { period: { from, to, timeZone }, limit: parsed.data.limit };
  }

  function siteOf(domain: string) {
    return siteDomain.safeParse(domain).success ? sites.find(domain) : null;
  }

  app.get('/api/sites', (c) => c.json({ sites: sites.list().map(siteOut) }));

  app.get('/api/sites/:site', (c) => {
    const site = siteOf(c.req.param('site'));
    return site ? c.json(siteOut(site)) : c.json({ error: `unknown site "${c.req.param('site')}"` }, 404);
  });

  // A change applies to events from now on; `waymark rebuild` applies it to the past.
  app.patch('/api/sites/:site', async (c) => {
    const site = siteOf(c.req.param('site'));
    if (!site) return c.json({ error: `unknown site "${c.req.param('site')}"` }, 404);
    const read = await readJsonBody(c);
    if (!read.ok) return c.json({ error: read.error }, 400);
    const parsed = siteSettings.safeParse(read.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return c.json({ error: issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : `settings: ${issue.message}` }, 400);
    }
    return c.json(siteOut(sites.update(site.domain, parsed.data)!));
  });

  app.get('/api/ingest', (c) =>
    c.json({ rejected: ingestCounters.rejected.snapshot(), enrichFailures: ingestCounters.enrichFailures.snapshot() }),
  );

  /** A report over a period of one site: the site and the period are checked the same way for each. */
  function periodReport(path: string, report: (site: Site, period: Period, limit: number) => object) {
    app.get(path, (c) => {
      const site = siteOf(c.req.param('site') ?? '');
      if (!site) return c.json({ error: `unknown site "${c.req.param('site')}"` }, 404);
      const request = periodFrom(c.req.query(), site.timeZone);
      if ('error' in request) return c.json({ error: request.error }, 400);
      return c.json({ site: site.domain, ...request.period, ...report(site, request.period, request.limit) });
    });
  }

  periodReport('/api/sites/:site/stats', (site, period) => queries.stats(site.id, period));
  periodReport('/api/sites/:site/dropped', (site, period) => queries.dropped(site.id, period));
  periodReport('/api/sites/:site/visitors', (site, period, limit) => ({ visitors: queries.visitors(site.id, period, limit) }));

  app.get('/api/sites/:site/people', (c) => {
    const site = siteOf(c.req.param('site'));
    if (!site) return c.json({ error: `unknown site "${c.req.param('site')}"` }, 404);
    const limit = periodQuery.shape.limit.safeParse(c.req.query('limit'));
    if (!limit.success) return c.json({ error: `limit: ${limit.error.issues[0]!.message}` }, 400);
    return c.json({ site: site.domain, people: queries.people(site.id, limit.data) });
  });

  app.get('/api/sites/:site/people/:personId', (c) => {
    const site = siteOf(c.req.param('site'));
    if (!site) return c.json({ error: `unknown site "${c.req.param('site')}"` }, 404);
    const id = personId.safeParse(c.req.param('personId'));
    if (!id.success) return c.json({ error: `personId: ${id.error.issues[0]!.message}` }, 400);
    const journey = queries.person(site.id, id.data, site.timeZone);
    if (!journey) return c.json({ error: `no person "${id.data}" on ${site.domain}` }, 404);
    const themes = themeQueries.personThemes(site.id, id.data, now(), site.timeZone, site.interestHalfLifeDays);
    return c.json({ site: site.domain, ...journey, themes });
  });

  app.get('/api/sites/:site/visitors/:visitorId', (c) => {
    const site = siteOf(c.req.param('site'));
    if (!site) return c.json({ error: `unknown site "${c.req.param('site')}"` }, 404);
    const visitorId = c.req.param('visitorId');
    const journey = visitorId.length <= 64 ? queries.journey(site.id, visitorId, site.timeZone) : null;
    if (!journey) return c.json({ error: `no visitor "${visitorId.slice(0, 64)}" on ${site.domain}` }, 404);
    const themes = themeQueries.visitorThemes(site.id, visitorId, now(), site.timeZone, site.interestHalfLifeDays);
    return c.json({ site: site.domain, ...journey, themes });
  });

  return app;
}
