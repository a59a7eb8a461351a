import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, MAX_EVENTS_PER_BATCH } from '../collector/event-schema.ts';
import { CHROME_UA, newId, pageview, send, startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;
const count = (sql: string, ...params: unknown[]) => Object.values(server.query(sql, ...params)[0]!)[0] as number;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('POST /e', () => {
  it('stores a valid pageview, enriched, and answers 202 once committed', async () => {
    const event = pageview({
      site: 'shop.example',
      visitor: 'visitorEnriched0001',
      url: 'https://Shop.Example:443/Pricing%20Plans?utm_source=Newsletter&utm_medium=email&utm_campaign=nov&session=secret#top',
      referrer: 'https://www.google.com/',
      title: 'Pricing',
      description: 'Our plans',
      screenWidth: 1920,
      screenHeight: 1080,
      viewportWidth: 1280,
      viewportHeight: 800,
      language: 'fr-FR',
      timeZone: 'Europe/Paris',
      time: 1_700_000_000_000,
    });
    const answer = await send(server, event);
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ accepted: 1, duplicates: 0 });

    const [row] = server.query<Record<string, unknown>>('SELECT * FROM events WHERE event_id = ?', event.id);
    expect(row).toMatchObject({
      type: 'pageview',
      visitor_id: 'visitorEnriched0001',
      host: 'shop.example',
      path: '/Pricing Plans',
      // Only campaign keys survive: other query parameters may carry personal data.
      url: 'https://shop.example/Pricing%20Plans?utm_source=Newsletter&utm_medium=email&utm_campaign=nov',
      title: 'Pricing',
      description: 'Our plans',
      referrer: 'https://www.google.com/',
      referrer_host: 'google.com',
      // The campaign's tags win over the referrer, as in the analytics tools marketers know.
      medium: 'email',
      source: 'newsletter',
      utm_source: 'newsletter',
      utm_medium: 'email',
      utm_campaign: 'nov',
      browser: 'Chrome',
      os: 'Linux',
      device_type: 'desktop',
      screen_width: 1920,
      viewport_height: 800,
      language: 'fr-FR',
      time_zone: 'Europe/Paris',
      client_ts: 1_700_000_000_000,
      ts: expect.any(Number),
      session_id: expect.any(Number),
    });
    const [session] = server.query<Record<string, unknown>>('SELECT * FROM sessions WHERE id = ?', row!.session_id);
    expect(session).toMatchObject({ entry_path: '/Pricing Plans', exit_path: '/Pricing Plans', pageviews: 1, medium: 'email', source: 'newsletter' });
    expect(server.query('SELECT * FROM sites WHERE domain = ?', 'shop.example')).toHaveLength(1);
  });

  it('never writes the client address anywhere', async () => {
    await send(server, pageview({ visitor: undefined, url: 'https://example.com/anonymous' }));
    const dump = server.query<{ sql: string }>("SELECT name AS sql FROM sqlite_master WHERE type = 'table'");
    for (const { sql: table } of dump) {
      const rows = server.query(`SELECT * FROM "${table}"`);
      expect(JSON.stringify(rows)).not.toContain('127.0.0.1');
    }
  });

  it('takes a batch as application/json and stores each event', async () => {
    const visitor = 'visitorBatch000001';
    const events = [
      pageview({ visitor, url: 'https://example.com/a' }),
      { type: 'event', site: 'example.com', id: newId('ev'), visitor, url: 'https://example.com/a', name: 'signup', props: { plan: 'pro', seats: 3, trial: true } },
      pageview({ visitor, url: 'https://example.com/b' }),
    ];
    const answer = await send(server, events, { contentType: 'application/json; charset=utf-8' });
    expect(answer).toMatchObject({ status: 202, json: { accepted: 3, duplicates: 0 } });
    expect(count('SELECT count(*) FROM events WHERE visitor_id = ?', visitor)).toBe(3);
    const [custom] = server.query<{ name: string; props: string }>("SELECT name, props FROM events WHERE visitor_id = ? AND type = 'event'", visitor);
    expect(custom).toEqual({ name: 'signup', props: JSON.stringify({ plan: 'pro', seats: 3, trial: true }) });
  });

  it('stores a replayed event id once and still acknowledges it', async () => {
    const event = pageview({ visitor: 'visitorReplay00001' });
    expect((await send(server, event)).json).toEqual({ accepted: 1, duplicates: 0 });
    expect((await send(server, event)).json).toEqual({ accepted: 1, duplicates: 1 });
    expect((await send(server, [event, event])).json).toEqual({ accepted: 2, duplicates: 2 });
    expect(count('SELECT count(*) FROM events WHERE event_id = ?', event.id)).toBe(1);
    expect(server.query('SELECT sessions FROM visitors WHERE visitor_id = ?', 'visitorReplay00001')).toEqual([{ sessions: 1 }]);
    expect(server.query('SELECT pageviews FROM sessions WHERE visitor_id = ?', 'visitorReplay00001')).toEqual([{ pageviews: 1 }]);
  });

  const oversizeBody = JSON.stringify([pageview({ title: 'x'.repeat(500) })]).padEnd(MAX_BODY_BYTES + 10, ' ');
  const badInputs: { name: string; body: unknown; contentType?: string; userAgent?: string; status: number; error: RegExp }[] = [
    { name: 'malformed JSON', body: '{"type": "pageview",', status: 400, error: /not valid JSON/ },
    { name: 'a field of the wrong type', body: pageview({ url: 42 }), status: 400, error: /^url: / },
    { name: 'an unknown key', body: pageview({ colour: 'red' }), status: 400, error: /unknown field "colour"/ },
    { name: 'an unknown event type', body: pageview({ type: 'purchase' }), status: 400, error: /^type: / },
    { name: 'a string over its bound', body: pageview({ title: 't'.repeat(513) }), status: 400, error: /title longer than 512 characters/ },
    { name: 'a relative url', body: pageview({ url: '/pricing' }), status: 400, error: /^url: an absolute http\(s\) URL/ },
    { name: 'nested custom properties', body: { type: 'event', site: 'example.com', id: newId(), url: 'https://example.com/', name: 'x', props: { a: { b: 1 } } }, status: 400, error: /^props\.a: / },
    { name: 'a bad event inside a batch', body: [pageview(), pageview({ site: 'Not A Host' })], status: 400, error: /^1\.site: / },
    { name: 'a batch over the limit', body: Array.from({ length: MAX_EVENTS_PER_BATCH + 1 }, () => pageview()), status: 400, error: new RegExp(`at most ${MAX_EVENTS_PER_BATCH} events`) },
    { name: 'an empty batch', body: [], status: 400, error: /empty batch/ },
    { name: 'a body over 64 KB', body: oversizeBody, status: 413, error: new RegExp(`larger than ${MAX_BODY_BYTES} bytes`) },
    { name: 'another content type', body: pageview(), contentType: 'application/x-www-form-urlencoded', status: 415, error: /text\/plain or application\/json/ },
  ];

  it.each(badInputs)('answers $status to $name, and stores nothing', async ({ body, contentType, status, error }) => {
    const before = count('SELECT count(*) FROM events');
    const answer = await send(server, body, { contentType });
    expect(answer.status).toBe(status);
    expect(answer.json.error).toMatch(error);
    expect(answer.headers.get('x-waymark-error')).toBeTruthy();
    expect(count('SELECT count(*) FROM events')).toBe(before);
  });

  it.each([
    { name: 'a crawler', userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', reason: 'bot-user-agent' },
    { name: 'a headless browser', userAgent: CHROME_UA.replace('Chrome/', 'HeadlessChrome/'), reason: 'bot-user-agent' },
    { name: 'no user agent', userAgent: '', reason: 'missing-user-agent' },
  ])('drops $name without storing a visit, and counts the reason', async ({ userAgent, reason }) => {
    const before = count('SELECT count(*) FROM events');
    const dropsBefore = count('SELECT coalesce(sum(count), 0) FROM drops WHERE reason = ?', reason);
    const answer = await send(server, [pageview(), pageview()], { userAgent });
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ accepted: 0, dropped: 2, reason });
    expect(count('SELECT count(*) FROM events')).toBe(before);
    expect(count('SELECT coalesce(sum(count), 0) FROM drops WHERE reason = ?', reason)).toBe(dropsBefore + 2);
  });

  it('answers 413 to a chunked body that grows past 64 KB without declaring its length', async () => {
    const before = count('SELECT count(*) FROM events');
    const chunk = new TextEncoder().encode(' '.repeat(16 * 1024));
    const body = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(JSON.stringify(pageview())));
        for (let i = 0; i < 5; i++) controller.enqueue(chunk);
        controller.close();
      },
    });
    const response = await fetch(`${server.url}/e`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'User-Agent': CHROME_UA },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(response.status).toBe(413);
    expect(count('SELECT count(*) FROM events')).toBe(before);
  });

  it('drops prefetch requests', async () => {
    const answer = await send(server, pageview(), { headers: { 'Sec-Purpose': 'prefetch;prerender' } });
    expect(answer.json).toMatchObject({ accepted: 0, reason: 'prefetch' });
  });

  it('answers a CORS preflight from a page', async () => {
    const response = await fetch(`${server.url}/e`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://example.com', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://example.com');
  });
});

