import { detectBot } from '../enrich/bot.ts';
import { type Campaign, parseCampaign } from '../enrich/campaign.ts';
import { type ClientHints, hintsSayHeadless } from '../enrich/client-hints.ts';
import { type GeoLookup, NO_PLACE, type Place } from '../enrich/geo.ts';
import { normalisePageUrl } from '../enrich/page-url.ts';
import { classifyReferrer, type ReferrerInfo } from '../enrich/referrer.ts';
import { classifySource, type Source } from '../enrich/source.ts';
import type { Device } from '../enrich/user-agent.ts';
import type { Drop, EnrichedEvent, Engagement, Identity } from './enriched-event.ts';
import type { TrackedEvent } from './event-schema.ts';
import { localDay } from './local-time.ts';

/** What the server knows of the request an event came in; the address is used here and then forgotten. */
export interface RequestFacts {
  userAgent: string | null;
  /** The client's address as resolved through trusted proxies (collector/client-address.ts). */
  address: string | null;
  /** `Sec-Purpose` or `Purpose`: browsers set it on prefetch and prerender requests. */
  purpose: string | null;
  /** The `Sec-CH-UA*` request headers, when the browser sent them. */
  hints: ClientHints | null;
  /** The browser sent `DNT: 1` or `Sec-GPC: 1`: the visit is counted, but not followed across days. */
  doNotTrack?: boolean;
  receivedAt: number;
}

export type IngestResult =
  | { kind: 'reject'; error: string }
  /** `drops` are the events filtered out (bots, impossible timing), counted by `reason`; `events` and `identities` are stored. */
  | { kind: 'accept'; events: EnrichedEvent[]; identities: Identity[]; engagements: Engagement[]; drops: Drop[]; reason: string | null };

/**
 * How long an event may have waited on the device (an offline queue) and still be counted: older
 * ones are dropped as `too-late`, since the days they belong to have been reported on already.
 */
export const MAX_EVENT_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * When the event happened: the receive time less how long it waited on the device (`sent` - `time`,
 * both on the device's clock, so a clock set wrong cancels out; Snowplow's derived timestamp).
 * Without both, the receive time. Null when it waited too long to be counted.
 */
export function eventTime(event: { time?: number | undefined; sent?: number | undefined }, receivedAt: number): number | null {
  if (event.time === undefined || event.sent === undefined) return receivedAt;
  const waited = Math.max(0, event.sent - event.time);
  return waited > MAX_EVENT_AGE_MS ? null : receivedAt - waited;
}

const UNKNOWN_DEVICE: Device = { browser: null, browserVersion: null, os: null, osVersion: null, deviceType: 'unknown' };
const NO_CAMPAIGN: Campaign = { source: null, medium: null, campaign: null, term: null, content: null, clickId: null };
const NO_REFERRER: ReferrerInfo = { host: null, internal: false };
const UNKNOWN_SOURCE: Source = { medium: 'direct', source: null, term: null };

/** What ingest needs of a site: its id and its rules for cutting visits. */
export interface SiteRules {
  id: number;
  timeZone: string;
  sessionTimeoutMs: number;
  hashRouting: boolean;
  queryKeys: readonly string[];
  /** Visitors are followed (their device id used, identify honoured) only once they consented. */
  requireConsent: boolean;
}

export interface IngestDeps {
  /** The site; null when it is not registered (and cannot be created). */
  resolveSite: (domain: string) => SiteRules | null;
  geo: GeoLookup;
  parseUserAgent: (userAgent: string, hints?: ClientHints | null) => Device;
  anonymousVisitorId: (facts: { site: string; address: string; userAgent: string; time: number }) => string;
  /** Records a pageview; true when the visitor is sending them faster than a person can (collector/pageview-rate.ts). */
  tooFast: (siteId: number, visitorId: string, time: number) => boolean;
  /** Called when an enrichment step throws: its fields stay empty and the event is still stored. */
  onStepFailure?: (step: string, error: unknown) => void;
}

/**
 * The ingest pipeline, as named steps: resolve the site; drop bots (user agent, automation, headless
 * hints, prefetch) and impossible timing; then enrich each event (URL, referrer, campaign, source,
 * user agent, place, visitor id). A step that fails leaves its fields empty rather than losing the event.
 */
