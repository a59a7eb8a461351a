// Erasure and retention (issue 4) through the real server, its writer thread and its SQLite file, on an injected clock.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../collector/config.ts';
import { startCollector } from '../collector/server.ts';
import { api, newId, pageview, send, startTestServer, type TestServer } from './helpers/test-server.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const site = 'erase.example';
const at = (path: string) => `https://${site}${path}`;
const ANN = 'annErasureVisitor01';
const BOB = 'bobErasureVisitor01';

async function eraseVisitor(server: TestServer, visitorId: string, { domain = site, token = server.adminToken } = {}) {
  const response = await fetch(`${server.url}/api/sites/${domain}/visitors/${encodeURIComponent(visitorId)}`, {
    method: 'DELETE',
    headers: { Authorization: `Bearer ${token}` },
  });
  return { status: response.status, json: (await response.json()) as any };
}

/** Every table and column of the file (whatever later migrations add) where the text appears. */
function placesNaming(server: TestServer, text: string): string[] {
  const places: string[] = [];
  for (const { name: table } of server.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")) {
    for (const { name: column } of server.query<{ name: string }>('SELECT name FROM pragma_table_info(?)', table)) {
      const [found] = server.query<{ n: number }>(`SELECT count(*) AS n FROM "${table}" WHERE instr(CAST("${column}" AS TEXT), ?) > 0`, text);
      if (found!.n > 0) places.push(`${table}.${column} (${found!.n})`);
    }
  }
  return places;
}

describe('DELETE /api/sites/:site/visitors/:visitorId', () => {
  let server: TestServer;
  let bobBefore: unknown;
  const bobRows = () => ({
    events: server.query('SELECT * FROM events WHERE visitor_id = ? ORDER BY id', BOB),
    sessions: server.query('SELECT * FROM sessions WHERE visitor_id = ? ORDER BY id', BOB),
    visitors: server.query('SELECT * FROM visitors WHERE visitor_id = ?', BOB),
  });

  // ann: a visit of two pages and a custom event, then a second visit the next day; bob: one page.
  beforeAll(async () => {
    server = await startTestServer({ startTime: Date.parse('2026-11-02T10:00:00Z') });
    const ann = { site, visitor: ANN };
    await send(server, pageview({ ...ann, url: at('/'), referrer: 'https://news.ycombinator.com/' }));
    server.advance(MINUTE);
    await send(server, pageview({ ...ann, url: at('/pricing') }));
    await send(server, { type: 'event', ...ann, id: newId(), url: at('/pricing'), name: 'signup', props: { plan: 'pro' } });
    await send(server, pageview({ site, visitor: BOB, url: at('/blog') }));
    await send(server, pageview({ site, visitor: 'botErasureVisitor01', url: at('/') }), { userAgent: 'curl/8.5.0' });
    server.advance(DAY);
    const last = pageview({ ...ann, url: at('/') });
    await send(server, last);
    await send(server, { type: 'engagement', ...ann, id: newId(), url: at('/'), pageview: last.id, engagedMs: 5_000, scrollDepth: 40 });
    bobBefore = bobRows();
    expect(placesNaming(server, ANN)).toEqual(['events.visitor_id (4)', 'sessions.visitor_id (2)', 'visitors.visitor_id (1)', 'engagements.visitor_id (1)']);
  });
  afterAll(async () => {
    await server.stop();
  });

  it('needs the admin token', async () => {
    expect((await eraseVisitor(server, ANN, { token: 'not-the-admin-token-0000' })).status).toBe(401);
    expect(placesNaming(server, ANN)).not.toEqual([]);
  });

  it('answers 404 for a visitor the site has not seen, and for an unknown site', async () => {
    expect(await eraseVisitor(server, 'nobodyVisitor000001')).toEqual({ status: 404, json: { error: `no visitor "nobodyVisitor000001" on ${site}` } });
    expect(await eraseVisitor(server, ANN, { domain: 'elsewhere.example' })).toEqual({ status: 404, json: { error: 'unknown site "elsewhere.example"' } });
    expect((await eraseVisitor(server, 'x'.repeat(65))).status).toBe(404);
  });

  describe('once the visitor is erased', () => {
    beforeAll(async () => {
      expect(await eraseVisitor(server, ANN)).toEqual({ status: 200, json: { erased: { events: 5, sessions: 2, visitors: 1, identities: 0, people: 0 } } });
    });

    it('leaves no row anywhere that names the visitor', () => {
      expect(placesNaming(server, ANN)).toEqual([]);
    });

    it('leaves the other visitor as it was', () => {
      expect(bobRows()).toEqual(bobBefore);
    });

    it('no longer counts it in the stats', async () => {
      const { json } = await api(server, `/api/sites/${site}/stats?from=2026-11-02&to=2026-11-03`);
      expect(json.totals).toMatchObject({ visitors: 1, sessions: 1, pageviews: 1 });
      expect(json.topPages).toEqual([{ path: '/blog', pageviews: 1, visitors: 1 }]);
      // Filtered-out traffic names no visitor and is kept.
      expect(json.dropped).toEqual([{ reason: 'bot-user-agent', count: 1 }]);
      const list = await api(server, `/api/sites/${site}/visitors?from=2026-11-02&to=2026-11-03`);
      expect(list.json.visitors.map((v: { visitorId: string }) => v.visitorId)).toEqual([BOB]);
    });

    it('answers its journey with 404, and a second erasure with 404', async () => {
      expect((await api(server, `/api/sites/${site}/visitors/${ANN}`)).status).toBe(404);
      expect((await eraseVisitor(server, ANN)).status).toBe(404);
      expect((await api(server, `/api/sites/${site}/visitors/${BOB}`)).status).toBe(200);
    });

    it('starts a fresh visit when the same id comes back, within the erased visit’s timeout', async () => {
      server.advance(MINUTE);
      const returning = await send(server, pageview({ site, visitor: ANN, url: at('/again') }));
      expect(returning.json).toMatchObject({ accepted: 1 });
      // Had the writer kept its hot session, this event would have joined the deleted visit, and no session or visitor row would name it.
      const { status, json } = await api(server, `/api/sites/${site}/visitors/${ANN}`);
      expect(status).toBe(200);
      expect(json.visitor).toMatchObject({ sessions: 1, pageviews: 1 });
      expect(json.sessions).toHaveLength(1);
      expect(json.sessions[0]).toMatchObject({ startedAt: new Date(server.now()).toISOString(), entryPath: '/again', pageviews: 1 });
      expect(json.sessions[0].events.map((e: { path: string }) => e.path)).toEqual(['/again']);
      const [orphans] = server.query<{ n: number }>('SELECT count(*) AS n FROM events WHERE session_id NOT IN (SELECT id FROM sessions)');
      expect(orphans!.n).toBe(0);
    });
  });
});