describe('with sites listed in the configuration', () => {
  let strict: TestServer;
  beforeAll(async () => {
    strict = await startTestServer({ env: { WAYMARK_SITES: 'listed.example' } });
  });
  afterAll(async () => {
    await strict.stop();
  });

  it('accepts events for a listed site and refuses others', async () => {
    expect((await send(strict, pageview({ site: 'listed.example', url: 'https://listed.example/' }))).status).toBe(202);
    const refused = await send(strict, pageview({ site: 'other.example', url: 'https://other.example/' }));
    expect(refused.status).toBe(400);
    expect(refused.json.error).toBe('site "other.example" is not registered on this collector');
    expect(strict.query("SELECT domain FROM sites ORDER BY domain")).toEqual([{ domain: 'demo.localhost' }, { domain: 'listed.example' }]);
  });

  it.each([
    { origin: 'https://listed.example', allowed: true },
    { origin: 'https://shop.listed.example', allowed: true },
    { origin: 'https://evil.example', allowed: false },
    { origin: 'https://notlisted.example', allowed: false },
  ])('lets $origin read answers: $allowed', async ({ origin, allowed }) => {
    const response = await fetch(`${strict.url}/e`, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' } });
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed ? origin : null);
  });
});

describe('sessions', () => {
  it('splits a visit after 30 minutes without an event', async () => {
    const visitor = 'visitorSessions001';
    const at = (path: string) => send(server, pageview({ visitor, url: `https://example.com${path}` }));
    await at('/one');
    server.advance(29 * 60_000);
    await at('/two');
    server.advance(30 * 60_000); // exactly 30 minutes: still the same visit
    await at('/three');
    server.advance(30 * 60_000 + 1);
    await at('/four');

    const sessions = server.query('SELECT entry_path, exit_path, pageviews, last_seen_at - started_at AS duration FROM sessions WHERE visitor_id = ? ORDER BY started_at', visitor);
    expect(sessions).toEqual([
      { entry_path: '/one', exit_path: '/three', pageviews: 3, duration: 59 * 60_000 },
      { entry_path: '/four', exit_path: '/four', pageviews: 1, duration: 0 },
    ]);
    // The visitor row counts visits; its latest visit started 89 minutes and 1 ms after the first.
    expect(server.query('SELECT sessions, last_visit_at - first_seen_at AS span FROM visitors WHERE visitor_id = ?', visitor)).toEqual([
      { sessions: 2, span: 89 * 60_000 + 1 },
    ]);
  });

  it('credits a visit to its first referrer and keeps the visitor\'s first referrer', async () => {
    const visitor = 'visitorReferrer001';
    await send(server, pageview({ visitor, referrer: 'https://news.ycombinator.com/item?id=1' }));
    await send(server, pageview({ visitor, url: 'https://example.com/next', referrer: 'https://example.com/' }));
    server.advance(31 * 60_000);
    await send(server, pageview({ visitor, referrer: 'https://www.example.com/' }));
    const sessions = server.query('SELECT medium, source FROM sessions WHERE visitor_id = ? ORDER BY started_at', visitor);
    // A visit that starts from the site's own page (a tab left open) is internal, not a source.
    expect(sessions).toEqual([
      { medium: 'social', source: 'Hacker News' },
      { medium: 'internal', source: null },
    ]);
    expect(server.query('SELECT first_source FROM visitors WHERE visitor_id = ?', visitor)).toEqual([{ first_source: 'Hacker News' }]);
  });
});

