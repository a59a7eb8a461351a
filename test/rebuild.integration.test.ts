import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildDerived } from '../collector/rebuild.ts';
import { pageview, send, startTestServer, type TestServer } from './helpers/test-server.ts';

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
  it('recomputes the same sessions and visitors as ingest did, on a randomised stream', async () => {
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
    for (let i = 0; i < 400; i++) {
      // Gaps from seconds to 45 minutes, so some visits continue and some split.
      server.advance(Math.floor(next() ** 3 * 45 * 60_000));
      const visitor = `rebuildVisitor${String(Math.floor(next() * 25)).padStart(4, '0')}`;
      const answer = await send(server, pageview({ site: 'site-a.example', visitor, url: `https://site-a.example${pick(PATHS)}${pick(QUERIES)}`, referrer: pick(REFERRERS) }));
      expect(answer.status).toBe(202);
    }
    const atIngest = snapshot();
    expect(atIngest.sessions.length).toBeGreaterThan(50);

    const counts = rebuildDerived({ db: server.dbPath, sessionTimeoutMinutes: 30, sync: 'normal' });
    expect(counts).toEqual({ events: 401, sessions: atIngest.sessions.length, visitors: atIngest.visitors.length });
    expect(snapshot()).toEqual(atIngest);
  });
});
