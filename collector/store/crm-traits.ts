import type { Db } from './database.ts';

/** A trait value as imported: numbers stay numbers, so segments can compare them. */
export type CrmTraits = Record<string, string | number>;

/** One person of a CRM export: the address is already hashed (collector/crm-import.ts) and never reaches the store. */
export interface CrmRow {
  personId: string;
  traits: CrmTraits;
}

export interface CrmWriteCounts {
  /** Distinct people written by this batch. */
  written: number;
  /** Of those, the people already known from identify calls, each counted once per import. */
  matched: number;
}

/**
 * Upserts one batch of CRM rows in one transaction. A CRM export is a snapshot, so a person's row
 * replaces the CRM traits they had; within a batch the later row of a person wins.
 *
 * `now` is the import's time, the same for all of its batches: a person already written at `now`
 * came earlier in the same file, so they are not matched a second time when the file repeats them
 * in another batch (no set of ids has to be kept in memory for the whole file).
 */
export function writeCrmTraits(db: Db, siteId: number, rows: readonly CrmRow[], now: number): CrmWriteCounts {
  const latest = new Map<string, CrmTraits>();
  for (const row of rows) latest.set(row.personId, row.traits);
  const knownAndSeen = db.prepare(`
    SELECT EXISTS (SELECT 1 FROM people WHERE site_id = @siteId AND person_id = @personId) AS known,
           EXISTS (SELECT 1 FROM crm_traits WHERE site_id = @siteId AND person_id = @personId AND imported_at = @now) AS seen`);
  const upsert = db.prepare(`
    INSERT INTO crm_traits (site_id, person_id, traits, imported_at) VALUES (@siteId, @personId, @traits, @now)
    ON CONFLICT (site_id, person_id) DO UPDATE SET traits = excluded.traits, imported_at = excluded.imported_at`);
  return db.transaction(() => {
    let matched = 0;
    for (const [personId, traits] of latest) {
      const { known, seen } = knownAndSeen.get({ siteId, personId, now }) as { known: 0 | 1; seen: 0 | 1 };
      if (known && !seen) matched++;
      upsert.run({ siteId, personId, traits: JSON.stringify(traits), now });
    }
    return { written: latest.size, matched };
  })();
}
