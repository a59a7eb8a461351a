import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROME_UA, newId, pageview } from './helpers/test-server.ts';

const BIN = new URL('../bin/waymark.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'waymark-durability-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** The real `waymark serve` command in a child process, as an operator runs it. */
async function startChild(dbPath: string, port: number): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, PORT: String(port), WAYMARK_HOST: '127.0.0.1', WAYMARK_DB: dbPath, WAYMARK_ADMIN_TOKEN: 'durability-token-0123456789' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      if (output.includes('listening on')) resolve();
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', () => reject(new Error(`collector exited before listening:\n${output}`)));
  });
  return { child, exited };
}

/** Sends events from `workers` concurrent loops until `stop` is set; returns the ids answered 202. */
function streamEvents(port: number, workers: number) {
  const acknowledged: string[] = [];
  const dropped: unknown[] = [];
  let stopped = false;
  const loops = Array.from({ length: workers }, async (_, worker) => {
    while (!stopped) {
      // A new visitor per request: one visitor sending hundreds of pageviews a second would be dropped as a script.
      const visitor = newId('visitor');
      const batch = Array.from({ length: 1 + (acknowledged.length % 3) }, () =>
        pageview({ id: newId('dur'), visitor, url: `https://example.com/${worker}` }),
      );
      try {
        const response = await fetch(`http://127.0.0.1:${port}/e`, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain', 'User-Agent': CHROME_UA },
          body: JSON.stringify(batch),
        });
        const answer = (await response.json()) as { accepted?: number };
        // Acknowledged means 202 with every event accepted (a dropped event is acknowledged but not stored).
        if (response.status === 202 && answer.accepted === batch.length) acknowledged.push(...batch.map((e) => e.id));
        else if (response.status === 202) dropped.push(answer);
      } catch {
        // The collector died mid-request: this batch was not acknowledged, so it need not be stored.
      }
    }
  });
  return {
    acknowledged,
    /** 202 answers that did not accept every event: none are expected from this stream. */
    dropped,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

function storedIds(dbPath: string): Map<string, number> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.prepare('SELECT event_id AS id, count(*) AS n FROM events GROUP BY event_id').all() as { id: string; n: number }[];
    return new Map(rows.map((r) => [r.id, r.n]));
  } finally {
    db.close();
  }
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('durability', () => {
  it('keeps every acknowledged event, exactly once, across a SIGKILL and a restart', async () => {
    const dbPath = join(dir, 'killed.db');
    const port = await freePort();
    const first = await startChild(dbPath, port);
    const stream = streamEvents(port, 8);
    await waitFor(() => stream.acknowledged.length >= 300);
    first.child.kill('SIGKILL');
    await first.exited;
    await stream.stop();
    const acknowledged = [...stream.acknowledged];
    expect(stream.dropped).toEqual([]);

    const second = await startChild(dbPath, port);
    const after = pageview({ id: newId('after') });
    const response = await fetch(`http://127.0.0.1:${port}/e`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain', 'User-Agent': CHROME_UA },
      body: JSON.stringify(after),
    });
    expect(response.status).toBe(202);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const stored = storedIds(dbPath);
    const missing = acknowledged.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    expect([...stored.values()].every((n) => n === 1)).toBe(true);
    expect(stored.has(after.id)).toBe(true);
  });

  it('commits what it accepted before stopping on SIGTERM', async () => {
    const dbPath = join(dir, 'terminated.db');
    const port = await freePort();
    const { child, exited } = await startChild(dbPath, port);
    const stream = streamEvents(port, 8);
    await waitFor(() => stream.acknowledged.length >= 200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await stream.stop();

    const stored = storedIds(dbPath);
    expect(stream.acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  });
});
