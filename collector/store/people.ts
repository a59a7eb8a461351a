import type { Identity } from '../enriched-event.ts';
import type { Db } from './database.ts';

/** End of a person's range of a visitor's history that no later claim cuts: larger than any event time. */
export const UNTIL_LATER_CLAIM = Number.MAX_SAFE_INTEGER;

interface Claim {
  ts: number;
  personId: string;
}

/** One person's part of a visitor's history, `from` inclusive, `until` exclusive. */
export interface PersonRange {
  personId: string;
  from: number;
  until: number;
}

/**
 * Which parts of a visitor's history belong to which person, from its identify claims in time order.
 * A claim covers everything before it back to the visitor's start, and everything after it up to
 * the next claim by another person: the anonymous visits before a login are the person's, and a
 * device shared once does not merge two people.
 */
export function rangesOfClaims(claims: readonly Claim[]): PersonRange[] {
  const ranges: PersonRange[] = [];
  for (const claim of claims) {
    const current = ranges[ranges.length - 1];
    if (current?.personId === claim.personId) continue;
    if (current) current.until = claim.ts;
    ranges.push({ personId: claim.personId, from: current ? claim.ts : Number.MIN_SAFE_INTEGER, until: UNTIL_LATER_CLAIM });
  }
  return ranges;
}

/** Reads a visitor's person ranges, in time order (a prepared statement on `db`). */
export function personRangesReader(db: Db): (siteId: number, visitorId: string) => PersonRange[] {
  const ranges = db.prepare('SELECT from_ts AS "from", until_ts AS until, person_id AS personId FROM person_visitors WHERE site_id = ? AND visitor_id = ? ORDER BY from_ts');
  return (siteId, visitorId) => ranges.all(siteId, visitorId) as PersonRange[];
}

/** The person a moment of a visitor's history belongs to, or null. */
export function personAtIn(ranges: readonly PersonRange[], time: number): string | null {
  for (const range of ranges) if (range.from <= time && time < range.until) return range.personId;
  return null;
}

/**
 * The earliest moment at which the device passed from one person to another in one set of ranges
 * and not in the other: visits from there on must be cut again. Null when no hand-over moved (a
 * first login changes whose the history is, but cuts no visit).
 */
export function firstChangedHandOver(before: readonly PersonRange[], after: readonly PersonRange[]): number | null {
  const handOvers = (ranges: readonly PersonRange[]) =>
    ranges.slice(1).map((range, i) => `${range.from}\u0000${ranges[i]!.personId}\u0000${range.personId}`);
  const [old, now] = [new Set(handOvers(before)), new Set(handOvers(after))];
  const moved = [...old].filter((key) => !now.has(key)).concat([...now].filter((key) => !old.has(key)));
  return moved.length === 0 ? null : Math.min(...moved.map((key) => Number(key.split('\u0000')[0])));
}

/**
 * Stores identify calls (raw, like events) and keeps what is derived from them current: the person
 * ranges of the claiming visitor and the person's row with its traits. Each call re-derives both
 * from all claims, so a late or replayed identify gives what time order would, and rebuild equals ingest.
 */
export function createPeopleStore(db: Db) {
  const insertClaim = db.prepare(`
    INSERT INTO identities (site_id, event_id, ts, visitor_id, person_id, traits) VALUES (@siteId, @eventId, @time, @visitorId, @personId, @traits)
    ON CONFLICT (site_id, event_id) DO NOTHING`);
  const claimsOfVisitor = db.prepare(`
    SELECT ts, person_id AS personId FROM identities WHERE site_id = ? AND visitor_id = ? ORDER BY ts, id`);
  const deleteRanges = db.prepare('DELETE FROM person_visitors WHERE site_id = ? AND visitor_id = ?');
  const insertRange = db.prepare(`
    INSERT INTO person_visitors (site_id, visitor_id, from_ts, until_ts, person_id) VALUES (?, ?, ?, ?, ?)`);
  const claimsOfPerson = db.prepare(`
    SELECT ts, traits FROM identities WHERE site_id = ? AND person_id = ? ORDER BY ts, id`);
  const upsertPerson = db.prepare(`
    INSERT OR REPLACE INTO people (site_id, person_id, first_identified_at, last_identified_at, traits) VALUES (?, ?, ?, ?, ?)`);
  const deletePerson = db.prepare('DELETE FROM people WHERE site_id = ? AND person_id = ?');

  const currentRanges = personRangesReader(db);

  /** Derives the visitor's ranges again from its claims; returns them as they were and as they are. */
  function relinkVisitor(siteId: number, visitorId: string): { before: PersonRange[]; after: PersonRange[] } {
    const before = currentRanges(siteId, visitorId);
    deleteRanges.run(siteId, visitorId);
    const after = rangesOfClaims(claimsOfVisitor.all(siteId, visitorId) as Claim[]);
    for (const range of after) insertRange.run(siteId, visitorId, range.from, range.until, range.personId);
    return { before, after };
  }

  /** The person's row from its claims: traits merge in time order, so a later value wins. */
  function recountPerson(siteId: number, personId: string): 'kept' | 'removed' {
    const claims = claimsOfPerson.all(siteId, personId) as { ts: number; traits: string | null }[];
    if (claims.length === 0) return deletePerson.run(siteId, personId).changes > 0 ? 'removed' : 'kept';
    const traits = Object.assign({}, ...claims.map((claim) => (claim.traits ? JSON.parse(claim.traits) : {})));
    upsertPerson.run(siteId, personId, claims[0]!.ts, claims[claims.length - 1]!.ts, JSON.stringify(traits));
    return 'kept';
  }

  return {
    /**
     * Stores the claim once and re-derives what it changes. Null for a replay (nothing stored); else
     * the earliest moment from which the visitor's visits must be cut again (firstChangedHandOver),
     * or null inside `{}` when none must.
     */
    claim(identity: Pick<Identity, 'siteId' | 'eventId' | 'time' | 'visitorId' | 'personId' | 'traits'>): { cutFrom: number | null } | null {
      const traits = identity.traits ? JSON.stringify(identity.traits) : null;
      if (insertClaim.run({ ...identity, traits }).changes === 0) return null;
      const { before, after } = relinkVisitor(identity.siteId, identity.visitorId);
      recountPerson(identity.siteId, identity.personId);
      return { cutFrom: firstChangedHandOver(before, after) };
    },
    relinkVisitor,
    recountPerson,
  };
}

export type PeopleStore = ReturnType<typeof createPeopleStore>;

/** `waymark rebuild`: every person range and person row of a site again from its raw claims. */
export function rebuildPeople(db: Db, siteId: number): { people: number } {
  const people = createPeopleStore(db);
  db.prepare('DELETE FROM person_visitors WHERE site_id = ?').run(siteId);
  db.prepare('DELETE FROM people WHERE site_id = ?').run(siteId);
  const visitors = db.prepare('SELECT DISTINCT site_id AS siteId, visitor_id AS visitorId FROM identities WHERE site_id = ?').all(siteId) as { siteId: number; visitorId: string }[];
  for (const { visitorId } of visitors) people.relinkVisitor(siteId, visitorId);
  const persons = db.prepare('SELECT DISTINCT site_id AS siteId, person_id AS personId FROM identities WHERE site_id = ?').all(siteId) as { siteId: number; personId: string }[];
  for (const { personId } of persons) people.recountPerson(siteId, personId);
  return { people: persons.length };
}
