// The session rules through the real server, its site settings and its SQLite file, on an injected clock.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, pageview, send, startTestServer, type TestServer } from './helpers/test-server.ts';

let server: TestServer;

async function patchSite(site: string, settings: unknown) {
  const response = await fetch(`${server.url}/api/sites/${site}`, {
    method: 'PATCH',
    headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(settings),
  });
  return { status: response.status, json: (await response.json()) as any };
}

/**
 * Sends pageviews at the given UTC times (the clock is moved to each), one visitor; returns its sessions.
 * `waited`: how long the event sat on the device before it was sent (a late beacon, an offline queue),
 * told as the tracker tells it, on a device clock that is years wrong.
 */
async function visit(site: string, steps: { at: string; path?: string; query?: string; waited?: number }[]) {
  const visitor = newId('visitor');
  for (const step of steps) {
    server.advance(Date.parse(step.at) - server.now());
    const deviceClock = step.waited === undefined ? {} : { time: 1_000_000, sent: 1_000_000 + step.waited };
    const answer = await send(server, pageview({ site, visitor, url: `https://${site}${step.path ?? '/'}${step.query ?? ''}`, ...deviceClock }));
    expect(answer.json.accepted).toBe(1);
  }
  return server.query<{ entry_path: string; exit_path: string; pageviews: number; medium: string }>(
    'SELECT entry_path, exit_path, pageviews, medium FROM sessions WHERE visitor_id = ? ORDER BY started_at',
    visitor,
  );
}
const MINUTE = 60_000;

beforeAll(async () => {
  server = await startTestServer({ startTime: Date.parse('2026-11-02T08:00:00Z') });
  // A first event creates each site, so its settings can be set.
  for (const site of ['paris.example', 'utc.example', 'quick.example', 'tagged.example']) await send(server, pageview({ site, url: `https://${site}/` }));
});
afterAll(async () => {
  await server.stop();
});

describe('site settings', () => {
  it('reads and changes a site\'s time zone, session timeout and retention', async () => {
    const { status, json } = await patchSite('paris.example', { timeZone: 'Europe/Paris' });
    expect(status).toBe(200);
    expect(json).toMatchObject({ domain: 'paris.example', timeZone: 'Europe/Paris', sessionTimeoutMinutes: null, retentionDays: null });
    const quick = await patchSite('quick.example', { sessionTimeoutMinutes: 5, retentionDays: 400 });
    expect(quick.json).toMatchObject({ timeZone: 'UTC', sessionTimeoutMinutes: 5, retentionDays: 400 });
  });

  it.each([
    { body: { timeZone: 'Mars/Olympus_Mons' }, error: /^timeZone: an IANA time zone/ },
    { body: { sessionTimeoutMinutes: 0 }, error: /^sessionTimeoutMinutes: / },
    { body: { colour: 'blue' }, error: /colour/ },
  ])('refuses $body', async ({ body, error }) => {
    const { status, json } = await patchSite('utc.example', body);
    expect(status).toBe(400);
    expect(json.error).toMatch(error);
  });
});

describe('page URLs as the site asks', () => {
  it('keeps fragment routes and the site\'s own query keys, and still nothing else', async () => {
    const settings = await patchSite('utc.example', { hashRouting: true, queryKeys: ['id'] });
    expect(settings.json).toMatchObject({ hashRouting: true, queryKeys: ['id'] });
    const event = pageview({ site: 'utc.example', url: 'https://utc.example/shop?id=7&email=a%40b.c#/item?ref=mail' });
    await send(server, event);
    expect(server.query('SELECT url, path FROM events WHERE event_id = ?', event.id)).toEqual([
      { url: 'https://utc.example/shop?id=7#/item', path: '/shop#/item' },
    ]);
    await patchSite('utc.example', { hashRouting: false, queryKeys: [] });
  });

  it('refuses a query key that is not one', async () => {
    const { status, json } = await patchSite('utc.example', { queryKeys: ['a b'] });
    expect(status).toBe(400);
    expect(json.error).toMatch(/^queryKeys\.0: /);
  });
});

