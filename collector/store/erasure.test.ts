import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrichedEvent } from '../../test/helpers/enriched-event.ts';
import type { EnrichedEvent } from '../enriched-event.ts';
import { type Db, openDatabase } from './database.ts';
import { eraseVisitor } from './erasure.ts';
import { createEventStore, type EventStore } from './event-store.ts';

const HOUR = 3_600_000;
let dir: string;
let db: Db;
let store: EventStore;
let site: number;
let otherSite: number;
let nextId = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waymark-erasure-'));
  db = openDatabase(join(dir, 'w.db'));
  const addSite = (domain: string) => Number(db.prepare('INSERT INTO sites (domain, created_at) VALUES (?, 0)').run(domain).lastInsertRowid);
  site = addSite('example.com');
  otherSite = addSite('other.example');
  store = createEventStore(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const append = (overrides: Partial<EnrichedEvent>) => db.transaction(() => store.append({ events: [enrichedEvent({ siteId: site, eventId: `e${nextId++}`, ...overrides })] }))();
const rows = (table: string, siteId: number, visitorId: string) =>
  db.prepare(`SELECT count(*) FROM ${table} WHERE site_id = ? AND visitor_id = ?`).pluck().get(siteId, visitorId) as number;

describe('eraseVisitor', () => {
  beforeEach(() => {
    // ann: two visits (three events) on example.com; bob: one visit; ann also visits other.example.
    append({ visitorId: 'ann', time: 0 });
    append({ visitorId: 'ann', time: 60_000, type: 'event', name: 'signup' });
    append({ visitorId: 'ann', time: 5 * HOUR });
    append({ visitorId: 'bob', time: 0 });
    append({ visitorId: 'ann', time: 0, siteId: otherSite });
  });

  it('removes the visitor’s events, sessions and visitors row, and counts them', () => {
    expect(eraseVisitor(db, site, 'ann')).toEqual({ events: 3, sessions: 2, visitors: 1, identities: 0, people: 0 });
    for (const table of ['events', 'sessions', 'visitors']) expect(rows(table, site, 'ann'), table).toBe(0);
  });

  it('leaves other visitors, and the same id on another site, as they were', () => {
    eraseVisitor(db, site, 'ann');
    for (const table of ['events', 'sessions', 'visitors']) {
      expect(rows(table, site, 'bob'), `bob's ${table}`).toBe(1);
      expect(rows(table, otherSite, 'ann'), `other site's ${table}`).toBe(1);
    }
  });

  it('answers all zero, and changes nothing, for a visitor the site has not seen', () => {
    const before = db.prepare('SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM sessions), (SELECT count(*) FROM visitors)').raw().get();
    expect(eraseVisitor(db, site, 'nobody')).toEqual({ events: 0, sessions: 0, visitors: 0, identities: 0, people: 0 });
    expect(db.prepare('SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM sessions), (SELECT count(*) FROM visitors)').raw().get()).toEqual(before);
  });

  it('removes an event whose session row has gone missing', () => {
    db.prepare("DELETE FROM sessions WHERE site_id = ? AND visitor_id = 'ann'").run(site);
    expect(eraseVisitor(db, site, 'ann')).toEqual({ events: 3, sessions: 0, visitors: 1, identities: 0, people: 0 });
    expect(rows('events', site, 'ann')).toBe(0);
  });

  it('leaves no copy of the id in the file once the log is checkpointed', () => {
    const path = join(dir, 'w.db');
    for (let i = 0; i < 50; i++) append({ visitorId: 'zoeUniqueVisitorId', time: 10 * HOUR + i * 60_000, title: `page ${i}` });
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(path).includes('zoeUniqueVisitorId')).toBe(true);
    eraseVisitor(db, site, 'zoeUniqueVisitorId');
    db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(path).includes('zoeUniqueVisitorId')).toBe(false);
    // The erasure's stricter mode ends with it.
    expect(db.pragma('secure_delete', { simple: true })).toBe(2);
  });

  it('lets the same id start afresh once the store has forgotten its hot sessions', () => {
    eraseVisitor(db, site, 'ann');
    store.forgetHotState();
    // Within the timeout of the erased visit: without forgetting, this event would join the deleted session.
    append({ visitorId: 'ann', time: 5 * HOUR + 60_000 });
    const [session] = db.prepare("SELECT id, started_at AS startedAt, pageviews FROM sessions WHERE site_id = ? AND visitor_id = 'ann'").all(site);
    expect(session).toMatchObject({ startedAt: 5 * HOUR + 60_000, pageviews: 1 });
    expect(db.prepare("SELECT session_id FROM events WHERE site_id = ? AND visitor_id = 'ann'").pluck().all(site)).toEqual([(session as { id: number }).id]);
    expect(db.prepare("SELECT sessions FROM visitors WHERE site_id = ? AND visitor_id = 'ann'").pluck().get(site)).toBe(1);
  });
});
