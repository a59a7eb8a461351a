// Identify calls and people through the real server, its SQLite file and its API, on an injected clock.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, CHROME_UA, newId, pageview, send, startTestServer, type TestServer } from './helpers/test-server.ts';

const IPHONE_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const SITE = 'shop.example';
const personOf = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

let server: TestServer;

function at(iso: string) {
  server.advance(Date.parse(iso) - server.now());
}
async function view(visitor: string, path: string, userAgent = CHROME_UA) {
  const answer = await send(server, pageview({ site: SITE, visitor, url: `https://${SITE}${path}` }), { userAgent });
  expect(answer.status).toBe(202);
}
async function identify(visitor: string, email: string, traits?: Record<string, unknown>, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const event = { type: 'identify', site: SITE, id: newId('id'), visitor, url: `https://${SITE}/login`, person: personOf(email), ...(traits ? { traits } : {}), ...extra };
  return send(server, event, { headers });
}
const pathsOf = (journey: any) => journey.sessions.flatMap((s: any) => s.events.map((e: any) => e.path));

beforeAll(async () => {
  server = await startTestServer({ startTime: Date.parse('2026-11-02T08:00:00Z') });
});
afterAll(async () => {
  await server.stop();
});

describe('identify', () => {
  const phone = newId('phone');
  const laptop = newId('laptop');
  const ann = personOf('Ann@Example.com ');

  it('merges two devices into one person, retroactively, with one set of aggregates', async () => {
    at('2026-11-02T09:00:00Z'); // Monday, on the phone, anonymous at first
    await view(phone, '/shoes', IPHONE_UA);
    at('2026-11-02T09:03:00Z');
    await view(phone, '/shoes/red', IPHONE_UA);
    expect((await identify(phone, '  ann@example.com', { plan: 'free' })).json).toMatchObject({ accepted: 1 });
    at('2026-11-05T18:00:00Z'); // Thursday, on the laptop
    await view(laptop, '/cart');
    expect((await identify(laptop, 'ANN@example.com', { plan: 'pro', city: 'Lyon' })).status).toBe(202);
    at('2026-11-05T18:05:00Z');
    await view(laptop, '/checkout');

    const { status, json } = await api(server, `/api/sites/${SITE}/people/${ann}`);
    expect(status).toBe(200);
    expect(pathsOf(json)).toEqual(['/shoes', '/shoes/red', '/cart', '/checkout']);
    expect(json.sessions.map((s: any) => s.visitorId)).toEqual([phone, laptop]);
    expect(json.person).toMatchObject({
      personId: ann,
      traits: { plan: 'pro', city: 'Lyon' },
      sessions: 2,
      pageviews: 4,
      daysActive: 2,
      firstSeen: '2026-11-02T09:00:00.000Z',
      lastSeen: '2026-11-05T18:05:00.000Z',
      firstIdentified: '2026-11-02T09:03:00.000Z',
      lastIdentified: '2026-11-05T18:00:00.000Z',
      crm: null,
    });
    expect(json.person.deviceTypes.sort()).toEqual(['desktop', 'mobile']);
    expect(json.person.visitors.map((v: any) => v.visitorId).sort()).toEqual([laptop, phone].sort());

    for (const visitor of [phone, laptop]) {
      const journey = await api(server, `/api/sites/${SITE}/visitors/${visitor}`);
      expect(journey.json.visitor).toMatchObject({ personId: ann, people: [{ personId: ann, from: null, until: null }] });
    }
    // No clear address anywhere: only its hash.
    const dump = JSON.stringify(server.query('SELECT * FROM identities')) + JSON.stringify(server.query('SELECT * FROM people'));
    expect(dump).not.toMatch(/ann@example\.com/i);
  });

  it('never merges two people who shared a device: a later identify claims the device from then on', async () => {
    const bob = personOf('bob@example.com');
    at('2026-11-06T20:00:00Z');
    expect((await identify(laptop, 'bob@example.com')).status).toBe(202);
    await view(laptop, '/bobs-page');

    const annJourney = (await api(server, `/api/sites/${SITE}/people/${ann}`)).json;
    expect(pathsOf(annJourney)).toEqual(['/shoes', '/shoes/red', '/cart', '/checkout']);
    const bobJourney = (await api(server, `/api/sites/${SITE}/people/${bob}`)).json;
    expect(pathsOf(bobJourney)).toEqual(['/bobs-page']);
    expect(bobJourney.person.visitors).toEqual([{ visitorId: laptop, from: '2026-11-06T20:00:00.000Z', until: null }]);

    const laptopJourney = (await api(server, `/api/sites/${SITE}/visitors/${laptop}`)).json;
    expect(laptopJourney.visitor.personId).toBe(bob);
    expect(laptopJourney.visitor.people).toEqual([
      { personId: ann, from: null, until: '2026-11-06T20:00:00.000Z' },
      { personId: bob, from: '2026-11-06T20:00:00.000Z', until: null },
    ]);
    const list = (await api(server, `/api/sites/${SITE}/people`)).json.people;
    expect(list.map((p: any) => p.personId)).toEqual([bob, ann]);
    expect(list[1]).toMatchObject({ visitors: 2, traits: { plan: 'pro' } });
  });

  it('ends a visit where the device passes to another person, even when the claim arrives late', async () => {
    const shared = newId('shared');
    const [zoe, yan] = [personOf('zoe@example.com'), personOf('yan@example.com')];
    at('2026-11-10T09:00:00Z');
    await view(shared, '/zoe-reads');
    expect((await identify(shared, 'zoe@example.com')).status).toBe(202);
    at('2026-11-10T09:05:00Z');
    expect((await identify(shared, 'yan@example.com')).status).toBe(202);
    await view(shared, '/yan-reads');
    const visits = () => server.query<{ entry_path: string; pageviews: number }>('SELECT entry_path, pageviews FROM sessions WHERE visitor_id = ? ORDER BY started_at', shared);
    expect(visits()).toEqual([
      { entry_path: '/zoe-reads', pageviews: 1 },
      { entry_path: '/yan-reads', pageviews: 1 },
    ]);
    // Zoe comes back on it at 09:10 and reads on; her login, from a queue, arrives at 09:15 but happened at 09:12.
    at('2026-11-10T09:10:00Z');
    await view(shared, '/yan-again');
    at('2026-11-10T09:14:00Z');
    await view(shared, '/zoe-again');
    at('2026-11-10T09:15:00Z');
    expect((await identify(shared, 'zoe@example.com', undefined, { time: 1_000, sent: 1_000 + 3 * 60_000 })).status).toBe(202);
    expect(visits()).toEqual([
      { entry_path: '/zoe-reads', pageviews: 1 },
      { entry_path: '/yan-reads', pageviews: 2 },
      { entry_path: '/zoe-again', pageviews: 1 },
    ]);
    expect(pathsOf((await api(server, `/api/sites/${SITE}/people/${zoe}`)).json)).toEqual(['/zoe-reads', '/zoe-again']);
    expect(pathsOf((await api(server, `/api/sites/${SITE}/people/${yan}`)).json)).toEqual(['/yan-reads', '/yan-again']);
  });

  it('stores a replayed identify once', async () => {
    const event = { type: 'identify', site: SITE, id: newId('id'), visitor: phone, url: `https://${SITE}/`, person: ann };
    expect((await send(server, event)).json).toMatchObject({ accepted: 1, duplicates: 0 });
    expect((await send(server, event)).json).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('is not honoured without a visitor the site may follow: Do-Not-Track, or no consent where the site asks for it', async () => {
    const before = server.query('SELECT count(*) AS n FROM identities')[0];
    expect((await identify(phone, 'ann@example.com', undefined, {}, { DNT: '1' })).json).toMatchObject({ accepted: 0, reason: 'identify-without-consent' });
    const patched = await fetch(`${server.url}/api/sites/${SITE}`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ requireConsent: true }),
    });
    expect(await patched.json()).toMatchObject({ requireConsent: true });
    expect((await identify(phone, 'ann@example.com')).json).toMatchObject({ accepted: 0, reason: 'identify-without-consent' });
    expect(server.query('SELECT count(*) AS n FROM identities')[0]).toEqual(before);
    expect((await identify(phone, 'ann@example.com', undefined, { consent: true })).json).toMatchObject({ accepted: 1 });

    // Without consent a pageview is still counted, under a daily anonymous id rather than the device's.
    const consentless = newId('noconsent');
    await view(consentless, '/anonymous');
    await send(server, pageview({ site: SITE, visitor: consentless, url: `https://${SITE}/agreed`, consent: true }));
    const rows = server.query<{ path: string; visitor_id: string }>("SELECT path, visitor_id FROM events WHERE path IN ('/anonymous', '/agreed') ORDER BY id");
    expect(rows.map((r) => r.path)).toEqual(['/anonymous', '/agreed']);
    expect(rows[0]!.visitor_id).not.toBe(consentless);
    expect(rows[1]!.visitor_id).toBe(consentless);
  });

  it.each([
    { person: 'ann@example.com', error: /person: a SHA-256/ },
    { person: 'A'.repeat(64), error: /person: a SHA-256/ },
    { person: undefined, error: /person: / },
  ])('refuses a person that is not a hash: $person', async ({ person, error }) => {
    const answer = await send(server, { type: 'identify', site: SITE, id: newId('id'), visitor: phone, url: `https://${SITE}/`, person });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(error);
  });

  it('answers 404 for an unknown person and 400 for an id that is not one', async () => {
    expect((await api(server, `/api/sites/${SITE}/people/${personOf('nobody@example.com')}`)).status).toBe(404);
    const bad = await api(server, `/api/sites/${SITE}/people/not-a-hash`);
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatch(/^personId: /);
  });
});
