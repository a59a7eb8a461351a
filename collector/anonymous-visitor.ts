import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './store/database.ts';

/** Salts are kept this many days, then deleted, so yesterday's ids can no longer be recomputed. */
const SALT_DAYS_KEPT = 2;

/**
 * A visitor id for hits that carry none (the no-script pixel, storage blocked in the browser):
 * a hash of a daily secret, the site, the address and the user agent. The visit is counted,
 * the address is never stored, and the same person gets a new id the next day.
 */
export function createAnonymousVisitorIds(db: Db) {
  const select = db.prepare('SELECT secret FROM salts WHERE day = ?').pluck();
  const insert = db.prepare('INSERT INTO salts (day, secret) VALUES (?, ?) ON CONFLICT (day) DO NOTHING');
  const prune = db.prepare('DELETE FROM salts WHERE day < ?');
  let current: { day: string; secret: Buffer } | undefined;

  function saltFor(time: number): Buffer {
    const day = new Date(time).toISOString().slice(0, 10);
    if (current?.day === day) return current.secret;
    insert.run(day, randomBytes(32));
    prune.run(new Date(time - SALT_DAYS_KEPT * 86_400_000).toISOString().slice(0, 10));
    current = { day, secret: select.get(day) as Buffer };
    return current.secret;
  }

  return function anonymousVisitorId({ site, address, userAgent, time }: { site: string; address: string; userAgent: string; time: number }): string {
    return createHash('sha256')
      .update(saltFor(time))
      .update(`\u0000${site}\u0000${address}\u0000${userAgent}`)
      .digest('base64url')
      .slice(0, 22);
  };
}
