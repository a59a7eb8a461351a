import { detectBot } from '../enrich/bot.ts';
import { type Campaign, parseCampaign } from '../enrich/campaign.ts';
import { type GeoLookup, NO_PLACE, type Place } from '../enrich/geo.ts';
import { normalisePageUrl } from '../enrich/page-url.ts';
import { classifyReferrer, type ReferrerInfo } from '../enrich/referrer.ts';
import type { Device } from '../enrich/user-agent.ts';
import type { Drop, EnrichedEvent } from './enriched-event.ts';
import type { TrackedEvent } from './event-schema.ts';
import type { SiteRegistry } from './sites.ts';

/** What the server knows of the request an event came in; the address is used here and then forgotten. */
export interface RequestFacts {
  userAgent: string | null;
  address: string | null;
  /** `Sec-Purpose` or `Purpose`: browsers set it on prefetch and prerender requests. */
  purpose: string | null;
  receivedAt: number;
}

export type IngestResult =
  | { kind: 'store'; events: EnrichedEvent[] }
  | { kind: 'drop'; reason: string; drops: Drop[] }
  | { kind: 'reject'; error: string };

const UNKNOWN_DEVICE: Device = { browser: null, browserVersion: null, os: null, osVersion: null, deviceType: 'unknown' };
const NO_CAMPAIGN: Campaign = { source: null, medium: null, campaign: null, term: null, content: null, clickId: null };
const NO_REFERRER: ReferrerInfo = { host: null, internal: false };

export interface IngestDeps {
  sites: SiteRegistry;
  geo: GeoLookup;
  parseUserAgent: (userAgent: string) => Device;
  anonymousVisitorId: (facts: { site: string; address: string; userAgent: string; time: number }) => string;
  /** Called when an enrichment step throws: its fields stay empty and the event is still stored. */
  onStepFailure?: (step: string, error: unknown) => void;
}

/**
 * The ingest pipeline, as named steps: resolve the site, drop bots, then enrich each event
 * (URL, referrer, campaign, user agent, place, visitor id). A step that fails leaves its
 * fields empty rather than losing the event.
 */
export function createIngest({ sites, geo, parseUserAgent, anonymousVisitorId, onStepFailure = () => {} }: IngestDeps) {
  function step<T>(name: string, fallback: T, run: () => T): T {
    try {
      return run();
    } catch (error) {
      onStepFailure(name, error);
      return fallback;
    }
  }

  return function ingest(events: readonly TrackedEvent[], request: RequestFacts): IngestResult {
    const siteIds = new Map<string, number>();
    for (const event of events) {
      const id = sites.resolve(event.site);
      if (id === null) return { kind: 'reject', error: `site "${event.site}" is not registered on this collector` };
      siteIds.set(event.site, id);
    }

    const botReason = detectBot({ userAgent: request.userAgent, purpose: request.purpose });
    if (botReason) {
      return {
        kind: 'drop',
        reason: botReason,
        drops: events.map((event) => ({ siteId: siteIds.get(event.site)!, time: request.receivedAt, reason: botReason })),
      };
    }

    const userAgent = request.userAgent ?? '';
    const device = step('user-agent', UNKNOWN_DEVICE, () => parseUserAgent(userAgent));
    const place: Place = request.address ? step('geo', NO_PLACE, () => geo.lookup(request.address!)) : NO_PLACE;

    const enriched: EnrichedEvent[] = [];
    for (const event of events) {
      const page = normalisePageUrl(event.url);
      if (!page) return { kind: 'reject', error: `url is not an absolute http(s) URL` };
      const pageview = event.type === 'pageview' ? event : null;
      const custom = event.type === 'event' ? event : null;
      // The referring URL is kept like a page URL: its query may carry someone's data, so only campaign keys stay.
      const referrer = pageview?.referrer ? (normalisePageUrl(pageview.referrer)?.url ?? pageview.referrer) : null;
      const referrerInfo = step('referrer', NO_REFERRER, () => classifyReferrer(referrer, page.host));
      const campaign = step('campaign', NO_CAMPAIGN, () => parseCampaign(page.query));
      const visitorId =
        event.visitor ??
        anonymousVisitorId({ site: event.site, address: request.address ?? '', userAgent, time: request.receivedAt });

      enriched.push({
        siteId: siteIds.get(event.site)!,
        eventId: event.id,
        time: request.receivedAt,
        clientTime: event.time ?? null,
        type: event.type,
        name: custom?.name ?? null,
        props: custom?.props ?? null,
        visitorId,
        url: page.url,
        host: page.host,
        path: page.path,
        title: pageview?.title || null,
        description: pageview?.description || null,
        referrer,
        referrerHost: referrerInfo.host,
        internalReferrer: referrerInfo.internal,
        campaign,
        device,
        place,
        screenWidth: pageview?.screenWidth ?? null,
        screenHeight: pageview?.screenHeight ?? null,
        viewportWidth: pageview?.viewportWidth ?? null,
        viewportHeight: pageview?.viewportHeight ?? null,
        language: pageview?.language || null,
        timeZone: pageview?.timeZone || null,
      });
    }
    return { kind: 'store', events: enriched };
  };
}

export type Ingest = ReturnType<typeof createIngest>;
