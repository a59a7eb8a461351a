import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enrichedEvent } from '../../test/helpers/enriched-event.ts';
import type { EnrichedEvent } from '../enriched-event.ts';
import { type Db, openDatabase } from './database.ts';
import { createEventStore } from './event-store.ts';
import { createGroupCommit, WriterClosedError } from './group-commit.ts';

let dir: string;
let db: Db;
let siteId: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'waymark-writer-'));
  db = openDatabase(join(dir, 'w.db'));
  siteId = Number(db.prepare("INSERT INTO sites (domain, created_at) VALUES ('example.com', 0)").run().lastInsertRowid);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function event(eventId: string, overrides: Partial<EnrichedEvent> = {}): EnrichedEvent {
  return enrichedEvent({ siteId, eventId, ...overrides });
}

const stored = () => db.prepare('SELECT event_id FROM events ORDER BY id').pluck().all();

describe('createGroupCommit', () => {
  it('commits writes that arrive together in one group, and resolves each after the commit', async () => {
    const writer = createGroupCommit({ db, store: createEventStore(db) });
    const writes = ['a', 'b', 'c'].map((id) => writer.write({ events: [event(id)] }));
    // Nothing is on file until the group commits on the next turn of the event loop.
    expect(stored()).toEqual([]);
    expect(writer.pending).toBe(3);
    expect(await Promise.all(writes)).toEqual([
      { inserted: 1, duplicates: 0 },
      { inserted: 1, duplicates: 0 },
      { inserted: 1, duplicates: 0 },
    ]);
    expect(stored()).toEqual(['a', 'b', 'c']);
  });

  it('fails only the write with a bad row; the others in its group are committed', async () => {
    const errors: unknown[] = [];
    const writer = createGroupCommit({ db, store: createEventStore(db), onError: (e) => errors.push(e) });
    const good1 = writer.write({ events: [event('good1')] });
    const bad = writer.write({ events: [event('bad', { siteId: 999 })] }); // no such site: the foreign key refuses it
    const good2 = writer.write({ events: [event('good2')] });
    await expect(bad).rejects.toThrow(/FOREIGN KEY/);
    await expect(good1).resolves.toEqual({ inserted: 1, duplicates: 0 });
    await expect(good2).resolves.toEqual({ inserted: 1, duplicates: 0 });
    expect(stored()).toEqual(['good1', 'good2']);
    expect(errors).toHaveLength(1);
    // The session survived the rolled-back group: the two good events share one visit.
    expect(db.prepare('SELECT pageviews FROM sessions').pluck().all()).toEqual([2]);
  });

  it('commits what it holds on flush, at once, so that work done next comes after those writes', async () => {
    const writer = createGroupCommit({ db, store: createEventStore(db) });
    const pending = writer.write({ events: [event('queued')] });
    writer.flush();
    expect(stored()).toEqual(['queued']);
    await expect(pending).resolves.toEqual({ inserted: 1, duplicates: 0 });
  });

  it('commits what it holds on close, then refuses new writes', async () => {
    const writer = createGroupCommit({ db, store: createEventStore(db) });
    const pending = writer.write({ events: [event('last')] });
    await writer.close();
    expect(stored()).toEqual(['last']);
    await expect(pending).resolves.toEqual({ inserted: 1, duplicates: 0 });
    await expect(writer.write({ events: [event('late')] })).rejects.toBeInstanceOf(WriterClosedError);
  });
});
