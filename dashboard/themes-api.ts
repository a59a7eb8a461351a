import { type Context, Hono } from 'hono';
import { z } from 'zod';
import { pageviewSchema, siteDomain } from '../collector/event-schema.ts';
import { localDay } from '../collector/local-time.ts';
import type { Site, SiteRegistry } from '../collector/sites.ts';
import type { ThemeStore } from '../collector/store/themes.ts';
import { describeThemesIssue, siteThemesSchema } from '../collector/theme-schema.ts';
import type { ThemeScoring } from '../collector/theme-scoring.ts';
import { readJsonBody } from './json-body.ts';
import { membersCsv, type SegmentDefinition, type SegmentQueries } from './segment-queries.ts';
import type { SegmentStore } from './segment-store.ts';
import type { ThemeQueries } from './theme-queries.ts';

const DAY_MS = 86_400_000;
const MAX_REPORT_DAYS = 366;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'a real date');
const reportQuery = z.object({ from: day.optional(), to: day.optional() });

/** `POST /api/sites/:site/themes/score`: a page as the tracker describes it, with the same limits. */
const pageToScore = pageviewSchema.pick({ url: true, title: true, description: true, keywords: true, ogTitle: true, ogDescription: true, lang: true });

const pageListQuery = z.strictObject({
  // A theme id, or empty for the pages given no theme.
  theme: z.string().max(63).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

const traitValue = z.union([z.string().max(512), z.number().finite(), z.boolean()]);
const segmentSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    themeId: z.string().min(1).max(63),
    minDays: z.number().int().min(1).max(366).default(3),
    windowDays: z.number().int().min(1).max(366).default(30),
    minInterest: z.number().min(0).max(1_000_000).default(1),
    seenWithinDays: z.number().int().min(1).max(3660).default(14),
    traits: z.record(z.string().min(1).max(64), z.union([traitValue, z.array(traitValue).min(1).max(50)])).optional(),
    countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'an ISO country code such as "FR"')).min(1).max(250).optional(),
    deviceTypes: z.array(z.string().min(1).max(32)).min(1).max(20).optional(),
  })
  .refine((segment) => segment.minDays <= segment.windowDays, { message: 'minDays cannot exceed windowDays', path: ['minDays'] });

export interface ThemesApiDeps {
  sites: SiteRegistry;
  themeStore: ThemeStore;
  themeQueries: ThemeQueries;
  segmentStore: SegmentStore;
  segmentQueries: SegmentQueries;
  scoring: Pick<ThemeScoring, 'preview' | 'nudge'>;
  now: () => number;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message;
}

/**
 * Themes (definitions, reports, a page's scores, trying a page) and segments (definitions and their
 * members as JSON or CSV). Mounted behind the admin token (collector/app.ts).
 */
