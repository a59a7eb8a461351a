import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, newId, pageview, send, startTestServer, type TestServer } from './helpers/test-server.ts';

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const FIREFOX_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const site = 'stats.example';
const at = (path: string) => `https://${site}${path}`;

let server: TestServer;

// Day 1 (2026-11-02): ann reads two pages from Hacker News over 90 s, then signs up; bob bounces from Google on his phone.
// Day 2 (2026-11-03): ann comes back directly and bounces.
beforeAll(async () => {
  server = await startTestServer({ startTime: Date.parse('2026-11-02T10:00:00Z') });
  const ann = { site, visitor: 'annVisitor00000001' };
  await send(server, pageview({ ...ann, url: at('/'), title: 'Home', referrer: 'https://news.ycombinator.com/' }), { userAgent: FIREFOX_UA });
  server.advance(90_000);
  await send(server, pageview({ ...ann, url: at('/pricing'), title: 'Pricing', referrer: at('/') }), { userAgent: FIREFOX_UA });
  server.advance(5_000);
  await send(server, { type: 'event', ...ann, id: newId(), url: at('/pricing'), name: 'signup', props: { plan: 'pro' } }, { userAgent: FIREFOX_UA });
  await send(server, pageview({ site, visitor: 'bobVisitor00000001', url: at('/pricing'), referrer: 'https://www.google.com/' }), { userAgent: IPHONE_UA });
  await send(server, pageview({ site, url: at('/'), visitor: 'botVisitor00000001' }), { userAgent: 'curl/8.5.0' });
  server.advance(24 * 3_600_000);
  await send(server, pageview({ ...ann, url: at('/blog'), title: 'Blog' }), { userAgent: FIREFOX_UA });
});
afterAll(async () => {
  await server.stop();
});

describe('GET /api/sites/:site/stats', () => {
  it('sums the period', async () => {
    const { status, json } = await api(server, `/api/sites/${site}/stats?from=2026-11-01&to=2026-11-03`);
    expect(status).toBe(200);
    expect(json).toMatchObject({ site, from: '2026-11-01', to: '2026-11-03' });
    // Three sessions: ann's first (3 events, not a bounce), bob's (bounce), ann's second (bounce).
    expect(json.totals).toEqual({ visitors: 2, sessions: 3, pageviews: 4, bounceRate: 2 / 3, avgDurationSeconds: 95 / 3 });
    expect(json.pageviewsPerDay).toEqual([
      { day: '2026-11-01', pageviews: 0, visitors: 0 },
      { day: '2026-11-02', pageviews: 3, visitors: 2 },
      { day: '2026-11-03', pageviews: 1, visitors: 1 },
    ]);
    expect(json.topPages).toEqual([
      { path: '/pricing', pageviews: 2, visitors: 2 },
      { path: '/', pageviews: 1, visitors: 1 },
      { path: '/blog', pageviews: 1, visitors: 1 },
    ]);
    expect(json.topReferrers).toEqual([
      { source: '(direct)', medium: 'direct', sessions: 1, visitors: 1 },
      { source: 'Google', medium: 'search', sessions: 1, visitors: 1 },
      { source: 'Hacker News', medium: 'social', sessions: 1, visitors: 1 },
    ]);
    expect(json.channels).toEqual([
      { medium: 'direct', sessions: 1, visitors: 1 },
      { medium: 'search', sessions: 1, visitors: 1 },
      { medium: 'social', sessions: 1, visitors: 1 },
    ]);
    expect(json.browsers).toEqual([
      { browser: 'Firefox', sessions: 2, visitors: 1 },
      { browser: 'Mobile Safari', sessions: 1, visitors: 1 },
    ]);
    expect(json.devices).toEqual([
      { deviceType: 'desktop', sessions: 2, visitors: 1 },
      { deviceType: 'mobile', sessions: 1, visitors: 1 },
    ]);
    // Loopback addresses have no place.
    expect(json.countries).toEqual([{ country: null, sessions: 3, visitors: 2 }]);
    expect(json.dropped).toEqual([{ reason: 'bot-user-agent', count: 1 }]);
  });

  it('narrows to one day', async () => {
    const { json } = await api(server, `/api/sites/${site}/stats?from=2026-11-03&to=2026-11-03`);
    expect(json.totals).toMatchObject({ visitors: 1, sessions: 1, pageviews: 1, bounceRate: 1 });
  });

  it.each([
    { query: '?from=2026-13-01', error: /^from: / },
    { query: '?from=2026-11-05&to=2026-11-01', error: /after/ },
    { query: '?from=yesterday', error: /YYYY-MM-DD/ },
  ])('refuses the period $query', async ({ query, error }) => {
    const { status, json } = await api(server, `/api/sites/${site}/stats${query}`);
    expect(status).toBe(400);
    expect(json.error).toMatch(error);
  });

  it('answers 404 for an unknown site', async () => {
    const { status, json } = await api(server, '/api/sites/nowhere.example/stats');
    expect(status).toBe(404);
    expect(json.error).toMatch(/unknown site/);
  });
});

