import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrichedEvent } from '../../test/helpers/enriched-event.ts';
import type { EnrichedEvent } from '../enriched-event.ts';
import { type Db, openDatabase } from './database.ts';
import { createEventStore, type EventStore } from './event-store.ts';
import { DEFAULT_ENGAGED_SECONDS, engagedMinutes, MAX_ENGAGED_SECONDS, pageWeights, type VisitInterest } from './interest.ts';
import { createPageThemesWriter, type ScoredPage } from './page-themes.ts';
import { pageText } from './page-texts.ts';
import { createThemeStore } from './themes.ts';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-02T10:00:00Z');
let dir: string;
let db: Db;
let store: EventStore;
let site: number;
let nextId = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waymark-interest-'));
  db = openDatabase(join(dir, 'w.db'));
  site = Number(db.prepare("INSERT INTO sites (domain, created_at) VALUES ('example.com', 0)").run().lastInsertRowid);
  createThemeStore(db).replace(site, {
    themes: [
      { id: 'racing', name: 'Horse racing', description: 'Horses, races and betting.' },
      { id: 'cooking', name: 'Cooking', description: 'Recipes and kitchens.' },
    ],
    rules: [],
  });
  store = createEventStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const version = () => db.prepare('SELECT themes_version FROM sites WHERE id = ?').pluck().get(site) as number;
function view(path: string, overrides: Partial<EnrichedEvent> = {}) {
  const event = enrichedEvent({ siteId: site, eventId: `pv${nextId++}`, path, url: `https://example.com${path}`, title: `About ${path}`, time: T0, ...overrides });
  db.transaction(() => store.append({ events: [event] }))();
  return event;
}
function engage(pageview: EnrichedEvent, engagedMs: number) {
  db.transaction(() =>
    store.append({ events: [], engagements: [{ siteId: site, pageviewId: pageview.eventId, visitorId: pageview.visitorId, time: pageview.time, engagedMs, scrollDepth: null }] }),
  )();
}
/** What a scorer would return for the page's stored text: `scores` by theme, chosen when at least 0.5. */
function score(path: string, scores: Record<string, number>) {
  const text = db.prepare('SELECT text FROM page_texts WHERE site_id = ? AND path = ?').pluck().get(site, path) as string;
  const page: ScoredPage = {
    path,
    text,
    scores: Object.entries(scores).map(([themeId, value]) => ({ themeId, score: value, words: [] })),
    none: 0.5,
    chosen: Object.entries(scores).filter(([, value]) => value >= 0.5).map(([themeId]) => themeId),
    ruled: [],
  };
  return createPageThemesWriter(db, store.interest).store(site, version(), [page]);
}
/** The visits' interest as daily rows per theme and visitor (UTC days), summed over each day's visits. */
function rows() {
  const sums = new Map<string, { themeId: string; day: string; visitorId: string; interest: number; pageviews: number }>();
  for (const visit of db.prepare('SELECT visitor_id AS visitorId, started_at AS startedAt, interest FROM sessions WHERE interest IS NOT NULL').all() as {
    visitorId: string;
    startedAt: number;
    interest: string;
  }[]) {
    for (const [themeId, [interest, pageviews]] of Object.entries(JSON.parse(visit.interest) as VisitInterest)) {
      const day = new Date(visit.startedAt).toISOString().slice(0, 10);
      const key = `${themeId} ${day} ${visit.visitorId}`;
      const sum = sums.get(key) ?? { themeId, day, visitorId: visit.visitorId, interest: 0, pageviews: 0 };
      sum.interest += interest;
      sum.pageviews += pageviews;
      sums.set(key, sum);
    }
  }
  return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, row]) => ({ ...row, interest: Math.round(row.interest * 1e9) / 1e9 }));
}
const minutes = (seconds: number) => Math.round((seconds / 60) * 1e9) / 1e9;
function recomputeSite() {
  const v = version();
  for (const _ of store.interest.recomputeSteps(site, v, { chunkEvents: 2 }));
}

describe('engagedMinutes', () => {
  it('counts a pageview without a report for a default, and bounds a long one', () => {
    expect(engagedMinutes(null)).toBe(DEFAULT_ENGAGED_SECONDS / 60);
    expect(engagedMinutes(90_000)).toBe(1.5);
    expect(engagedMinutes(5 * 3_600_000)).toBe(MAX_ENGAGED_SECONDS / 60);
  });
});

