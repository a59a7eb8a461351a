// The enrichment steps as deployed: the real server, its real pipeline and SQLite file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, CHROME_UA, newId, pageview, send, startTestServer, type TestServer } from './helpers/test-server.ts';

const WINDOWS_CHROME_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let server: TestServer;
const count = (sql: string, ...params: unknown[]) => Object.values(server.query(sql, ...params)[0]!)[0] as number;

async function preview(body: unknown, token = server.adminToken) {
  const response = await fetch(`${server.url}/api/enrich/preview`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as any };
}

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('POST /api/enrich/preview', () => {
  it('returns what the pipeline would store for a hit, and stores nothing', async () => {
    const before = count('SELECT count(*) FROM events');
    const { status, json } = await preview({
      site: 'example.com',
      url: 'https://Example.com/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=spring&secret=1#plans',
      referrer: 'https://www.bing.com/search?q=saddle+prices',
      userAgent: WINDOWS_CHROME_UA,
      ip: '8.8.8.8',
      headers: { 'Sec-CH-UA-Platform': '"Windows"', 'Sec-CH-UA-Platform-Version': '"15.0.0"' },
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      site: 'example.com',
      stored: true,
      bot: { dropped: false, reason: null },
      page: { host: 'example.com', path: '/pricing', url: 'https://example.com/pricing?utm_source=newsletter&utm_medium=email&utm_campaign=spring' },
      referrer: { host: 'bing.com' },
      source: { medium: 'email', source: 'newsletter' },
      campaign: { source: 'newsletter', medium: 'email', campaign: 'spring' },
      // Chrome's frozen user agent says Windows 10; the platform version hint says 11.
      device: { browser: 'Chrome', os: 'Windows', osVersion: '11', deviceType: 'desktop' },
      place: { country: 'US' },
    });
    expect(count('SELECT count(*) FROM events')).toBe(before);
  });

  it('reads the search term from a search referrer when no campaign is tagged', async () => {
    const { json } = await preview({ site: 'example.com', url: 'https://example.com/', referrer: 'https://www.bing.com/search?q=saddle+prices', userAgent: CHROME_UA });
    expect(json.source).toEqual({ medium: 'search', source: 'Bing', term: 'saddle prices' });
  });

  it('gives the bot verdict with its reason', async () => {
    const { json } = await preview({ site: 'example.com', url: 'https://example.com/', userAgent: 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)' });
    expect(json).toEqual({ site: 'example.com', stored: false, bot: { dropped: true, reason: 'bot-user-agent' } });
  });

  it('creates no site for an unknown one', async () => {
    await preview({ site: 'never-seen.example', url: 'https://never-seen.example/', userAgent: CHROME_UA });
    expect(server.query("SELECT * FROM sites WHERE domain = 'never-seen.example'")).toEqual([]);
  });

  it.each([
    { name: 'a missing user agent field', body: { site: 'example.com', url: 'https://example.com/' }, error: /^userAgent: / },
    { name: 'an address that is not one', body: { site: 'example.com', url: 'https://example.com/', userAgent: CHROME_UA, ip: '300.1.1.1' }, error: /^ip: / },
    { name: 'an unknown field', body: { site: 'example.com', url: 'https://example.com/', userAgent: CHROME_UA, cookie: 'x' }, error: /cookie/ },
  ])('refuses $name', async ({ body, error }) => {
    const { status, json } = await preview(body);
    expect(status).toBe(400);
    expect(json.error).toMatch(error);
  });

  it('needs the admin token', async () => {
    expect((await preview({}, 'wrong-token-wrong-token')).status).toBe(401);
  });
});

describe('the bot filter', () => {
  it.each<{ name: string; event: () => unknown; headers: Record<string, string>; reason: string }>([
    { name: 'a browser driven by automation', event: () => pageview({ webdriver: true }), headers: {}, reason: 'webdriver' },
    { name: 'headless client hints', event: () => pageview(), headers: { 'Sec-CH-UA': '"HeadlessChrome";v="131", "Chromium";v="131"' }, reason: 'headless-browser' },
  ])('drops $name', async ({ event, headers, reason }) => {
    const answer = await send(server, event(), { headers });
    expect(answer.json).toEqual({ accepted: 0, dropped: 1, reason });
  });

  it('drops pageviews that come faster than anyone reads, and keeps the rest', async () => {
    const visitor = newId('fast');
    const answers = [];
    // The injected clock stands still: every pageview lands in the same second.
    for (let i = 0; i < 12; i++) answers.push((await send(server, pageview({ site: 'fast.example', visitor, url: `https://fast.example/${i}` }))).json);
    expect(answers.filter((a) => a.accepted === 1)).toHaveLength(10);
    expect(answers.slice(10)).toEqual([
      { accepted: 0, dropped: 1, reason: 'impossible-timing' },
      { accepted: 0, dropped: 1, reason: 'impossible-timing' },
    ]);
    expect(count('SELECT count(*) FROM events WHERE visitor_id = ?', visitor)).toBe(10);
  });

  it('shows what was dropped, by reason and day, at GET /api/sites/:site/dropped', async () => {
    await send(server, pageview({ site: 'dropped.example', url: 'https://dropped.example/' }), { userAgent: 'curl/8.5.0' });
    await send(server, pageview({ site: 'dropped.example', url: 'https://dropped.example/', webdriver: true }));
    await send(server, pageview({ site: 'dropped.example', url: 'https://dropped.example/', webdriver: true }));
    const { status, json } = await api(server, '/api/sites/dropped.example/dropped?from=2026-11-01&to=2026-11-30');
    expect(status).toBe(200);
    expect(json.dropped).toEqual([
      { reason: 'webdriver', count: 2 },
      { reason: 'bot-user-agent', count: 1 },
    ]);
    expect(json.perDay).toEqual([
      { day: '2026-11-02', reason: 'webdriver', count: 2 },
      { day: '2026-11-02', reason: 'bot-user-agent', count: 1 },
    ]);
  });
});

describe('Do-Not-Track and Global Privacy Control', () => {
  it.each([{ header: 'DNT' }, { header: 'Sec-GPC' }])('$header: 1 counts the visit under an anonymous daily id, never the id sent', async ({ header }) => {
    const event = pageview({ visitor: 'deviceIdSentAnyway01' });
    expect((await send(server, event, { headers: { [header]: '1' } })).json.accepted).toBe(1);
    const [row] = server.query<{ visitor_id: string }>('SELECT visitor_id FROM events WHERE event_id = ?', event.id);
    expect(row!.visitor_id).not.toBe('deviceIdSentAnyway01');
    expect(row!.visitor_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});

describe('the client address', () => {
  const forwarded = { 'X-Forwarded-For': '81.2.69.160, 8.8.8.8' };

  it('ignores forwarding headers unless proxies are trusted: any client could write them', async () => {
    const event = pageview({ site: 'proxied.example', url: 'https://proxied.example/' });
    await send(server, event, { headers: forwarded });
    expect(server.query('SELECT country FROM events WHERE event_id = ?', event.id)).toEqual([{ country: null }]);
  });

  it('takes the right-most untrusted address behind a trusted proxy, not the forgeable left-most', async () => {
    const proxied = await startTestServer({ env: { WAYMARK_TRUSTED_PROXIES: '1' } });
    try {
      const event = pageview({ site: 'proxied.example', url: 'https://proxied.example/' });
      await send(proxied, event, { headers: forwarded });
      expect(proxied.query('SELECT country FROM events WHERE event_id = ?', event.id)).toEqual([{ country: 'US' }]);
    } finally {
      await proxied.stop();
    }
  });
});