export function createIngest({ resolveSite, geo, parseUserAgent, anonymousVisitorId, tooFast, onStepFailure = () => {} }: IngestDeps) {
  function step<T>(name: string, fallback: T, run: () => T): T {
    try {
      return run();
    } catch (error) {
      onStepFailure(name, error);
      return fallback;
    }
  }

  /** Why the whole request is not a person's, or null. */
  function botVerdict(events: readonly TrackedEvent[], request: RequestFacts): string | null {
    const byRequest = step('bot', null, () => detectBot({ userAgent: request.userAgent, purpose: request.purpose }));
    if (byRequest) return byRequest;
    if (events.some((event) => event.webdriver)) return 'webdriver';
    if (hintsSayHeadless(request.hints) || events.some((event) => hintsSayHeadless(event.hints))) return 'headless-browser';
    return null;
  }

  return function ingest(events: readonly TrackedEvent[], request: RequestFacts): IngestResult {
    const sites = new Map<string, SiteRules>();
    for (const event of events) {
      const site = resolveSite(event.site);
      if (site === null) return { kind: 'reject', error: `site "${event.site}" is not registered on this collector` };
      sites.set(event.site, site);
    }
    const dropAll = (reason: string): IngestResult => ({
      kind: 'accept',
      events: [],
      identities: [],
      engagements: [],
      drops: events.map((event) => {
        const site = sites.get(event.site)!;
        return { siteId: site.id, day: localDay(request.receivedAt, site.timeZone), reason };
      }),
      reason,
    });

    const botReason = botVerdict(events, request);
    if (botReason) return dropAll(botReason);

    const userAgent = request.userAgent ?? '';
    const place: Place = request.address ? step('geo', NO_PLACE, () => geo.lookup(request.address!)) : NO_PLACE;

    const enriched: EnrichedEvent[] = [];
    const identities: Identity[] = [];
    const engagements: Engagement[] = [];
    const drops: Drop[] = [];
    for (const event of events) {
      const site = sites.get(event.site)!;
      const siteId = site.id;
      const drop = (reason: string) => drops.push({ siteId, day: localDay(request.receivedAt, site.timeZone), reason });
      const page = normalisePageUrl(event.url, { hashRouting: site.hashRouting, extraQueryKeys: site.queryKeys });
      if (!page) return { kind: 'reject', error: `url is not an absolute http(s) URL` };
      const time = eventTime(event, request.receivedAt);
      if (time === null) {
        drop('too-late');
        continue;
      }
      // The tracker stores no id under Do-Not-Track or GPC, or before consent where the site asks for
      // it; an id sent anyway (an older tracker, a page's own code) is not used, so the person is not
      // followed across days.
      const followed = !request.doNotTrack && (!site.requireConsent || event.consent === true) && event.visitor !== undefined;
      if (event.type === 'identify') {
        // Linking a person to a daily anonymous id would follow them after all.
        if (!followed) drop('identify-without-consent');
        else
          identities.push({
            siteId,
            eventId: event.id,
            time,
            visitorId: event.visitor!,
            personId: event.person,
            traits: event.traits ?? null,
            siteTimeZone: site.timeZone,
            sessionTimeoutMs: site.sessionTimeoutMs,
          });
        continue;
      }
      const visitorId = followed
        ? event.visitor!
        : anonymousVisitorId({ site: event.site, address: request.address ?? '', userAgent, time: request.receivedAt });
      if (event.type === 'engagement') {
        engagements.push({ siteId, pageviewId: event.pageview, visitorId, time, engagedMs: event.engagedMs, scrollDepth: event.scrollDepth ?? null });
        continue;
      }
      const pageview = event.type === 'pageview' ? event : null;
      const custom = event.type === 'event' ? event : null;
      if (pageview && tooFast(siteId, visitorId, request.receivedAt)) {
        drop('impossible-timing');
        continue;
      }

      const rawReferrer = pageview?.referrer || null;
      const referrerInfo = step('referrer', NO_REFERRER, () => classifyReferrer(rawReferrer, page.host));
      const campaign = step('campaign', NO_CAMPAIGN, () => parseCampaign(page.query));
      const source = step('source', UNKNOWN_SOURCE, () => classifySource({ referrer: rawReferrer, pageHost: page.host, campaign }));
      // The tracker's hints (high-entropy, from userAgentData) complete the request's Sec-CH-UA headers.
      const hints = event.hints || request.hints ? { ...request.hints, ...event.hints } : null;
      const device = step('user-agent', UNKNOWN_DEVICE, () => parseUserAgent(userAgent, hints));

      enriched.push({
        siteId,
        siteTimeZone: site.timeZone,
        sessionTimeoutMs: site.sessionTimeoutMs,
        eventId: event.id,
        time,
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
        keywords: pageview?.keywords || null,
        ogTitle: pageview?.ogTitle || null,
        ogDescription: pageview?.ogDescription || null,
        pageLang: pageview?.lang || null,
        // The referring URL is kept like a page URL: its query may carry someone's data, so only campaign
        // keys stay (the search term, if any, was read above).
        referrer: rawReferrer ? (normalisePageUrl(rawReferrer)?.url ?? rawReferrer) : null,
        referrerHost: referrerInfo.host,
        source,
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
    return { kind: 'accept', events: enriched, identities, engagements, drops, reason: drops[0]?.reason ?? null };
  };
}

export type Ingest = ReturnType<typeof createIngest>;
