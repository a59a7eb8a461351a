import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrichedEvent } from '../../test/helpers/enriched-event.ts';
import { rebuildInto } from '../rebuild.ts';
import type { EnrichedEvent } from '../enriched-event.ts';
import { type Db, openDatabase } from './database.ts';
import { createEventStore, type EventStore } from './event-store.ts';
import { purgedNothing, purgeExpired, purgeSteps } from './retention.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const daysAgo = (days: number) => NOW - days * DAY;

let dir: string;
let db: Db;
let store: EventStore;
let site: number;
let nextId = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waymark-retention-'));
  db = openDatabase(join(dir, 'w.db'));
  site = addSite('example.com');
  store = createEventStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function addSite(domain: string, retentionDays: number | null = null) {
  return Number(db.prepare('INSERT INTO sites (domain, created_at, retention_days) VALUES (?, 0, ?)').run(domain, retentionDays).lastInsertRowid);
}
const append = (overrides: Partial<EnrichedEvent>) => db.transaction(() => store.append({ events: [enrichedEvent({ siteId: site, eventId: `e${nextId++}`, ...overrides })] }))();
const eventTimes = (siteId = site) => db.prepare('SELECT ts FROM events WHERE site_id = ? ORDER BY ts').pluck().all(siteId);
const visitors = () => db.prepare('SELECT visitor_id AS visitorId, first_seen_at AS firstSeenAt, first_source AS firstSource, sessions FROM visitors ORDER BY visitor_id').all();

describe('purgeExpired', () => {
  it('keeps everything when neither the collector nor the site sets a retention', () => {
    append({ time: daysAgo(400) });
    expect(purgeExpired(db, NOW, null)).toEqual({ events: 0, sessions: 0, visitors: 0, drops: 0 });
    expect(eventTimes()).toEqual([daysAgo(400)]);
  });

  it('removes the events of visits that started before the cut-off, their sessions, and visitors left with none', () => {
    append({ visitorId: 'old', time: daysAgo(40) });
    append({ visitorId: 'old', time: daysAgo(40) + MINUTE });
    append({ visitorId: 'new', time: daysAgo(2) });
    expect(purgeExpired(db, NOW, 30)).toEqual({ events: 2, sessions: 1, visitors: 1, drops: 0 });
    expect(eventTimes()).toEqual([daysAgo(2)]);
    expect(db.prepare('SELECT visitor_id FROM sessions').pluck().all()).toEqual(['new']);
    expect(visitors()).toEqual([{ visitorId: 'new', firstSeenAt: daysAgo(2), firstSource: null, sessions: 1 }]);
  });

  it('removes engagement reports older than the cut-off, counted as events', () => {
    const report = (pageviewId: string, time: number) =>
      db.transaction(() => store.append({ events: [], engagements: [{ siteId: site, pageviewId, visitorId: 'v1', time, engagedMs: 1_000, scrollDepth: null }] }))();
    report('oldPageview', daysAgo(40));
    report('newPageview', daysAgo(2));
    expect(purgeExpired(db, NOW, 30)).toEqual({ events: 1, sessions: 0, visitors: 0, drops: 0 });
    expect(db.prepare('SELECT pageview_id FROM engagements').pluck().all()).toEqual(['newPageview']);
  });

  it('describes a returning visitor by the visits it keeps, as a rebuild would', () => {
    append({ visitorId: 'ann', time: daysAgo(40), source: { medium: 'search', source: 'Google', term: null } });
    append({ visitorId: 'ann', time: daysAgo(10), source: { medium: 'social', source: 'Hacker News', term: null } });
    append({ visitorId: 'ann', time: daysAgo(1) });
    expect(purgeExpired(db, NOW, 30)).toMatchObject({ events: 1, sessions: 1, visitors: 0 });
    expect(visitors()).toEqual([{ visitorId: 'ann', firstSeenAt: daysAgo(10), firstSource: 'Hacker News', sessions: 2 }]);

    const derived = () => ({ sessions: db.prepare('SELECT * FROM sessions ORDER BY started_at').all().map(({ id, ...columns }: any) => columns), visitors: visitors() });
    const purged = derived();
    rebuildInto(db, 30 * MINUTE);
    expect(derived()).toEqual(purged);
  });

  it('removes a visit that started before the cut-off as a whole, with its events after it', () => {
    const cutoff = daysAgo(30);
    append({ time: cutoff - 10 * MINUTE });
    append({ time: cutoff + 10 * MINUTE });
    expect(purgeExpired(db, NOW, 30)).toMatchObject({ events: 2, sessions: 1, visitors: 1 });
    expect(eventTimes()).toEqual([]);
  });

  it('lets a site’s own retention win over the collector’s', () => {
    const short = addSite('short.example', 7);
    const long = addSite('long.example', 90);
    for (const siteId of [site, short, long]) {
      append({ siteId, time: daysAgo(10) });
      append({ siteId, time: daysAgo(60) });
    }
    purgeExpired(db, NOW, 30);
    expect(eventTimes(site)).toEqual([daysAgo(10)]);
    expect(eventTimes(short)).toEqual([]);
    expect(eventTimes(long)).toEqual([daysAgo(60), daysAgo(10)]);
  });

  it('applies a site’s retention when the collector sets none', () => {
    const short = addSite('short.example', 7);
    append({ time: daysAgo(60) });
    append({ siteId: short, time: daysAgo(60) });
    purgeExpired(db, NOW, null);
    expect(eventTimes(site)).toEqual([daysAgo(60)]);
    expect(eventTimes(short)).toEqual([]);
  });

  it('removes drop counts of the days wholly before the cut-off', () => {
    // The cut-off is 2026-11-01T12:00Z: that day is partly within retention and stays.
    store.countDrops([daysAgo(31), daysAgo(30), daysAgo(29)].map((time) => ({ siteId: site, day: new Date(time).toISOString().slice(0, 10), reason: 'bot-user-agent' })));
    expect(purgeExpired(db, NOW, 30)).toEqual({ events: 0, sessions: 0, visitors: 0, drops: 1 });
    expect(db.prepare('SELECT day FROM drops ORDER BY day').pluck().all()).toEqual(['2026-11-01', '2026-11-02']);
  });
});

