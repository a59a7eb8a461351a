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
  /** Server receive time (ms); the session rules run on it, so a wrong client clock cannot split visits. */
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
