import type { Config } from './config.ts';
import { type Db, openDatabase } from './store/database.ts';
import { createInterestKeeper } from './store/interest.ts';
import { rebuildPeople } from './store/people.ts';
import { createSessionDeriver, LATE, SESSION_FACT_COLUMNS, type SessionFacts } from './store/session-deriver.ts';

const PAGE = 5_000;

/**
 * Recomputes `sessions`, `visitors`, people and daily interest from the raw events and identify calls, in time order,
 * with the same deriver ingest uses: after a rule change or a repair, the result equals a
 * fresh ingest of the same events.
 */
export function rebuildDerived(
  config: Pick<Config, 'db' | 'sessionTimeoutMinutes' | 'sync'>,
  { siteId, onProgress = () => {} }: { siteId?: number; onProgress?: (done: number) => void } = {},
) {
  const db = openDatabase(config.db, { synchronous: config.sync });
  try {
    return rebuildInto(db, config.sessionTimeoutMinutes * 60_000, { siteId, onProgress });
  } finally {
    db.close();
  }
}

/** `defaultTimeoutMs` applies to sites without a session timeout of their own, as at ingest; `siteId`: that site alone. */
export function rebuildInto(db: Db, defaultTimeoutMs: number, { siteId, onProgress = () => {} }: { siteId?: number; onProgress?: (done: number) => void } = {}) {
  const deriver = createSessionDeriver(db);
  const sites = db
    .prepare('SELECT id, time_zone AS timeZone, session_timeout_minutes AS timeoutMinutes FROM sites WHERE @siteId IS NULL OR id = @siteId ORDER BY id')
    .all({ siteId: siteId ?? null }) as {
    id: number;
    timeZone: string;
    timeoutMinutes: number | null;
  }[];
  // Keyset pagination: better-sqlite3 cannot write while a read cursor is open on the same connection.
  const page = db.prepare(`
    SELECT id, ${SESSION_FACT_COLUMNS}
    FROM events WHERE site_id = ? AND (ts > ? OR (ts = ? AND id > ?)) ORDER BY ts, id LIMIT ${PAGE}`);
  const setSession = db.prepare('UPDATE events SET session_id = ? WHERE id = ?');
  let events = 0;

  db.transaction(() => {
    for (const site of sites) {
      for (const sql of ['DELETE FROM sessions WHERE site_id = ?', 'DELETE FROM visitors WHERE site_id = ?', 'UPDATE events SET session_id = NULL WHERE site_id = ?']) {
        db.prepare(sql).run(site.id);
      }
    }
    // People first: a visit ends where the device passes to another person.
    for (const site of sites) rebuildPeople(db, site.id);
    for (const site of sites) {
      const rules = { siteTimeZone: site.timeZone, sessionTimeoutMs: site.timeoutMinutes === null ? defaultTimeoutMs : site.timeoutMinutes * 60_000 };
      let after = { time: -1, id: 0 };
      for (;;) {
        const rows = page.all(site.id, after.time, after.time, after.id) as (Omit<SessionFacts, keyof typeof rules> & { id: number })[];
        // The event's enrichment (source, place, device) was stored at ingest: the rebuild aggregates, never re-enriches.
        for (const row of rows) {
          const sessionId = deriver.derive({ ...row, ...rules });
          if (sessionId === LATE) throw new Error('rebuild read events out of time order');
          setSession.run(sessionId, row.id);
        }
        events += rows.length;
        onProgress(events);
        if (rows.length < PAGE) break;
        const last = rows[rows.length - 1]!;
        after = { time: last.time, id: last.id };
      }
    }
    // Interest last, on the visits just derived.
    const interest = createInterestKeeper(db);
    for (const site of sites) {
      const version = db.prepare('SELECT themes_version FROM sites WHERE id = ?').pluck().get(site.id) as number;
      for (const _ of interest.recomputeSteps(site.id, version));
    }
  })();

  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table} WHERE @siteId IS NULL OR site_id = @siteId`).pluck().get({ siteId: siteId ?? null }) as number;
  return { events, sessions: count('sessions'), visitors: count('visitors'), people: count('people') };
}