describe('a visit ends', () => {
  it('at midnight in the site\'s time zone, not in UTC', async () => {
    // 22:50 and 23:05 UTC are 23:50 and 00:05 in Paris.
    const steps = [{ at: '2026-11-02T22:50:00Z', path: '/late' }, { at: '2026-11-02T23:05:00Z', path: '/after-midnight' }];
    expect(await visit('paris.example', steps)).toEqual([
      { entry_path: '/late', exit_path: '/late', pageviews: 1, medium: 'direct' },
      { entry_path: '/after-midnight', exit_path: '/after-midnight', pageviews: 1, medium: 'direct' },
    ]);
    expect(await visit('utc.example', steps.map((s) => ({ ...s, at: s.at.replace('2026-11-02', '2026-11-03') })))).toEqual([
      { entry_path: '/late', exit_path: '/after-midnight', pageviews: 2, medium: 'direct' },
    ]);
  });

  it('after the site\'s own timeout', async () => {
    expect(await visit('quick.example', [{ at: '2026-11-04T10:00:00Z' }, { at: '2026-11-04T10:04:00Z' }, { at: '2026-11-04T10:10:00Z' }])).toEqual([
      { entry_path: '/', exit_path: '/', pageviews: 2, medium: 'direct' },
      { entry_path: '/', exit_path: '/', pageviews: 1, medium: 'direct' },
    ]);
  });

  it('when a new campaign arrives within 30 minutes, and not on the next untagged page', async () => {
    const sessions = await visit('tagged.example', [
      { at: '2026-11-05T10:00:00Z', path: '/landing', query: '?utm_source=newsletter&utm_medium=email' },
      { at: '2026-11-05T10:02:00Z', path: '/pricing' },
      { at: '2026-11-05T10:03:00Z', path: '/landing', query: '?utm_source=newsletter&utm_medium=email' },
      { at: '2026-11-05T10:05:00Z', path: '/ad', query: '?gclid=abc' },
      { at: '2026-11-05T10:06:00Z', path: '/signup' },
    ]);
    expect(sessions).toEqual([
      { entry_path: '/landing', exit_path: '/landing', pageviews: 3, medium: 'email' },
      { entry_path: '/ad', exit_path: '/signup', pageviews: 2, medium: 'paid' },
    ]);
  });
});

describe('late and out-of-order events', () => {
  it('land in the visit they happened in, by the time they waited on the device', async () => {
    const sessions = await visit('utc.example', [
      { at: '2026-11-08T10:00:00Z', path: '/a' },
      { at: '2026-11-08T10:10:00Z', path: '/c' },
      // Received 45 minutes after the visit's last page (a new visit by receive time), it happened at 10:05.
      { at: '2026-11-08T10:55:00Z', path: '/b', waited: 50 * MINUTE },
    ]);
    expect(sessions).toEqual([{ entry_path: '/a', exit_path: '/c', pageviews: 3, medium: 'direct' }]);
  });

  it('become the entry page when they happened first, and join two visits they bridge', async () => {
    const sessions = await visit('utc.example', [
      { at: '2026-11-09T10:00:00Z', path: '/second' },
      { at: '2026-11-09T10:50:00Z', path: '/fourth' },
      // An offline queue replayed at 11:00: 09:40 and 10:25, so 09:40 to 10:50 is one visit without a 30-minute gap.
      { at: '2026-11-09T11:00:00Z', path: '/first', waited: 80 * MINUTE },
      { at: '2026-11-09T11:00:00Z', path: '/third', waited: 35 * MINUTE },
    ]);
    expect(sessions).toEqual([{ entry_path: '/first', exit_path: '/fourth', pageviews: 4, medium: 'direct' }]);
  });

  it('keep the midnight rule: a late event from before midnight stays in the day it happened', async () => {
    const sessions = await visit('utc.example', [
      { at: '2026-11-10T23:50:00Z', path: '/evening' },
      { at: '2026-11-11T00:10:00Z', path: '/morning' },
      { at: '2026-11-11T00:12:00Z', path: '/late-evening', waited: 17 * MINUTE },
    ]);
    expect(sessions).toEqual([
      { entry_path: '/evening', exit_path: '/late-evening', pageviews: 2, medium: 'direct' },
      { entry_path: '/morning', exit_path: '/morning', pageviews: 1, medium: 'direct' },
    ]);
  });

  it('drops an event that waited more than a week, and counts the drop', async () => {
    server.advance(Date.parse('2026-11-12T10:00:00Z') - server.now());
    const answer = await send(server, pageview({ site: 'utc.example', visitor: newId('visitor'), time: 5, sent: 5 + 8 * 24 * 60 * MINUTE }));
    expect(answer.json).toMatchObject({ accepted: 0, dropped: 1, reason: 'too-late' });
    expect(server.query("SELECT count FROM drops WHERE day = '2026-11-12' AND reason = 'too-late'")).toEqual([{ count: 1 }]);
  });
});