describe('GET /e.gif', () => {
  it('counts a no-script visit from the Referer header with an anonymous visitor id', async () => {
    const response = await fetch(`${server.url}/e.gif?site=pixel.example`, {
      headers: { 'User-Agent': CHROME_UA, Referer: 'https://pixel.example/noscript' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/gif');
    expect(Buffer.from(await response.arrayBuffer()).subarray(0, 6).toString()).toBe('GIF89a');
    const rows = server.query<{ path: string; visitor_id: string }>("SELECT path, visitor_id FROM events WHERE host = 'pixel.example'");
    expect(rows).toHaveLength(1);
    expect(rows[0]!.path).toBe('/noscript');
    expect(rows[0]!.visitor_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('refuses a pixel without a site', async () => {
    const response = await fetch(`${server.url}/e.gif`, { headers: { 'User-Agent': CHROME_UA, Referer: 'https://pixel.example/' } });
    expect(response.status).toBe(400);
  });
});

describe('GET /w.js', () => {
  it('serves the tracker with a long cache and an ETag', async () => {
    const response = await fetch(`${server.url}/w.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toMatch(/max-age=86400/);
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect((await response.text()).length).toBeGreaterThan(500);
    const again = await fetch(`${server.url}/w.js`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });
});

describe('GET /healthz', () => {
  it('says the store is writable', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ ok: true, store: 'writable' });
  });
});