export function themesApi({ sites, themeStore, themeQueries, segmentStore, segmentQueries, scoring, now }: ThemesApiDeps) {
  const app = new Hono();

  /** Resolves `:site` or answers 404; `handler` gets the site. */
  const withSite = (handler: (c: Context, site: Site) => Response | Promise<Response>) => (c: Context) => {
    const domain = c.req.param('site') ?? '';
    const site = siteDomain.safeParse(domain).success ? sites.find(domain) : null;
    return site ? handler(c, site) : c.json({ error: `unknown site "${domain}"` }, 404);
  };
  const themesOut = (site: Site) => {
    const { themes, rules, version } = themeStore.read(site.id);
    return { site: site.domain, version, themes, rules };
  };

  app.get('/api/sites/:site/themes', withSite((c, site) => c.json(themesOut(site))));

  app.put(
    '/api/sites/:site/themes',
    withSite(async (c, site) => {
      const read = await readJsonBody(c);
      if (!read.ok) return c.json({ error: read.error }, 400);
      const parsed = siteThemesSchema.safeParse(read.body);
      if (!parsed.success) return c.json({ error: describeThemesIssue(parsed.error) }, 400);
      themeStore.replace(site.id, parsed.data);
      // Pages are scored again in the background; interest follows once they are.
      scoring.nudge();
      return c.json(themesOut(site));
    }),
  );

  app.post(
    '/api/sites/:site/themes/score',
    withSite(async (c, site) => {
      const read = await readJsonBody(c);
      if (!read.ok) return c.json({ error: read.error }, 400);
      const parsed = pageToScore.safeParse(read.body);
      if (!parsed.success) return c.json({ error: firstIssue(parsed.error) }, 400);
      if (themeStore.read(site.id).themes.length === 0) return c.json({ error: `${site.domain} has no themes yet: PUT /api/sites/${site.domain}/themes first` }, 409);
      try {
        return c.json({ site: site.domain, ...(await scoring.preview(site.id, parsed.data)) });
      } catch (error) {
        c.header('Retry-After', '5');
        return c.json({ error: `the theme model is not available: ${(error as Error).message}` }, 503);
      }
    }),
  );

  app.get(
    '/api/sites/:site/themes/report',
    withSite((c, site) => {
      const parsed = reportQuery.safeParse(c.req.query());
      if (!parsed.success) return c.json({ error: firstIssue(parsed.error) }, 400);
      const to = parsed.data.to ?? localDay(now(), site.timeZone);
      const from = parsed.data.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10);
      if (from > to) return c.json({ error: `from (${from}) is after to (${to})` }, 400);
      if ((Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_REPORT_DAYS) return c.json({ error: `a period is at most ${MAX_REPORT_DAYS} days` }, 400);
      const { themes } = themeStore.read(site.id);
      return c.json({ site: site.domain, from, to, timeZone: site.timeZone, ...themeQueries.report(site.id, themes, { from, to, timeZone: site.timeZone }) });
    }),
  );

  app.get(
    '/api/sites/:site/pages',
    withSite((c, site) => {
      const parsed = pageListQuery.safeParse(c.req.query());
      if (!parsed.success) return c.json({ error: firstIssue(parsed.error) }, 400);
      const { theme, limit, offset } = parsed.data;
      return c.json({ site: site.domain, pages: themeQueries.pages(site.id, { theme: theme ?? null, limit, offset }) });
    }),
  );

  app.get(
    '/api/sites/:site/pages/themes',
    withSite((c, site) => {
      const path = c.req.query('path') ?? '';
      if (!path.startsWith('/') || path.length > 2048) return c.json({ error: 'path: a page path such as /pricing' }, 400);
      const page = themeQueries.page(site.id, path);
      return page ? c.json({ site: site.domain, ...page }) : c.json({ error: `no text for ${path} on ${site.domain} yet` }, 404);
    }),
  );

  /** Checks a segment definition, and that its theme exists on the site. */
  function definitionOf(site: Site, body: unknown): { definition: SegmentDefinition } | { error: string } {
    const parsed = segmentSchema.safeParse(body);
    if (!parsed.success) return { error: firstIssue(parsed.error) };
    if (!themeStore.read(site.id).themes.some((theme) => theme.id === parsed.data.themeId)) return { error: `themeId: no theme "${parsed.data.themeId}" on ${site.domain}` };
    return { definition: parsed.data };
  }
  const segmentIdOf = (c: Context) => {
    const id = Number(c.req.param('id'));
    return Number.isSafeInteger(id) && id > 0 ? id : null;
  };
  const members = (site: Site, definition: SegmentDefinition) => segmentQueries.members(site.id, definition, { now: now(), timeZone: site.timeZone });

  app.get('/api/sites/:site/segments', withSite((c, site) => c.json({ site: site.domain, segments: segmentStore.list(site.id) })));

  app.post(
    '/api/sites/:site/segments',
    withSite(async (c, site) => {
      const read = await readJsonBody(c);
      const checked = read.ok ? definitionOf(site, read.body) : { error: read.error };
      if ('error' in checked) return c.json({ error: checked.error }, 400);
      return c.json(segmentStore.create(site.id, checked.definition, now()), 201);
    }),
  );

  // How many a definition would hold now, before saving it.
  app.post(
    '/api/sites/:site/segments/preview',
    withSite(async (c, site) => {
      const read = await readJsonBody(c);
      const checked = read.ok ? definitionOf(site, read.body) : { error: read.error };
      if ('error' in checked) return c.json({ error: checked.error }, 400);
      const found = members(site, checked.definition);
      return c.json({ site: site.domain, size: found.length, people: found.filter((m) => m.personId !== null).length, sample: found.slice(0, 10) });
    }),
  );

  app.get(
    '/api/sites/:site/segments/:id',
    withSite((c, site) => {
      const segment = segmentIdOf(c) && segmentStore.get(site.id, segmentIdOf(c)!);
      return segment ? c.json(segment) : c.json({ error: `no segment ${c.req.param('id')} on ${site.domain}` }, 404);
    }),
  );

  app.put(
    '/api/sites/:site/segments/:id',
    withSite(async (c, site) => {
      const read = await readJsonBody(c);
      const checked = read.ok ? definitionOf(site, read.body) : { error: read.error };
      if ('error' in checked) return c.json({ error: checked.error }, 400);
      const segment = segmentIdOf(c) && segmentStore.update(site.id, segmentIdOf(c)!, checked.definition, now());
      return segment ? c.json(segment) : c.json({ error: `no segment ${c.req.param('id')} on ${site.domain}` }, 404);
    }),
  );

  app.delete(
    '/api/sites/:site/segments/:id',
    withSite((c, site) => {
      const id = segmentIdOf(c);
      return id && segmentStore.remove(site.id, id) ? c.body(null, 204) : c.json({ error: `no segment ${c.req.param('id')} on ${site.domain}` }, 404);
    }),
  );

  // Current at query time: membership is computed from the daily interest as it is now.
  app.get(
    '/api/sites/:site/segments/:id/members',
    withSite((c, site) => {
      const segment = segmentIdOf(c) && segmentStore.get(site.id, segmentIdOf(c)!);
      if (!segment) return c.json({ error: `no segment ${c.req.param('id')} on ${site.domain}` }, 404);
      const found = members(site, segment.definition);
      const wantsCsv = c.req.query('format') === 'csv' || (c.req.header('accept') ?? '').includes('text/csv');
      if (!wantsCsv) return c.json({ site: site.domain, segment, size: found.length, members: found });
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', `attachment; filename="${site.domain}-segment-${segment.id}.csv"`);
      return c.body(membersCsv(found));
    }),
  );

  return app;
}
