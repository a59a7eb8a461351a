import type { Db } from './database.ts';

/** Rows removed by an erasure, per table. */
export interface ErasureCounts {
  events: number;
  sessions: number;
  visitors: number;
}

/**
 * Whose data to erase. Only a visitor id today; when persons exist (several visitor ids known to
 * be one person), `{ kind: 'person', siteId, personId }` joins this union and erases each of the
 * person's visitors in the same transaction, and the CLI's `--person` selects it.
 */
export type ErasureSubject = { kind: 'visitor'; siteId: number; visitorId: string };

export const nothingErased = (counts: ErasureCounts) => counts.events + counts.sessions + counts.visitors === 0;

/**
 * Removes every row that names the visitor on the site, in one transaction: its raw events, the
 * sessions and the visitors row derived from them. `drops` and `salts` name no visitor. All zero
 * means the site has no such visitor.
 *
 * The caller that shares this connection with ingest must forget the deriver's hot sessions
 * afterwards (the writer thread does), or the next event would extend a deleted session.
 */
export function eraseVisitor(db: Db, siteId: number, visitorId: string): ErasureCounts {
  // Events by visitor, not through the visitor's sessions: an event whose session row went missing
  // must not survive an erasure. No index serves this (each one costs ingest, DESIGN.md), so it
  // reads the site's events once (measured: 0.35 s for 2 million with a warm cache). Ingest waits
  // that long, queued, not refused: a fair price for a rare request that must leave nothing behind.
  const events = db.prepare('DELETE FROM events WHERE site_id = ? AND visitor_id = ?');
  const sessions = db.prepare('DELETE FROM sessions WHERE site_id = ? AND visitor_id = ?');
  const visitors = db.prepare('DELETE FROM visitors WHERE site_id = ? AND visitor_id = ?');
  // Fully on, pages freed by the erasure are zeroed too: the id must not stay readable in the file.
  const previous = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    return db.transaction(() => ({
      events: events.run(siteId, visitorId).changes,
      sessions: sessions.run(siteId, visitorId).changes,
      visitors: visitors.run(siteId, visitorId).changes,
    }))();
  } finally {
    db.pragma(`secure_delete = ${SECURE_DELETE_MODES[previous] ?? 'FAST'}`);
  }
}

/** What `PRAGMA secure_delete` answers, as it is set. */
const SECURE_DELETE_MODES: Record<number, string> = { 0: 'OFF', 1: 'ON', 2: 'FAST' };

export function erase(db: Db, subject: ErasureSubject): ErasureCounts {
  return eraseVisitor(db, subject.siteId, subject.visitorId);
}
