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
  themes: JourneyTheme[];
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
  themes: JourneyTheme[];
}

/** A theme's lifetime interest for a visitor or person (decayed by the site's half-life), most first. */
export interface JourneyTheme {
  themeId: string;
  interest: number;
  daysActive: number;
  lastDay: string;
}

export interface Theme {
  /** Lower-case letters, digits and "-": "horse-racing". */
  id: string;
  name: string;
  /** The sentence pages are compared with. */
  description: string;
}

export interface ThemeRule {
  themeId: string;
  effect: 'force' | 'forbid';
  /** A path glob: `*` within a segment, `**` across. */
  urlPattern?: string;
  words?: string[];
}

export interface SiteThemes {
  themes: Theme[];
  rules: ThemeRule[];
}

export interface ThemesResponse extends SiteThemes {
  site: string;
  version: number;
}

export interface ThemeDay extends DayCount {
  /** Engaged minutes on the theme's pages, weighted by how much each page is about it. */
  interest: number;
}

export interface ThemeReport {
  id: string;
  name: string;
  /** Pages given the theme, whenever they were seen. */
  pages: number;
  /** Pageviews of those pages in the period. */
  pageviews: number;
  topPages: { path: string; pageviews: number; visitors: number; score: number }[];
  perDay: ThemeDay[];
}

export interface ThemeReportResponse {
  site: string;
  from: string;
  to: string;
  /** Pages with a text, and those scored against the current themes. */
  pages: { pages: number; scored: number };
  themes: ThemeReport[];
}

export interface RuledTheme {
  effect: 'force' | 'forbid';
  /** The rule in words. */
  rule: string;
}

export interface PageThemesResponse {
  path: string;
  url: string;
  text: Record<string, string | null>;
  lang: string | null;
  /** False until the scorer has read the page. */
  scored: boolean;
  scores: { themeId: string; score: number; chosen: boolean; words: string[]; ruled: RuledTheme | null }[];
}

export interface PageToScore {
  url: string;
  title?: string;
  description?: string;
  lang?: string;
}

export interface TriedPage {
  lang: string;
  /** Every theme, best first. */
  scores: { themeId: string; score: number; words: string[] }[];
  /** The nearest "no theme" reference: a theme must beat it to be chosen. */
  none: number;
  chosen: string[];
  ruled: (RuledTheme & { themeId: string })[];
}

export type TraitValue = string | number | boolean;

export interface SegmentDefinition {
  name: string;
  themeId: string;
  minDays: number;
  windowDays: number;
  minInterest: number;
  seenWithinDays: number;
  traits?: Record<string, TraitValue | TraitValue[]>;
  countries?: string[];
  deviceTypes?: string[];
}

export interface Segment {
  id: number;
  definition: SegmentDefinition;
  createdAt: string;
  updatedAt: string;
}

export interface SegmentsResponse {
  segments: Segment[];
}

export interface SegmentMember {
  /** The device used last. */
  visitorId: string;
  visitorIds: string[];
  personId: string | null;
  hashedEmail: string | null;
  interest: number;
  daysActive: number;
  lastSeen: string;
  topPages: string[];
}

export interface SegmentMembersResponse {
  size: number;
  members: SegmentMember[];
}

export interface SegmentPreview {
  size: number;
  /** Members who are identified people. */
  people: number;
  sample: SegmentMember[];
}
