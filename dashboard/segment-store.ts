import type { Db } from '../collector/store/database.ts';
import type { SegmentDefinition } from './segment-queries.ts';

export interface Segment {
  id: number;
  definition: SegmentDefinition;
  createdAt: string;
  updatedAt: string;
}

/** Saved segment definitions of a site; their members are computed when asked (segment-queries.ts). */
export function createSegmentStore(db: Db) {
  const list = db.prepare('SELECT id, definition, created_at AS createdAt, updated_at AS updatedAt FROM segments WHERE site_id = ? ORDER BY id');
  const one = db.prepare('SELECT id, definition, created_at AS createdAt, updated_at AS updatedAt FROM segments WHERE site_id = ? AND id = ?');
  const insert = db.prepare('INSERT INTO segments (site_id, name, definition, created_at, updated_at) VALUES (?, ?, ?, ?, ?)');
  const update = db.prepare('UPDATE segments SET name = ?, definition = ?, updated_at = ? WHERE site_id = ? AND id = ?');
  const remove = db.prepare('DELETE FROM segments WHERE site_id = ? AND id = ?');
  type Row = { id: number; definition: string; createdAt: number; updatedAt: number };
  const out = (row: Row): Segment => ({
    id: row.id,
    definition: JSON.parse(row.definition) as SegmentDefinition,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  });

  return {
    list: (siteId: number) => (list.all(siteId) as Row[]).map(out),
    get(siteId: number, id: number): Segment | null {
      const row = one.get(siteId, id) as Row | undefined;
      return row ? out(row) : null;
    },
    create(siteId: number, definition: SegmentDefinition, now: number): Segment {
      const id = Number(insert.run(siteId, definition.name, JSON.stringify(definition), now, now).lastInsertRowid);
      return this.get(siteId, id)!;
    },
    update(siteId: number, id: number, definition: SegmentDefinition, now: number): Segment | null {
      if (update.run(definition.name, JSON.stringify(definition), now, siteId, id).changes === 0) return null;
      return this.get(siteId, id);
    },
    remove: (siteId: number, id: number) => remove.run(siteId, id).changes > 0,
  };
}

export type SegmentStore = ReturnType<typeof createSegmentStore>;
