import type { Db } from './database.ts';
import { createInterestKeeper } from './interest.ts';
import { createPeopleStore } from './people.ts';
import { createSessionDeriver, type SessionFacts } from './session-deriver.ts';

/** Rows removed by an erasure, per table; `identities` counts identify calls, `people` person and CRM rows. */
export interface ErasureCounts {
  events: number;
  sessions: number;
  visitors: number;
  identities: number;
  people: number;
}

/**
 * Whose data to erase: one visitor id, or a person (every part of every visitor's history that is
 * theirs, see collector/store/people.ts). A person's visits are cut again after the erasure, with
 * the site's rules, from what other people left on a shared device.
 */
export type ErasureSubject =
  | { kind: 'visitor'; siteId: number; visitorId: string }
  | { kind: 'person'; siteId: number; personId: string; rules: Pick<SessionFacts, 'siteTimeZone' | 'sessionTimeoutMs'> };

export const nothingErased = (counts: ErasureCounts) => Object.values(counts).every((count) => count === 0);

const NONE: ErasureCounts = { events: 0, sessions: 0, visitors: 0, identities: 0, people: 0 };
const plus = (a: ErasureCounts, b: Partial<ErasureCounts>): ErasureCounts => ({
  events: a.events + (b.events ?? 0),
  sessions: a.sessions + (b.sessions ?? 0),
  visitors: a.visitors + (b.visitors ?? 0),
  identities: a.identities + (b.identities ?? 0),
  people: a.people + (b.people ?? 0),
});

/**
 * Removes every row that names the visitor on the site, in one transaction: its raw events and
 * identify calls, and the sessions, visitors row and person ranges derived from them; a person left
 * with no identify call goes too. `drops` and `salts` name no visitor. All zero means the site has
 * no such visitor.
 *
 * The caller that shares this connection with ingest must forget the deriver's hot sessions
 * afterwards (the writer thread does), or the next event would extend a deleted session.
 */
export function eraseVisitor(db: Db, siteId: number, visitorId: string): ErasureCounts {
  return securely(db, () => eraseWholeVisitor(db, siteId, visitorId));
}

/**
 * Removes everything of a person on the site in one transaction: the visitors whose whole history
 * is theirs as by eraseVisitor, the person's part of a shared device's history, their identify
 * calls, their row and their CRM traits. All zero (and no person or CRM row) means no such person.
 */
export function erasePerson(db: Db, subject: Extract<ErasureSubject, { kind: 'person' }>): ErasureCounts {
  const { siteId, personId, rules } = subject;
  const ranges = db
    .prepare('SELECT visitor_id AS visitorId, from_ts AS "from", until_ts AS until FROM person_visitors WHERE site_id = ? AND person_id = ?')
    .all(siteId, personId) as { visitorId: string; from: number; until: number }[];
  const othersOnDevice = db.prepare('SELECT count(*) FROM person_visitors WHERE site_id = ? AND visitor_id = ? AND person_id <> ?').pluck();
  const eventsInRange = db.prepare('DELETE FROM events WHERE site_id = ? AND visitor_id = ? AND ts >= ? AND ts < ?');
  const engagementsInRange = db.prepare('DELETE FROM engagements WHERE site_id = ? AND visitor_id = ? AND ts >= ? AND ts < ?');
  const pendingInRange = db.prepare(`
    DELETE FROM interest_pending WHERE site_id = @siteId AND event_id IN (
      SELECT event_id FROM events WHERE site_id = @siteId AND visitor_id = @visitorId AND ts >= @from AND ts < @until)`);
  const claimsOfPerson = db.prepare('DELETE FROM identities WHERE site_id = ? AND person_id = ?');
  const personRows = db.prepare('DELETE FROM people WHERE site_id = ? AND person_id = ?');
  const crmRows = db.prepare('DELETE FROM crm_traits WHERE site_id = ? AND person_id = ?');
  const sessionCount = db.prepare('SELECT count(*) FROM sessions WHERE site_id = ? AND visitor_id = ?').pluck();
  return securely(db, () => {
    let counts = NONE;
    const shared: string[] = [];
    for (const range of ranges) {
      if (othersOnDevice.get(siteId, range.visitorId, personId) === 0) {
        counts = plus(counts, eraseWholeVisitor(db, siteId, range.visitorId));
        continue;
      }
      const args = [siteId, range.visitorId, range.from, range.until] as const;
      pendingInRange.run({ siteId, ...range });
      counts = plus(counts, { events: eventsInRange.run(...args).changes + engagementsInRange.run(...args).changes });
      if (!shared.includes(range.visitorId)) shared.push(range.visitorId);
    }
    counts = plus(counts, {
      identities: claimsOfPerson.run(siteId, personId).changes,
      people: personRows.run(siteId, personId).changes + crmRows.run(siteId, personId).changes,
    });
    // What other people did on a shared device stays, cut into visits again without the erased part.
    const people = createPeopleStore(db);
    const sessions = createSessionDeriver(db);
    const interest = createInterestKeeper(db);
    for (const visitorId of shared) {
      const before = sessionCount.get(siteId, visitorId) as number;
      people.relinkVisitor(siteId, visitorId);
      interest.recountVisits(siteId, visitorId, sessions.rederive(siteId, visitorId, Number.MIN_SAFE_INTEGER, rules));
      counts = plus(counts, { sessions: Math.max(0, before - (sessionCount.get(siteId, visitorId) as number)) });
    }
    return counts;
  });
}