describe('days in the site\'s time zone', () => {
  it('counts a pageview at 23:30 UTC on the next day in Paris, and its periods start at local midnight', async () => {
    await visit('paris.example', [{ at: '2026-11-06T23:30:00Z', path: '/night-owl' }]);
    const api = async (query: string) =>
      (await (await fetch(`${server.url}/api/sites/paris.example/stats?${query}`, { headers: { Authorization: `Bearer ${server.adminToken}` } })).json()) as any;
    const week = await api('from=2026-11-06&to=2026-11-07');
    expect(week.timeZone).toBe('Europe/Paris');
    expect(week.pageviewsPerDay).toEqual([
      { day: '2026-11-06', pageviews: 0, visitors: 0 },
      { day: '2026-11-07', pageviews: 1, visitors: 1 },
    ]);
    expect((await api('from=2026-11-07&to=2026-11-07')).topPages).toEqual([{ path: '/night-owl', pageviews: 1, visitors: 1 }]);
    expect((await api('from=2026-11-06&to=2026-11-06')).topPages).toEqual([]);
  });
});

describe('engaged time', () => {
  it('keeps the largest visible time and scroll depth a page reported, and sums them per visit', async () => {
    server.advance(Date.parse('2026-11-13T10:00:00Z') - server.now());
    const visitor = newId('reader');
    const first = pageview({ site: 'utc.example', visitor, url: 'https://utc.example/article' });
    const second = pageview({ site: 'utc.example', visitor, url: 'https://utc.example/next' });
    const report = (page: { id: string }, engagedMs: number, scrollDepth?: number) =>
      send(server, { type: 'engagement', site: 'utc.example', visitor, id: newId('en'), url: 'https://utc.example/article', pageview: page.id, engagedMs, ...(scrollDepth === undefined ? {} : { scrollDepth }) });
    await send(server, first);
    // Hidden (another tab) after 20 s, then left after 65 s in all; the reports may arrive in any order.
    expect((await report(first, 65_000, 90)).json).toMatchObject({ accepted: 1 });
    expect((await report(first, 20_000, 30)).json).toMatchObject({ accepted: 1 });
    server.advance(70_000);
    await send(server, second);
    await report(second, 4_000);
    const journey = (await (await fetch(`${server.url}/api/sites/utc.example/visitors/${visitor}`, { headers: { Authorization: `Bearer ${server.adminToken}` } })).json()) as any;
    expect(journey.sessions).toHaveLength(1);
    expect(journey.sessions[0].engagedSeconds).toBe(69);
    expect(journey.sessions[0].events.map((e: any) => [e.path, e.engagedSeconds, e.scrollDepth])).toEqual([
      ['/article', 65, 90],
      ['/next', 4, null],
    ]);
  });

  it.each([
    { change: { engagedMs: -1 }, error: /^engagedMs: / },
    { change: { engagedMs: 25 * 60 * 60_000 }, error: /^engagedMs: / },
    { change: { scrollDepth: 101 }, error: /^scrollDepth: / },
    { change: { pageview: 'no spaces allowed' }, error: /^pageview: / },
  ])('refuses a report with $change', async ({ change, error }) => {
    const answer = await send(server, { type: 'engagement', site: 'utc.example', id: newId('en'), url: 'https://utc.example/', pageview: 'pv00000001', engagedMs: 1_000, ...change });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(error);
  });
});
