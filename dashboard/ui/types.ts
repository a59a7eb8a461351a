// Shapes of the dashboard JSON API (see the API section of ARCHITECTURE.md).
// Every string here comes from tracked pages and is untrusted: render with render.ts only.

export interface Site {
  domain: string;
  createdAt: string;
  /** Days and periods are counted in it. */
  timeZone: string;
}

export interface SitesResponse {
  sites: Site[];
}

export interface Totals {
  visitors: number;
  sessions: number;
  pageviews: number;
  /** 0..1 */
  bounceRate: number;
  avgDurationSeconds: number;
}

export interface DayCount {
  day: string;
  pageviews: number;
  visitors: number;
}

export interface StatsResponse {
  site: string;
  from: string;
  to: string;
  totals: Totals;
  pageviewsPerDay: DayCount[];
  topPages: { path: string; pageviews: number; visitors: number }[];
  /** `medium` is one of search, social, email, ai-assistant, referral, direct, paid, campaign. */
  topReferrers: { source: string; medium: string; sessions: number; visitors: number }[];
  channels: { medium: string; sessions: number; visitors: number }[];
  countries: { country: string | null; visitors: number }[];
  browsers: { browser: string | null; visitors: number }[];
  devices: { deviceType: string | null; visitors: number }[];
  dropped: { reason: string; count: number }[];
}

export interface VisitorSummary {
  visitorId: string;
  firstSeen: string;
  lastSeen: string;
  sessions: number;
  pageviews: number;
  firstSource: string | null;
  /** The source of the latest visit; "(direct)" for none. */
  lastSource: string;
  country: string | null;
  city: string | null;
  browser: string | null;
  os: string | null;
  deviceType: string | null;
}

export interface VisitorsResponse {
  visitors: VisitorSummary[];
}

export type PropValue = string | number | boolean | null;

export interface JourneyEvent {
  id: string;
  time: string;
  type: 'pageview' | 'event';
  name: string | null;
  path: string;
  title: string | null;
  props: Record<string, PropValue>;
}

export interface JourneySession {
  sessionId: number;
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
  entryPath: string;
  exitPath: string;
  pageviews: number;
  bounced: boolean;
  source: string;
  medium: string;
  searchTerm: string | null;
  referrer: string | null;
  utm: { source: string | null; medium: string | null; campaign: string | null };
  place: { country: string | null; region: string | null; city: string | null };
  device: { browser: string | null; os: string | null; deviceType: string | null };
  events: JourneyEvent[];
}

/** A part of a visitor's history that belongs to a person; null ends are open. */
export interface PersonRange {
  from: string | null;
  until: string | null;
}

export interface JourneyResponse {
  visitor: VisitorSummary & {
    /** Distinct days with a visit, in the site's time zone. */
    daysActive: number;
    countries: string[];
    deviceTypes: string[];
    /** Whose history this is, part by part (a shared device has several). */
    people: (PersonRange & { personId: string })[];
    /** Who uses the device now: the last part's person. */
    personId: string | null;
  };
  sessions: JourneySession[];
}

export interface PersonJourneyResponse {
  person: {
    personId: string;
    firstIdentified: string | null;
    lastIdentified: string | null;
    traits: Record<string, PropValue>;
    crm: { traits: Record<string, PropValue>; importedAt: string } | null;
    visitors: (PersonRange & { visitorId: string })[];
    firstSeen: string | null;
    lastSeen: string | null;
    sessions: number;
    pageviews: number;
    firstSource: string | null;
    lastSource: string | null;
    daysActive: number;
    countries: string[];
    deviceTypes: string[];
  };
  sessions: (JourneySession & { visitorId: string })[];
}
