import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeCrmTraits } from './crm-traits.ts';
import { type Db, openDatabase } from './database.ts';

const ANN = 'a'.repeat(64);
const BOB = 'b'.repeat(64);
const CARL = 'c'.repeat(64);
let db: Db;
let site: number;
let otherSite: number;

beforeEach(() => {
  db = openDatabase(':memory:');
  const addSite = (domain: string) => Number(db.prepare('INSERT INTO sites (domain, created_at) VALUES (?, 0)').run(domain).lastInsertRowid);
  site = addSite('example.com');
  otherSite = addSite('other.example');
  // ann is known on example.com, bob only on the other site.
  const person = db.prepare("INSERT INTO people (site_id, person_id, first_identified_at, last_identified_at, traits) VALUES (?, ?, 0, 0, '{}')");
  person.run(site, ANN);
  person.run(otherSite, BOB);
});
afterEach(() => db.close());

const stored = () => db.prepare('SELECT site_id AS siteId, person_id AS personId, traits, imported_at AS importedAt FROM crm_traits ORDER BY person_id').all();

describe('writeCrmTraits', () => {
  it('stores each person once, the later row winning, and matches people known on the same site', () => {
    const counts = writeCrmTraits(db, site, [
      { personId: ANN, traits: { plan: 'free' } },
      { personId: BOB, traits: { plan: 'pro', seats: 3 } },
      { personId: ANN, traits: { plan: 'pro' } },
    ], 1000);
    expect(counts).toEqual({ written: 2, matched: 1 });
    expect(stored()).toEqual([
      { siteId: site, personId: ANN, traits: '{"plan":"pro"}', importedAt: 1000 },
      { siteId: site, personId: BOB, traits: '{"plan":"pro","seats":3}', importedAt: 1000 },
    ]);
  });

  it('counts a person matched once per import, across its batches', () => {
    expect(writeCrmTraits(db, site, [{ personId: ANN, traits: { plan: 'free' } }], 1000)).toEqual({ written: 1, matched: 1 });
    expect(writeCrmTraits(db, site, [{ personId: ANN, traits: { plan: 'pro' } }, { personId: CARL, traits: {} }], 1000)).toEqual({ written: 2, matched: 0 });
    expect(writeCrmTraits(db, site, [{ personId: ANN, traits: {} }], 2000)).toEqual({ written: 1, matched: 1 });
  });

  it('replaces the CRM traits a person had: an export is a snapshot', () => {
    writeCrmTraits(db, site, [{ personId: ANN, traits: { plan: 'free', seats: 1 } }], 1000);
    writeCrmTraits(db, site, [{ personId: ANN, traits: { plan: 'pro' } }], 2000);
    expect(stored()).toEqual([{ siteId: site, personId: ANN, traits: '{"plan":"pro"}', importedAt: 2000 }]);
  });

  it('leaves other sites and the people rows alone', () => {
    writeCrmTraits(db, otherSite, [{ personId: ANN, traits: { plan: 'x' } }], 1000);
    writeCrmTraits(db, site, [{ personId: ANN, traits: { plan: 'y' } }], 1000);
    expect(db.prepare('SELECT site_id, traits FROM crm_traits ORDER BY site_id').raw().all()).toEqual([
      [site, '{"plan":"y"}'],
      [otherSite, '{"plan":"x"}'],
    ]);
    expect(db.prepare('SELECT traits FROM people WHERE site_id = ?').pluck().get(site)).toBe('{}');
  });
});
