import { NO_PLACE } from '../../enrich/geo.ts';
import type { EnrichedEvent } from '../../collector/enriched-event.ts';

/** An event as the ingest pipeline hands it to the store: a direct pageview from nowhere, unless overridden. */
export function enrichedEvent(overrides: Partial<EnrichedEvent> & Pick<EnrichedEvent, 'siteId' | 'eventId'>): EnrichedEvent {
  return {
    siteTimeZone: 'UTC',
    sessionTimeoutMs: 30 * 60_000,
    time: 1_000,
    clientTime: null,
    type: 'pageview',
    name: null,
    props: null,
    visitorId: 'v1',
    url: 'https://example.com/',
    host: 'example.com',
    path: '/',
    title: null,
    description: null,
    keywords: null,
    ogTitle: null,
    ogDescription: null,
    pageLang: null,
    referrer: null,
    referrerHost: null,
    source: { medium: 'direct', source: null, term: null },
    campaign: { source: null, medium: null, campaign: null, term: null, content: null, clickId: null },
    device: { browser: null, browserVersion: null, os: null, osVersion: null, deviceType: 'unknown' },
    place: NO_PLACE,
    screenWidth: null,
    screenHeight: null,
    viewportWidth: null,
    viewportHeight: null,
    language: null,
    timeZone: null,
    ...overrides,
  };
}
