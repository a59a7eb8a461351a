import type { Campaign } from '../enrich/campaign.ts';
import type { Place } from '../enrich/geo.ts';
import type { Source } from '../enrich/source.ts';
import type { Device } from '../enrich/user-agent.ts';

/** One event as it is stored: validated, enriched, and stripped of the client's address. */
export interface EnrichedEvent {
  siteId: number;
  /** The site's rules for cutting visits (collector/sites.ts), as they were when the event arrived. */
  siteTimeZone: string;
  sessionTimeoutMs: number;
  eventId: string;
  /**
   * When the event happened (ms): the server's receive time, less how long the event waited on the
   * device when the tracker says (`sent` - `time`, one clock, so a wrong clock cannot move it). The
   * session rules run on it, so a late beacon or a replayed offline queue lands in its own visit.
   */
  time: number;
  clientTime: number | null;
  type: 'pageview' | 'event';
  name: string | null;
  props: Record<string, string | number | boolean> | null;
  visitorId: string;
  url: string;
  host: string;
  path: string;
  title: string | null;
  description: string | null;
  /** Page text beyond title and description, for the page's themes (kept per page, not per event). */
  keywords: string | null;
  ogTitle: string | null;
  ogDescription: string | null;
  pageLang: string | null;
  referrer: string | null;
  referrerHost: string | null;
  /** Where the visit came from: medium, source name and search term, from the referrer and the campaign. */
  source: Source;
  campaign: Campaign;
  device: Device;
  place: Place;
  screenWidth: number | null;
  screenHeight: number | null;
  viewportWidth: number | null;
  viewportHeight: number | null;
  language: string | null;
  timeZone: string | null;
}

/** Traffic filtered out at ingest, counted per site, day (in the site's time zone) and reason. */
export interface Drop {
  siteId: number;
  day: string;
  reason: string;
}

/** How long a pageview was visible and how far it was scrolled, as the tracker reports it when the page is hidden. */
export interface Engagement {
  siteId: number;
  /** The client id of the pageview this is about. */
  pageviewId: string;
  visitorId: string;
  time: number;
  engagedMs: number;
  scrollDepth: number | null;
}

/** What one request gives the store: written together, acknowledged together. */
export interface WriteBatch {
  events: readonly EnrichedEvent[];
  drops?: readonly Drop[];
  identities?: readonly Identity[];
  engagements?: readonly Engagement[];
}

/** An identify call, as stored: from `time` on (and back to the start of its history) the visitor is this person. */
export interface Identity {
  siteId: number;
  eventId: string;
  time: number;
  visitorId: string;
  personId: string;
  traits: Record<string, string | number | boolean> | null;
  /** The site's rules for cutting visits: a claim that hands the device to another person cuts them again. */
  siteTimeZone: string;
  sessionTimeoutMs: number;
}
