import { createHash, randomBytes } from 'node:crypto';

/**
 * Synthetic but realistic tracker traffic for `POST /e`: one site, a fixed population of
 * visitors visited in turn (so each comes back several times in a run and the hot session
 * state, the visitors table and its indexes all grow as in production), a handful of real
 * browser user agents (real traffic repeats a few hundred, which the UA caches absorb).
 */

export const SITE = 'bench.example';
export const VISITORS = 20_000;

// Real browsers, desktop and mobile; none may look like a bot, or the collector drops the event.
export const USER_AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPad; CPU OS 17_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
];

/** Themes of the bench's product site (bench/run.ts measures ingest with and without them). */
export const BENCH_THEMES = [
  { id: 'analytics', name: 'Web analytics', description: 'Web analytics: visitors, pageviews, sessions, traffic sources, dashboards and reports.' },
  { id: 'privacy', name: 'Privacy', description: 'Privacy and data protection: consent, cookies, tracking, GDPR and personal data.' },
  { id: 'self-hosting', name: 'Self-hosting', description: 'Self-hosting software: servers, installation, configuration, databases and upgrades.' },
  { id: 'marketing', name: 'Marketing', description: 'Marketing: campaigns, audiences, segments, advertising and customer journeys.' },
];

// Titles that say what each page is about, so pages get themes and pageviews add interest.
const TITLES: Record<string, string> = {
  '/features/journeys': 'Visitor journeys: every session and pageview of a customer',
  '/features/segments': 'Audience segments for your marketing campaigns',
  '/docs/install': 'Install the analytics server on your own machine',
  '/docs/configuration': 'Configure the server: database, ports and proxies',
  '/blog/why-self-host': 'Why we self-host our web analytics',
  '/blog/sessions-without-cookies': 'Counting sessions without cookies or consent banners',
  '/legal/privacy': 'Privacy policy: what personal data we keep',
};

const PATHS = [
  '/',
  '/pricing',
  '/features',
  '/features/journeys',
  '/features/segments',
  '/docs',
  '/docs/install',
  '/docs/configuration',
  '/docs/http-api',
  '/blog',
  '/blog/why-self-host',
  '/blog/sessions-without-cookies',
  '/blog/2026/11/release-notes',
  '/about',
  '/contact',
  '/signup',
  '/login',
  '/changelog',
  '/customers/acme',
  '/legal/privacy',
];

// First pageviews arrive from elsewhere; later ones carry the site's own page as referrer.
const ENTRY_REFERRERS = ['https://www.google.com/', '', 'https://news.ycombinator.com/', 'https://t.co/abc123', 'https://duckduckgo.com/'];
const CAMPAIGNS = ['', '', '', '?utm_source=newsletter&utm_medium=email&utm_campaign=nov', '?utm_source=x&utm_medium=social', '?gclid=abc123'];
const SCREENS: [number, number, number, number, string, string][] = [
  [1920, 1080, 1280, 800, 'en-US', 'America/New_York'],
  [2560, 1440, 1600, 900, 'fr-FR', 'Europe/Paris'],
  [390, 844, 390, 664, 'en-GB', 'Europe/London'],
  [412, 915, 412, 780, 'de-DE', 'Europe/Berlin'],
  [1440, 900, 1440, 789, 'es-ES', 'Europe/Madrid'],
];

/** The tracker's visitor ids are random: hashing the index puts them all over the B-trees, as real ones are. */
export function visitorIds(count = VISITORS): string[] {
  return Array.from({ length: count }, (_, i) => createHash('sha256').update(`bench-visitor-${i}`).digest('base64url').slice(0, 22));
}

/** A fresh event id like the tracker's (tracker/ids.ts): the clock in base 36, then 84 random bits. */
export function eventId(): string {
  return Date.now().toString(36) + randomBytes(16).toString('base64url').slice(8);
}

export interface Visit {
  userAgent: string;
  body: string;
  events: number;
}

/**
 * The request for visit number `cursor`: visitor `cursor mod VISITORS`, on their
 * `cursor / VISITORS`-th return. With `eventsPerRequest` > 1 it is a tracker batch from one
 * page session: pageviews with a custom event every fifth.
 */
export function visit(ids: readonly string[], cursor: number, eventsPerRequest: number, now = Date.now()): Visit {
  const visitor = cursor % ids.length;
  const round = Math.floor(cursor / ids.length);
  const [screenWidth, screenHeight, viewportWidth, viewportHeight, language, timeZone] = SCREENS[visitor % SCREENS.length]!;
  const events: object[] = [];
  for (let i = 0; i < eventsPerRequest; i++) {
    const step = round * eventsPerRequest + i;
    const path = PATHS[(visitor + step) % PATHS.length]!;
    const url = `https://${SITE}${path}${step === 0 ? CAMPAIGNS[visitor % CAMPAIGNS.length] : ''}`;
    const common = { site: SITE, id: eventId(), visitor: ids[visitor], url, time: now };
    if (i % 5 === 4) {
      events.push({ type: 'event', ...common, name: 'cta-click', props: { target: 'signup', position: i } });
      continue;
    }
    // A direct visit has no referrer at all; undefined keeps the key out of the JSON, as the tracker does.
    const referrer = step === 0 ? ENTRY_REFERRERS[visitor % ENTRY_REFERRERS.length] || undefined : `https://${SITE}${PATHS[(visitor + step - 1) % PATHS.length]}`;
    events.push({
      type: 'pageview',
      ...common,
      referrer,
      title: TITLES[path] ?? `Waymark — ${path}`,
      screenWidth,
      screenHeight,
      viewportWidth,
      viewportHeight,
      language,
      timeZone,
    });
  }
  return {
    userAgent: USER_AGENTS[visitor % USER_AGENTS.length]!,
    body: JSON.stringify(eventsPerRequest === 1 ? events[0] : events),
    events: eventsPerRequest,
  };
}
