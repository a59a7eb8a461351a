import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono, type Next } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { clientHintsFromHeaders } from '../enrich/client-hints.ts';
import { MAX_BODY_BYTES, parseBatch, type TrackedEvent } from './event-schema.ts';
import type { Ingest, RequestFacts } from './ingest.ts';
import type { ReasonCounter } from './reason-counter.ts';
import type { SiteRegistry } from './sites.ts';
import { type EventWriter, WriterClosedError } from './writer.ts';

// A transparent 1x1 GIF: GIF because it is the smallest image every mail client and browser shows.
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export interface CollectRoutesDeps {
  ingest: Ingest;
  /** The client's address from the peer and, behind trusted proxies only, their forwarding headers. */
  clientAddress: (request: { peer: string | null; header: (name: string) => string | undefined | null }) => string | null;
  writer: EventWriter;
  sites: SiteRegistry;
  rejections: ReasonCounter;
  now: () => number;
}

/** `POST /e` (tracker events) and `GET /e.gif` (the no-script pixel). */
export function collectRoutes({ ingest, clientAddress, writer, sites, rejections, now }: CollectRoutesDeps) {
  const app = new Hono();

  function reject(c: Context, status: 400 | 413 | 415, reason: string, error: string) {
    rejections.count(reason);
    // The header lets a site owner see the reason in the browser's network panel, even for a beacon.
    c.header('X-Waymark-Error', error.slice(0, 200).replace(/[^\x20-\x7e]/g, '?'));
    return c.json({ error }, status);
  }

  async function accept(c: Context, events: TrackedEvent[]) {
    allowOrigin(c);
    const result = ingest(events, requestFacts(c, now()));
    if (result.kind === 'reject') return reject(c, 400, 'unknown-site', result.error);
    try {
      const counts = await writer.write(result);
      if (result.reason) c.header('X-Waymark-Dropped', result.reason);
      const dropped = result.reason ? { dropped: result.drops.length, reason: result.reason } : {};
      const accepted = result.events.length + result.identities.length + result.engagements.length;
      if (accepted === 0) return c.json({ accepted: 0, ...dropped }, 202);
      return c.json({ accepted, duplicates: counts.duplicates, ...dropped }, 202);
    } catch (error) {
      // The writer thread has logged why. Nothing was acknowledged, so the tracker (or a replaying client) may send again.
      c.header('Retry-After', '5');
      return c.json({ error: error instanceof WriterClosedError ? error.message : 'events could not be stored; retry later' }, 503);
    }
  }

  function requestFacts(c: Context, receivedAt: number): RequestFacts {
    let peer: string | null = null;
    try {
      peer = getConnInfo(c).remote.address ?? null;
    } catch {
      // Requests served in-process (app.request in tests) have no socket: no address, no place.
    }
    const header = (name: string) => c.req.header(name);
    return {
      userAgent: c.req.header('user-agent') ?? null,
      address: clientAddress({ peer, header }),
      purpose: c.req.header('sec-purpose') ?? c.req.header('purpose') ?? null,
      hints: clientHintsFromHeaders(header),
      doNotTrack: header('dnt') === '1' || header('sec-gpc') === '1',
      receivedAt,
    };
  }

  // Browsers need these only to read the answer (sendBeacon's text/plain needs no preflight), and for
  // application/json, which does. Written by hand: the generic middleware cost more than the rest of a request.
  function allowOrigin(c: Context) {
    const origin = c.req.header('origin');
    if (origin && sites.allowsOrigin(origin)) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Vary', 'Origin');
    }
  }

  app.options('/e', (c) => {
    allowOrigin(c);
    c.header('Access-Control-Allow-Methods', 'POST');
    c.header('Access-Control-Allow-Headers', 'Content-Type');
    c.header('Access-Control-Max-Age', '86400');
    return c.body(null, 204);
  });

  const tooLarge = (c: Context) => reject(c, 413, 'body-too-large', `body larger than ${MAX_BODY_BYTES} bytes`);
  // Trackers always declare the length, so the limit is one comparison; only a chunked body, which
  // declares none, is counted as it streams in (the slower path through web streams).
  const countChunkedBody = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge });
  function limitBody(c: Context, next: Next) {
    const declared = c.req.header('content-length');
    if (declared !== undefined && !c.req.header('transfer-encoding')) {
      return Number(declared) > MAX_BODY_BYTES ? tooLarge(c) : next();
    }
    return countChunkedBody(c, next);
  }

  app.post(
    '/e',
    limitBody,
    async (c) => {
      // text/plain is what sendBeacon sends without a CORS preflight; the body is still JSON.
      const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== 'text/plain' && type !== 'application/json') {
        return reject(c, 415, 'unsupported-media-type', `content type must be text/plain or application/json, not "${type || 'none'}"`);
      }
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch (error) {
        return reject(c, 400, 'invalid-json', `body is not valid JSON: ${(error as Error).message}`);
      }
      const parsed = parseBatch(body);
      if (!parsed.ok) return reject(c, 400, 'invalid-event', parsed.error);
      return accept(c, parsed.events);
    },
  );

  app.get('/e.gif', async (c) => {
    c.header('Cache-Control', 'no-store');
    const query = c.req.query();
    // A no-script image cannot know its page's URL: the browser's Referer header carries it.
    const url = query.url ?? c.req.header('referer');
    const parsed = parseBatch({
      type: 'pageview',
      site: query.site,
      id: crypto.randomUUID().replaceAll('-', ''),
      url,
      ...(query.ref ? { referrer: query.ref } : {}),
      ...(query.title ? { title: query.title } : {}),
    });
    if (!parsed.ok) return reject(c, 400, 'invalid-event', parsed.error);
    const answer = await accept(c, parsed.events);
    if (answer.status !== 202) return answer;
    return c.body(PIXEL, 200, { 'Content-Type': 'image/gif' });
  });

  return app;
}
