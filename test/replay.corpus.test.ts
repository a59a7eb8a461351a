// Real traffic (10,000 Apache log lines of semicomplete.com, 2015; ../shared/data/traffic) replayed
// through the real collector: the sessions it computes at ingest must equal those of a
// straightforward reference over the same accepted rows, for every visitor.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sharedCorpus } from './shared-corpus.ts';
import { newId, send, startTestServer, type TestServer } from './helpers/test-server.ts';

const corpus = sharedCorpus('traffic/elastic-apache-logs', ['pageviews.ndjson']);
const SITE = 'semicomplete.example';
const TIMEOUT_MS = 30 * 60_000;

interface LogRow {
  ts: string;
  ip: string;
  path: string;
  referrer: string;
  ua: string;
}

interface StoredEvent {
  eventId: string;
  visitorId: string;
  ts: number;
  sessionId: number;
  campaign: string | null;
}

/** The rules written plainly, over one visitor's events in time order: a gap, a UTC midnight or a new campaign cuts. */
function referenceSessions(events: StoredEvent[]): { start: number; end: number; pageviews: number }[] {
  const sessions: { start: number; end: number; pageviews: number; campaign: string | null }[] = [];
  for (const event of events) {
    const open = sessions.at(-1);
    const sameDay = open && new Date(open.start).toISOString().slice(0, 10) === new Date(event.ts).toISOString().slice(0, 10);
    const sameCampaign = event.campaign === null || event.campaign === open?.campaign;
    if (open && event.ts - open.end <= TIMEOUT_MS && sameDay && sameCampaign) {
      open.end = event.ts;
      open.pageviews++;
    } else {
      sessions.push({ start: event.ts, end: event.ts, pageviews: 1, campaign: event.campaign });
    }
  }
  return sessions.map(({ start, end, pageviews }) => ({ start, end, pageviews }));
}

let server: TestServer;

beforeAll(async () => {
  if (!corpus.present) return;
  // The log's client addresses arrive as a proxy would forward them.
  server = await startTestServer({ env: { WAYMARK_TRUSTED_PROXIES: '1' }, startTime: Date.parse('2015-05-17T00:00:00Z') });
});
afterAll(async () => {
  await server?.stop();
});

describe.skipIf(!corpus.present)('replay of real traffic (elastic-apache-logs)', () => {
  it('computes, at ingest, the sessions a plain reference computes, for every visitor', async () => {
    const rows = readFileSync(corpus.path('pageviews.ndjson'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as LogRow);
    const accepted = new Set<string>();
    const outcomes: Record<string, number> = {};
    for (const row of rows) {
      server.advance(Date.parse(row.ts) - server.now());
      const id = newId('replay');
      const answer = await send(
        server,
        { type: 'pageview', site: SITE, id, url: `https://${SITE}${row.path}`, ...(row.referrer ? { referrer: row.referrer } : {}) },
        { userAgent: row.ua, headers: { 'X-Forwarded-For': row.ip } },
      );
      const outcome = answer.status === 202 ? (answer.json.accepted === 1 ? 'stored' : answer.json.reason) : `http ${answer.status}`;
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      if (outcome === 'stored') accepted.add(id);
    }
    console.log(`replayed ${rows.length} log rows:`, outcomes);
    expect(accepted.size).toBeGreaterThan(1_000);

    const stored = server.query<StoredEvent>(
      `SELECT event_id AS eventId, visitor_id AS visitorId, ts, session_id AS sessionId,
         CASE WHEN coalesce(utm_source, utm_medium, utm_campaign, click_id) IS NULL THEN NULL
              ELSE json_array(utm_source, utm_medium, utm_campaign, click_id) END AS campaign
       FROM events WHERE site_id = (SELECT id FROM sites WHERE domain = ?) ORDER BY ts, id`,
      SITE,
    );
    expect(stored.map((e) => e.eventId).sort()).toEqual([...accepted].sort());

    const byVisitor = new Map<string, StoredEvent[]>();
    for (const event of stored) byVisitor.set(event.visitorId, [...(byVisitor.get(event.visitorId) ?? []), event]);
    const ingested = server.query<{ visitorId: string; start: number; end: number; pageviews: number }>(
      `SELECT visitor_id AS visitorId, started_at AS start, last_seen_at AS end, pageviews FROM sessions
       WHERE site_id = (SELECT id FROM sites WHERE domain = ?) ORDER BY visitor_id, started_at`,
      SITE,
    );
    const ingestedByVisitor = new Map<string, { start: number; end: number; pageviews: number }[]>();
    for (const { visitorId, ...session } of ingested) ingestedByVisitor.set(visitorId, [...(ingestedByVisitor.get(visitorId) ?? []), session]);

    let sessions = 0;
    for (const [visitorId, events] of byVisitor) {
      const expected = referenceSessions(events);
      sessions += expected.length;
      expect(ingestedByVisitor.get(visitorId), `sessions of visitor ${visitorId}`).toEqual(expected);
    }
    expect(ingestedByVisitor.size).toBe(byVisitor.size);
    console.log(`${byVisitor.size} visitors, ${sessions} sessions: ingest equals the reference for every visitor`);
  }, 120_000);
});
