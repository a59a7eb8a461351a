import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { MiddlewareHandler } from 'hono';

/**
 * The token that protects the dashboard and its API: `WAYMARK_ADMIN_TOKEN` when set, else the
 * one generated on first start and kept beside the database, so it survives restarts.
 */
export function resolveAdminToken(configured: string | undefined, databasePath: string): { token: string; file: string | null } {
  if (configured) return { token: configured, file: null };
  const file = join(dirname(databasePath), 'admin-token');
  if (existsSync(file)) {
    const stored = readFileSync(file, 'utf8').trim();
    if (stored.length >= 16) return { token: stored, file };
  }
  const token = randomBytes(24).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  // Only the owner may read it: it grants the whole dashboard.
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}

/** `Authorization: Bearer <token>`, compared in constant time. */
export function requireAdminToken(token: string): MiddlewareHandler {
  const expected = Buffer.from(token);
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7).trim() : '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      c.header('WWW-Authenticate', 'Bearer realm="waymark"');
      return c.json({ error: 'missing or wrong admin token (Authorization: Bearer <token>)' }, 401);
    }
    return next();
  };
}