function eraseWholeVisitor(db: Db, siteId: number, visitorId: string): ErasureCounts {
  // Events by visitor, not through the visitor's sessions: an event whose session row went missing
  // must not survive an erasure. No index serves this (each one costs ingest, DESIGN.md), so it
  // reads the site's events once (measured: 0.35 s for 2 million with a warm cache). Ingest waits
  // that long, queued, not refused: a fair price for a rare request that must leave nothing behind.
  const people = db
    .prepare('SELECT DISTINCT person_id FROM identities WHERE site_id = ? AND visitor_id = ?')
    .pluck()
    .all(siteId, visitorId) as string[];
  const remove = (table: string) => db.prepare(`DELETE FROM ${table} WHERE site_id = ? AND visitor_id = ?`).run(siteId, visitorId).changes;
  // Pageviews waiting for their page's scores name no visitor, but point at events about to go.
  db.prepare('DELETE FROM interest_pending WHERE site_id = ? AND event_id IN (SELECT event_id FROM events WHERE site_id = ? AND visitor_id = ?)').run(siteId, siteId, visitorId);
  const counts = {
    events: remove('events'),
    sessions: remove('sessions'),
    visitors: remove('visitors'),
    identities: remove('identities'),
    people: 0,
  };
  remove('person_visitors');
  // Engagement reports are about the visitor's pageviews: gone with them (its interest was on its visits).
  counts.events += remove('engagements');
  // The people this visitor claimed to be lose what came from its claims (first seen, traits); one
  // with no claim left goes.
  const store = createPeopleStore(db);
  for (const personId of people) if (store.recountPerson(siteId, personId) === 'removed') counts.people++;
  return counts;
}

/** Runs the erasure in one transaction with secure_delete fully on, so freed pages are zeroed too. */
function securely(db: Db, erase: () => ErasureCounts): ErasureCounts {
  const previous = db.pragma('secure_delete', { simple: true }) as number;
  db.pragma('secure_delete = ON');
  try {
    return db.transaction(erase)();
  } finally {
    db.pragma(`secure_delete = ${SECURE_DELETE_MODES[previous] ?? 'FAST'}`);
  }
}

/** What `PRAGMA secure_delete` answers, as it is set. */
const SECURE_DELETE_MODES: Record<number, string> = { 0: 'OFF', 1: 'ON', 2: 'FAST' };

export function erase(db: Db, subject: ErasureSubject): ErasureCounts {
  return subject.kind === 'visitor' ? eraseVisitor(db, subject.siteId, subject.visitorId) : erasePerson(db, subject);
}