describe('DELETE /api/sites/:site/people/:personId', () => {
  let server: TestServer;
  const ANN_PERSON = 'a'.repeat(64);
  const BOB_PERSON = 'b'.repeat(64);
  const PHONE = 'annPhoneVisitor0001';
  const LAPTOP = 'sharedLaptopVisitor1';
  const identify = (visitor: string, person: string) => send(server, { type: 'identify', site, id: newId('id'), visitor, url: at('/login'), person });
  const erasePerson = async (person: string) => {
    const response = await fetch(`${server.url}/api/sites/${site}/people/${person}`, { method: 'DELETE', headers: { Authorization: `Bearer ${server.adminToken}` } });
    return { status: response.status, json: (await response.json()) as any };
  };

  // Ann uses her phone, then the shared laptop; ten minutes later Bob logs in on the laptop, which starts his own visit.
  beforeAll(async () => {
    server = await startTestServer({ startTime: Date.parse('2026-11-02T10:00:00Z') });
    await send(server, pageview({ site, visitor: PHONE, url: at('/phone-page') }));
    await identify(PHONE, ANN_PERSON);
    server.advance(DAY);
    await send(server, pageview({ site, visitor: LAPTOP, url: at('/ann-on-laptop') }));
    await identify(LAPTOP, ANN_PERSON);
    server.advance(10 * MINUTE);
    await identify(LAPTOP, BOB_PERSON);
    await send(server, pageview({ site, visitor: LAPTOP, url: at('/bob-on-laptop') }));
    expect(placesNaming(server, ANN_PERSON)).toEqual(['identities.person_id (2)', 'person_visitors.person_id (2)', 'people.person_id (1)']);
    expect(await erasePerson(ANN_PERSON)).toEqual({ status: 200, json: { erased: { events: 2, sessions: 2, visitors: 1, identities: 2, people: 1 } } });
  });
  afterAll(async () => {
    await server.stop();
  });

  it('leaves no row anywhere that names the person, or the device only they used', () => {
    expect(placesNaming(server, ANN_PERSON)).toEqual([]);
    expect(placesNaming(server, PHONE)).toEqual([]);
    expect(server.query("SELECT path FROM events WHERE path LIKE '/ann%' OR path = '/phone-page'")).toEqual([]);
  });

  it('keeps what the other person did on the shared device, cut into visits again', async () => {
    const laptop = (await api(server, `/api/sites/${site}/visitors/${LAPTOP}`)).json;
    expect(laptop.visitor).toMatchObject({ sessions: 1, pageviews: 1, personId: BOB_PERSON, people: [{ personId: BOB_PERSON, from: null, until: null }] });
    expect(laptop.sessions.map((s: any) => s.entryPath)).toEqual(['/bob-on-laptop']);
    const bob = (await api(server, `/api/sites/${site}/people/${BOB_PERSON}`)).json;
    expect(bob.person).toMatchObject({ sessions: 1, pageviews: 1 });
  });

  it('no longer counts the person in the stats, and answers 404 afterwards', async () => {
    const { json } = await api(server, `/api/sites/${site}/stats?from=2026-11-02&to=2026-11-03`);
    expect(json.totals).toMatchObject({ visitors: 1, sessions: 1, pageviews: 1 });
    expect((await api(server, `/api/sites/${site}/people/${ANN_PERSON}`)).status).toBe(404);
    expect((await erasePerson(ANN_PERSON)).status).toBe(404);
    expect((await erasePerson('not-a-person')).status).toBe(400);
  });
});

