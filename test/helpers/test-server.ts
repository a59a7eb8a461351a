import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { loadConfig } from '../../collector/config.ts';
import { type RunningCollector, startCollector } from '../../collector/server.ts';

const MODEL_CACHE = fileURLToPath(new URL('../../node_modules/.cache/waymark-themes', import.meta.url));

export const CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export interface TestServer extends RunningCollector {
  dir: string;
  dbPath: string;
  /** A read-only look at the real SQLite file the server writes. */
  query<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
  /** Moves the injected clock. */
  advance(ms: number): void;
  /** The injected clock's time. */
  now(): number;
  stop(): Promise<void>;
}

/** The real collector on a free port, with a fresh SQLite file in a temporary folder and an injected clock. */
export async function startTestServer({ env = {}, startTime = Date.parse('2026-11-02T10:00:00Z') }: { env?: Record<string, string>; startTime?: number } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'waymark-test-'));
  const dbPath = join(dir, 'waymark.db');
  let clock = startTime;
  const config = loadConfig([], {
    PORT: '0',
    WAYMARK_HOST: '127.0.0.1',
    WAYMARK_DB: dbPath,
    WAYMARK_ADMIN_TOKEN: 'test-admin-token-0123456789',
    // The compact word vectors are derived once for every test (and the unit tests of enrich/themes), not per server.
    WAYMARK_MODEL_CACHE: MODEL_CACHE,
    ...env,
  });
  const collector = await startCollector(config, { now: () => clock, log: () => {} });
  const reader = new Database(dbPath, { readonly: true });
  return {
    ...collector,
    url: `http://127.0.0.1:${collector.port}`,
    dir,
    dbPath,
    query: (sql, ...params) => reader.prepare(sql).all(...params) as never,
    advance(ms) {
      clock += ms;
    },
    now: () => clock,
    async stop() {
      reader.close();
      await collector.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let counter = 0;
/** A unique client id in the tracker's alphabet. */
export function newId(prefix = 'id'): string {
  return `${prefix}${Date.now().toString(36)}${(counter++).toString(36)}${Math.random().toString(36).slice(2, 10)}`.replace(/[^A-Za-z0-9_-]/g, '');
}

export function pageview(overrides: Record<string, unknown> = {}) {
  return { type: 'pageview', site: 'example.com', id: newId('pv'), visitor: 'visitor0000000001', url: 'https://example.com/', ...overrides };
}

export async function send(server: { url: string }, body: unknown, { userAgent = CHROME_UA, contentType = 'text/plain', headers = {} }: { userAgent?: string; contentType?: string; headers?: Record<string, string> } = {}) {
  const response = await fetch(`${server.url}/e`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, 'User-Agent': userAgent, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Some answers (a 413 from a proxy, a pixel) are not JSON; the test reads `text` then.
  }
  return { status: response.status, json, text, headers: response.headers };
}

export async function api(server: TestServer, path: string, token = server.adminToken) {
  const response = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  return { status: response.status, json: (await response.json()) as any };
}