describe('purgeSteps', () => {
  it('commits whole visits in steps of a bounded number of events', () => {
    // 20 old visits of 2 events each; 3 recent ones.
    for (let v = 0; v < 20; v++) {
      append({ visitorId: `old${v}`, time: daysAgo(40) + v * MINUTE });
      append({ visitorId: `old${v}`, time: daysAgo(40) + v * MINUTE + 1_000 });
    }
    for (let v = 0; v < 3; v++) append({ visitorId: `new${v}`, time: daysAgo(1) });

    // Steps that only rolled days up (daily_aggregates) remove nothing.
    const steps = [...purgeSteps(db, NOW, 30, { chunkEvents: 5 })].filter((step) => !purgedNothing(step));
    expect(steps.map((step) => step.events)).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 4, 4]);
    expect(steps.every((step) => step.sessions * 2 === step.events)).toBe(true);
    expect(eventTimes()).toEqual([daysAgo(1), daysAgo(1), daysAgo(1)]);
    expect(db.prepare('SELECT count(*) FROM visitors').pluck().get()).toBe(3);
  });

  it('takes a visit longer than a step alone, rather than splitting it', () => {
    for (let i = 0; i < 8; i++) append({ time: daysAgo(40) + i * MINUTE });
    expect([...purgeSteps(db, NOW, 30, { chunkEvents: 5 })].filter((step) => !purgedNothing(step))).toEqual([{ events: 8, sessions: 1, visitors: 1, drops: 0 }]);
  });
});