describe('retention', () => {
  let server: TestServer;
  const eventsOf = (domain: string) =>
    server.query<{ path: string }>('SELECT path FROM events WHERE site_id = (SELECT id FROM sites WHERE domain = ?) ORDER BY ts', domain).map((e) => e.path);

  beforeEach(async () => {
    server = await startTestServer({ env: { WAYMARK_RETENTION_DAYS: '30' }, startTime: Date.parse('2026-11-02T10:00:00Z') });
  });
  afterEach(async () => {
    await server.stop();
  });

  it('purges events, visits, visitors and drop counts older than WAYMARK_RETENTION_DAYS', async () => {
    await send(server, pageview({ site, visitor: ANN, url: at('/old') }));
    await send(server, pageview({ site, visitor: 'botErasureVisitor01', url: at('/') }), { userAgent: 'curl/8.5.0' });
    server.advance(20 * DAY);
    await send(server, pageview({ site, visitor: BOB, url: at('/recent') }));
    expect(await server.purgeNow()).toEqual({ events: 0, sessions: 0, visitors: 0, drops: 0 });

    server.advance(11 * DAY);
    expect(await server.purgeNow()).toEqual({ events: 1, sessions: 1, visitors: 1, drops: 1 });
    expect(eventsOf(site)).toEqual(['/recent']);
    expect(placesNaming(server, ANN)).toEqual([]);
    // The purged day's anonymous figures were rolled up first: the period still shows it.
    const { json } = await api(server, `/api/sites/${site}/stats?from=2026-11-01&to=2026-12-03`);
    expect(json.totals).toMatchObject({ visitors: 2, sessions: 2, pageviews: 2, bounceRate: 1 });
    expect(json.pageviewsPerDay.filter((day: { pageviews: number }) => day.pageviews > 0)).toEqual([
      { day: '2026-11-02', pageviews: 1, visitors: 1 },
      { day: '2026-11-22', pageviews: 1, visitors: 1 },
    ]);
    expect(json.topPages).toEqual([
      { path: '/old', pageviews: 1, visitors: 1 },
      { path: '/recent', pageviews: 1, visitors: 1 },
    ]);
    expect(json.dropped).toEqual([]);
    expect((await api(server, `/api/sites/${site}/visitors/${ANN}`)).status).toBe(404);
  });

  it('leaves nothing of the purged days when the site keeps no daily aggregates', async () => {
    await send(server, pageview({ site, visitor: ANN, url: at('/old') }));
    const patched = await fetch(`${server.url}/api/sites/${site}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ keepDailyAggregates: false }),
    });
    expect(await patched.json()).toMatchObject({ keepDailyAggregates: false });
    server.advance(20 * DAY);
    await send(server, pageview({ site, visitor: BOB, url: at('/recent') }));
    server.advance(11 * DAY);
    expect(await server.purgeNow()).toMatchObject({ events: 1, sessions: 1, visitors: 1 });
    const { json } = await api(server, `/api/sites/${site}/stats?from=2026-11-01&to=2026-12-03`);
    expect(json.totals).toMatchObject({ visitors: 1, sessions: 1, pageviews: 1 });
    expect(server.query('SELECT count(*) AS n FROM daily_aggregates')).toEqual([{ n: 0 }]);
  });

  it('follows a site’s own retention, set through the API', async () => {
    await send(server, pageview({ site, visitor: ANN, url: at('/week-old') }));
    await send(server, pageview({ site: 'other.example', visitor: ANN, url: 'https://other.example/week-old' }));
    const patched = await fetch(`${server.url}/api/sites/${site}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ retentionDays: 7 }),
    });
    expect(patched.status).toBe(200);
    server.advance(8 * DAY);
    expect(await server.purgeNow()).toMatchObject({ events: 1, sessions: 1, visitors: 1 });
    expect(eventsOf(site)).toEqual([]);
    expect(eventsOf('other.example')).toEqual(['/week-old']);
  });

  it('purges at start, so a server that was down catches up', async () => {
    await send(server, pageview({ site, visitor: ANN, url: at('/old') }));
    await server.close();
    // The same file, 31 days later.
    const config = loadConfig([], { PORT: '0', WAYMARK_HOST: '127.0.0.1', WAYMARK_DB: server.dbPath, WAYMARK_ADMIN_TOKEN: server.adminToken, WAYMARK_RETENTION_DAYS: '30' });
    const lines: string[] = [];
    const restarted = await startCollector(config, { now: () => server.now() + 31 * DAY, log: (line) => lines.push(line) });
    try {
      await expect.poll(() => server.query('SELECT count(*) AS n FROM events')).toEqual([{ n: 0 }]);
      await expect.poll(() => lines.filter((line) => line.startsWith('retention:'))).toEqual([
        'retention: purged 1 events, 1 sessions, 1 visitors and 0 daily drop counts past retention',
      ]);
    } finally {
      await restarted.close();
    }
  });
});
