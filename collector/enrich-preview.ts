import { Hono } from 'hono';
import { z } from 'zod';
import { clientHintsFromHeaders } from '../enrich/client-hints.ts';
import { siteDomain, type TrackedEvent } from './event-schema.ts';
import type { Ingest } from './ingest.ts';

const previewRequest = z.strictObject({
  site: siteDomain,
  url: z.string().max(2048),
  referrer: z.string().max(2048).optional(),
  userAgent: z.string().max(4096),
  ip: z.union([z.ipv4(), z.ipv6()]).optional(),
  headers: z.record(z.string().max(100), z.string().max(4096)).optional(),
});

/**
 * `POST /api/enrich/preview`: what the pipeline would store for one hit, without storing it.
 * It runs the same ingest steps as `POST /e` (with a site lookup that creates nothing and no rate
 * counting), so an operator checks a setup, and tests check the pipeline as deployed.
 */
export function enrichPreviewRoute({ ingest, now }: { ingest: Ingest; now: () => number }) {
  const app = new Hono();
  app.post('/api/enrich/preview', async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'body is not valid JSON' }, 400);
    }
    const parsed = previewRequest.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return c.json({ error: `${issue.path.join('.') || 'body'}: ${issue.message}` }, 400);
    }
    const hit = parsed.data;
    const headers = new Map(Object.entries(hit.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    const header = (name: string) => headers.get(name.toLowerCase());
    const event = { type: 'pageview', site: hit.site, id: 'preview0000000000', url: hit.url, referrer: hit.referrer } as TrackedEvent;
    const result = ingest([event], {
      userAgent: hit.userAgent,
      address: hit.ip ?? null,
      purpose: header('sec-purpose') ?? header('purpose') ?? null,
      hints: clientHintsFromHeaders(header),
      receivedAt: now(),
    });
    if (result.kind === 'reject') return c.json({ error: result.error }, 400);
    const stored = result.events[0];
    if (!stored) return c.json({ site: hit.site, stored: false, bot: { dropped: true, reason: result.reason } });
    return c.json({
      site: hit.site,
      stored: true,
      bot: { dropped: false, reason: null },
      page: { url: stored.url, host: stored.host, path: stored.path },
      referrer: { url: stored.referrer, host: stored.referrerHost },
      source: stored.source,
      campaign: stored.campaign,
      device: stored.device,
      place: stored.place,
    });
  });
  return app;
}
