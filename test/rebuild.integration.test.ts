import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildDerived } from '../collector/rebuild.ts';
import { newId, pageview, send, startTestServer, type TestServer } from './helpers/test-server.ts';

const PATHS = ['/', '/pricing', '/blog/a', '/blog/b', '/contact'];
const REFERRERS = [undefined, 'https://www.google.com/', 'https://news.ycombinator.com/', 'https://site-a.example/x'];
// Mostly untagged pages; now and then a campaign link or an ad click, which starts a new visit.
const QUERIES = ['', '', '', '', '', '?utm_source=newsletter&utm_medium=email', '?utm_source=facebook&utm_medium=social', '?gclid=abc'];

/** A small deterministic generator (mulberry32), so a failure can be replayed from its seed. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let server: TestServer;
const snapshot = () => ({
  sessions: server.query(
    `SELECT visitor_id, started_at, last_seen_at, entry_path, exit_path, pageviews, events, medium, source, search_term, referrer,
       utm_source, utm_medium, utm_campaign, click_id
     FROM sessions ORDER BY visitor_id, started_at`,
  ),
  visitors: server.query('SELECT * FROM visitors ORDER BY site_id, visitor_id'),
  personRanges: server.query('SELECT * FROM person_visitors ORDER BY site_id, visitor_id, from_ts'),
  people: server.query('SELECT * FROM people ORDER BY site_id, person_id'),
  // Which events share a session, independent of the session ids themselves.
  grouping: server.query("SELECT group_concat(event_id, ',') AS ids FROM (SELECT event_id, session_id FROM events ORDER BY id) GROUP BY session_id ORDER BY ids"),
});

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.stop();
});

describe('waymark rebuild', () => {
  it('recomputes the same sessions, visitors and people as ingest did, on a randomised stream with late events', async () => {
    // The first event creates the site; its rules (a non-UTC midnight, a shorter timeout) then apply.
    await send(server, pageview({ site: 'site-a.example', visitor: 'rebuildVisitorSetup', url: 'https://site-a.example/' }));
    const settings = await fetch(`${server.url}/api/sites/site-a.example`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ timeZone: 'America/New_York', sessionTimeoutMinutes: 20 }),
    });
    expect(settings.status).toBe(200);
    const next = random(42);
    const pick = <T>(items: T[]) => items[Math.floor(next() * items.length)]!;
    const people = Array.from({ length: 6 }, (_, i) => String(i).repeat(64));
    let late = 0;
    for (let i = 0; i < 400; i++) {
      // Gaps from seconds to 45 minutes, so some visits continue and some split.
      server.advance(Math.floor(next() ** 3 * 45 * 60_000));
      const visitor = `rebuildVisitor${String(Math.floor(next() * 25)).padStart(4, '0')}`;
      // Now and then an event that waited on the device (up to an hour, on a clock set wrong), so it
      // arrives after later ones of its visitor; now and then a login, sometimes as someone else.
      const waited = next() < 0.2 ? Math.floor(next() * 60 * 60_000) : 0;
      if (waited > 0) late++;
      const deviceClock = { time: 5_000_000, sent: 5_000_000 + waited };
      const answer = await send(server, pageview({ site: 'site-a.example', visitor, url: `https://site-a.example${pick(PATHS)}${pick(QUERIES)}`, referrer: pick(REFERRERS), ...deviceClock }));
      expect(answer.status).toBe(202);
      if (next() < 0.06) {
        const identify = { type: 'identify', site: 'site-a.example', id: newId('id'), visitor, url: 'https://site-a.example/login', person: pick(people), ...deviceClock };
        expect((await send(server, identify)).status).toBe(202);
      }
    }
    expect(late).toBeGreaterThan(40);
    const atIngest = snapshot();
    expect(atIngest.sessions.length).toBeGreaterThan(50);
    expect(atIngest.people.length).toBeGreaterThan(3);

    const counts = rebuildDerived({ db: server.dbPath, sessionTimeoutMinutes: 30, sync: 'normal' });
    expect(counts).toEqual({ events: 401, sessions: atIngest.sessions.length, visitors: atIngest.visitors.length, people: atIngest.people.length });
    expect(snapshot()).toEqual(atIngest);
  });
});
