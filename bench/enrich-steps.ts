/**
 * The enrichment steps alone, in this process: calls per second of each step on a realistic mix,
 * and of the whole ingest pipeline (validation excluded) per event, so the cost of richer
 * enrichment is visible apart from HTTP and SQLite.
 */
import { performance } from 'node:perf_hooks';
import { detectBot } from '../enrich/bot.ts';
import { clientHintsFromHeaders } from '../enrich/client-hints.ts';
import { parseCampaign } from '../enrich/campaign.ts';
import { bundledGeoPaths, openGeo } from '../enrich/geo.ts';
import { normalisePageUrl } from '../enrich/page-url.ts';
import { classifySource } from '../enrich/source.ts';
import { createUserAgentParser } from '../enrich/user-agent.ts';
import type { TrackedEvent } from '../collector/event-schema.ts';
import { createIngest } from '../collector/ingest.ts';
import { createPageviewRate } from '../collector/pageview-rate.ts';
import { USER_AGENTS } from './traffic.ts';

const REFERRERS = [
  null,
  null,
  'https://www.google.com/',
  'https://www.bing.com/search?q=self+hosted+analytics',
  'https://news.ycombinator.com/',
  'https://l.facebook.com/',
  'https://chatgpt.com/',
  'https://bench.example/docs',
  'https://some-blog.example/post',
];
const URLS = [
  'https://bench.example/',
  'https://bench.example/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=nov',
  'https://bench.example/docs/install',
  'https://bench.example/blog/why-self-host?gclid=abc123',
];

/** Random public IPv4 addresses: geo lookups are not cached by address. */
function randomAddresses(count: number): string[] {
  return Array.from({ length: count }, () => `${1 + Math.floor(Math.random() * 222)}.${Math.floor(Math.random() * 256)}.${Math.floor(Math.random() * 256)}.${1 + Math.floor(Math.random() * 254)}`);
}

/** Calls per second of `run` over about `seconds`, after a short warm-up. */
function rate(run: (i: number) => unknown, seconds = 0.6): number {
  for (let i = 0; i < 2_000; i++) run(i);
  let calls = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  while (performance.now() < deadline) {
    for (let i = 0; i < 500; i++) run(calls + i);
    calls += 500;
  }
  return calls / ((performance.now() - started) / 1000);
}

export interface EnrichFigure {
  step: string;
  callsPerSecond: number;
}

export function measureEnrichSteps(): EnrichFigure[] {
  const geo = openGeo(bundledGeoPaths());
  const addresses = randomAddresses(50_000);
  const cachedParser = createUserAgentParser();
  // Every call a new string: what a flood of distinct user agents costs once the cache no longer helps.
  const uncachedParser = createUserAgentParser({ cacheSize: 1 });
  const hints = clientHintsFromHeaders((name) =>
    ({ 'sec-ch-ua': '"Chromium";v="131", "Google Chrome";v="131", "Not_A Brand";v="24"', 'sec-ch-ua-mobile': '?0', 'sec-ch-ua-platform': '"Windows"' })[name],
  );
  const pages = URLS.map((url) => normalisePageUrl(url)!);
  const ingest = createIngest({
    resolveSite: () => ({ id: 1, timeZone: 'UTC', sessionTimeoutMs: 1_800_000, hashRouting: false, queryKeys: [], requireConsent: false }),
    geo,
    parseUserAgent: cachedParser,
    anonymousVisitorId: () => 'anonymous0000000000001',
    tooFast: createPageviewRate(),
  });
  const events: TrackedEvent[] = URLS.map((url, i) => ({
    type: 'pageview',
    site: 'bench.example',
    id: `benchEvent${i}00000000000`,
    visitor: `benchVisitor${i}0000000000`,
    url,
    referrer: REFERRERS[i % REFERRERS.length] ?? undefined,
    title: 'A page',
  }));

  const figures: EnrichFigure[] = [
    { step: 'user agent, cached (8 browsers)', callsPerSecond: rate((i) => cachedParser(USER_AGENTS[i % USER_AGENTS.length]!)) },
    { step: 'user agent + client hints, cached', callsPerSecond: rate((i) => cachedParser(USER_AGENTS[i % USER_AGENTS.length]!, hints)) },
    { step: 'user agent, uncached', callsPerSecond: rate((i) => uncachedParser(`${USER_AGENTS[i % USER_AGENTS.length]} Build/${i}`), 0.4) },
    { step: 'bot check (isbot, cached)', callsPerSecond: rate((i) => detectBot({ userAgent: USER_AGENTS[i % USER_AGENTS.length], purpose: null })) },
    { step: 'geo lookup (random IPv4)', callsPerSecond: rate((i) => geo.lookup(addresses[i % addresses.length]!)) },
    { step: 'page URL', callsPerSecond: rate((i) => normalisePageUrl(URLS[i % URLS.length]!)) },
    { step: 'campaign', callsPerSecond: rate((i) => parseCampaign(pages[i % pages.length]!.query)) },
    {
      step: 'source (referrer + campaign)',
      callsPerSecond: rate((i) => {
        const page = pages[i % pages.length]!;
        return classifySource({ referrer: REFERRERS[i % REFERRERS.length]!, pageHost: page.host, campaign: parseCampaign(page.query) });
      }),
    },
    {
      step: 'whole pipeline per event (cached UA)',
      callsPerSecond: rate((i) =>
        ingest([events[i % events.length]!], { userAgent: USER_AGENTS[i % USER_AGENTS.length]!, address: addresses[i % addresses.length]!, purpose: null, hints, receivedAt: i * 1000 }),
      ),
    },
  ];
  geo.close();
  return figures;
}