describe('visitors and journeys', () => {
  it('lists recent visitors, latest first', async () => {
    const { json } = await api(server, `/api/sites/${site}/visitors?from=2026-11-01&to=2026-11-03`);
    expect(json.visitors.map((v: { visitorId: string }) => v.visitorId)).toEqual(['annVisitor00000001', 'bobVisitor00000001']);
    expect(json.visitors[0]).toMatchObject({
      sessions: 2,
      pageviews: 3,
      firstSource: 'Hacker News',
      firstSeen: '2026-11-02T10:00:00.000Z',
      lastSeen: '2026-11-03T10:01:35.000Z',
      browser: 'Firefox',
      os: 'Windows',
      deviceType: 'desktop',
    });
  });

  it('gives one visitor\'s journey: sessions with their pages and events in time order', async () => {
    const { status, json } = await api(server, `/api/sites/${site}/visitors/annVisitor00000001`);
    expect(status).toBe(200);
    expect(json.visitor).toMatchObject({
      visitorId: 'annVisitor00000001',
      firstSource: 'Hacker News',
      lastSource: '(direct)',
      daysActive: 2,
      // Loopback addresses have no place.
      countries: [],
      deviceTypes: ['desktop'],
    });
    expect(json.sessions).toHaveLength(2);
    const [first, second] = json.sessions;
    expect(first).toMatchObject({
      startedAt: '2026-11-02T10:00:00.000Z',
      endedAt: '2026-11-02T10:01:35.000Z',
      durationSeconds: 95,
      entryPath: '/',
      exitPath: '/pricing',
      pageviews: 2,
      bounced: false,
      source: 'Hacker News',
      medium: 'social',
      searchTerm: null,
      referrer: 'https://news.ycombinator.com/',
      device: { browser: 'Firefox', os: 'Windows', deviceType: 'desktop' },
    });
    expect(first.events.map((e: any) => [e.type, e.path, e.name, e.title, e.props])).toEqual([
      ['pageview', '/', null, 'Home', {}],
      ['pageview', '/pricing', null, 'Pricing', {}],
      ['event', '/pricing', 'signup', null, { plan: 'pro' }],
    ]);
    expect(second).toMatchObject({ entryPath: '/blog', source: '(direct)', bounced: true, pageviews: 1 });
  });

  it('answers 404 for an unknown visitor', async () => {
    const { status } = await api(server, `/api/sites/${site}/visitors/nobody`);
    expect(status).toBe(404);
  });
});

describe('the admin token', () => {
  it.each([
    { name: 'no token', token: '' },
    { name: 'a wrong token', token: 'test-admin-token-0123456780' },
    { name: 'a prefix of the token', token: 'test-admin-token' },
  ])('refuses $name with 401', async ({ token }) => {
    const { status, json } = await api(server, '/api/sites', token);
    expect(status).toBe(401);
    expect(json.error).toMatch(/admin token/);
  });

  it('lists the sites with the right token', async () => {
    const { json } = await api(server, '/api/sites');
    expect(json.sites.map((s: { domain: string }) => s.domain)).toEqual(['demo.localhost', site]);
  });
});

describe('GET /api/ingest', () => {
  it('counts rejected requests by reason', async () => {
    await send(server, '{not json');
    const { json } = await api(server, '/api/ingest');
    expect(json.rejected['invalid-json']).toBeGreaterThanOrEqual(1);
  });
});