describe('interest at ingest', () => {
  it('waits for a new page to be scored, then counts its pageviews for the chosen themes (the main one weighing 1)', () => {
    const first = view('/derby');
    expect(db.prepare('SELECT count(*) FROM interest_pending').pluck().get()).toBe(1);
    expect(rows()).toEqual([]);
    expect(score('/derby', { racing: 0.8, cooking: 0.1 })).toEqual({ stored: 1, stale: 0 });
    expect(db.prepare('SELECT count(*) FROM interest_pending').pluck().get()).toBe(0);
    // Scored now: the next pageview counts at once, with its engagement report when it comes.
    const second = view('/derby', { time: T0 + 60_000 });
    engage(second, 120_000);
    engage(first, 30_000);
    expect(rows()).toEqual([{ themeId: 'racing', day: '2026-11-02', visitorId: 'v1', interest: Math.round(1 * (2 + 0.5) * 1e9) / 1e9, pageviews: 2 }]);
  });

  it('reads a report that came before its pageview, and keeps the largest of several', () => {
    view('/derby');
    score('/derby', { racing: 1 });
    const early = enrichedEvent({ siteId: site, eventId: 'early', path: '/derby', url: 'https://example.com/derby', title: 'About /derby', time: T0 + 1_000 });
    engage(early, 60_000);
    db.transaction(() => store.append({ events: [early] }))();
    engage(early, 30_000);
    expect(rows()[0]).toMatchObject({ interest: minutes(DEFAULT_ENGAGED_SECONDS + 60), pageviews: 2 });
  });

  it('gives a page no theme no interest, and a page without text none either', () => {
    view('/login');
    score('/login', { racing: 0.1, cooking: 0.2 });
    view('/login');
    view('/pixel', { title: null });
    expect(rows()).toEqual([]);
    expect(db.prepare('SELECT count(*) FROM interest_pending').pluck().get()).toBe(0);
  });

  it('keeps interest on the visits, so an identify changes none of it (whose it is, is read when asked)', () => {
    view('/derby');
    score('/derby', { racing: 1 });
    const before = rows();
    db.transaction(() => store.append({ events: [], identities: [{ siteId: site, eventId: 'id1', time: T0 + DAY, visitorId: 'v1', personId: 'a'.repeat(64), traits: null, siteTimeZone: 'UTC', sessionTimeoutMs: 30 * 60_000 }] }))();
    expect(rows()).toEqual(before);
  });

  it('counts a late pageview on the visit it lands in, when visits are cut again', () => {
    view('/derby');
    score('/derby', { racing: 1 });
    view('/derby', { time: T0 + 50 * 60_000 });
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(2);
    // Happened between the two: it joins them into one visit, whose interest is counted again.
    view('/derby', { time: T0 + 25 * 60_000 });
    expect(db.prepare('SELECT count(*) FROM sessions').pluck().get()).toBe(1);
    expect(rows()).toEqual([{ themeId: 'racing', day: '2026-11-02', visitorId: 'v1', interest: minutes(3 * DEFAULT_ENGAGED_SECONDS), pageviews: 3 }]);
  });

  it('equals a recompute from the raw events after pages change text and scores', () => {
    const paths = ['/derby', '/tips', '/bread', '/login'];
    for (let i = 0; i < 30; i++) {
      const path = paths[i % paths.length]!;
      const event = view(path, { visitorId: `v${i % 3}`, time: T0 + i * 3_600_000, title: i === 20 ? 'Rewritten title' : `About ${path}` });
      if (i % 4 === 1) engage(event, (i + 1) * 7_000);
      if (i === 3 || i === 22) for (const p of paths) score(p, p === '/bread' ? { cooking: 0.9 } : p === '/login' ? {} : { racing: 0.7, cooking: i === 22 ? 0.55 : 0.2 });
    }
    const stale = db.prepare('SELECT interest_version FROM sites WHERE id = ?').pluck().get(site);
    expect(stale).toBe(-1);
    recomputeSite();
    expect(db.prepare('SELECT interest_version FROM sites WHERE id = ?').pluck().get(site)).toBe(version());
    // Then ingest goes on: new pages wait for scores, reports come late or early, a visitor logs in.
    for (let i = 30; i < 60; i++) {
      const path = i === 45 ? '/new-page' : paths[i % paths.length]!;
      const event = enrichedEvent({ siteId: site, eventId: `pv${nextId++}`, path, url: `https://example.com${path}`, title: path === '/new-page' ? 'New' : i >= 20 ? 'Rewritten title' : `About ${path}`, visitorId: `v${i % 3}`, time: T0 + i * 3_600_000 });
      if (i % 5 === 0) engage(event, 45_000);
      db.transaction(() => store.append({ events: [event] }))();
      if (i % 3 === 0) engage(event, i * 1_000);
      if (i === 50) score('/new-page', { cooking: 0.6 });
      if (i === 52) db.transaction(() => store.append({ events: [], identities: [{ siteId: site, eventId: 'login', time: T0 + i * 3_600_000, visitorId: 'v1', personId: 'b'.repeat(64), traits: null, siteTimeZone: 'UTC', sessionTimeoutMs: 30 * 60_000 }] }))();
    }
    const atIngest = rows();
    expect(atIngest.length).toBeGreaterThan(5);
    recomputeSite();
    expect(rows()).toEqual(atIngest);
  });
});

describe('pageText', () => {
  it('is null for a page that says nothing about itself', () => {
    expect(pageText({ title: null, description: null, keywords: null, ogTitle: null, ogDescription: null })).toBeNull();
    expect(pageText({ title: 'Derby', description: null, keywords: null, ogTitle: null, ogDescription: null })).toContain('Derby');
  });
});

describe('pageWeights', () => {
  it('weighs a page\'s main theme 1, a second one its share, and a forced one 1', () => {
    expect(pageWeights([{ themeId: 'racing', score: 0.04, forced: 0 }])).toEqual([{ themeId: 'racing', score: 1 }]);
    expect(pageWeights([{ themeId: 'racing', score: 0.2, forced: 0 }, { themeId: 'betting', score: 0.1, forced: 0 }])).toEqual([
      { themeId: 'racing', score: 1 },
      { themeId: 'betting', score: 0.5 },
    ]);
    expect(pageWeights([{ themeId: 'travel', score: 0.001, forced: 1 }])).toEqual([{ themeId: 'travel', score: 1 }]);
  });
});
