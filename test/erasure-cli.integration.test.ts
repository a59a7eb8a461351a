// `waymark erase` and `waymark purge` as an operator runs them: the built command on a file the real server wrote.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageview, send, startTestServer, type TestServer } from './helpers/test-server.ts';

const BIN = new URL('../bin/waymark.js', import.meta.url).pathname;
const DAY = 86_400_000;
const site = 'cli.example';
const PERSON = 'c'.repeat(64);

async function waymark(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let server: TestServer;
const visitorsLeft = () => server.query<{ visitor_id: string }>('SELECT DISTINCT visitor_id FROM events ORDER BY visitor_id').map((row) => row.visitor_id);

// Two visitors seen 400 days before the real clock, one of them also now; then the server stops, as the commands ask.
beforeAll(async () => {
  server = await startTestServer({ startTime: Date.now() - 400 * DAY });
  await send(server, pageview({ site, visitor: 'annCliVisitor00001', url: `https://${site}/` }));
  await send(server, pageview({ site, visitor: 'bobCliVisitor00001', url: `https://${site}/` }));
  server.advance(400 * DAY);
  await send(server, pageview({ site, visitor: 'bobCliVisitor00001', url: `https://${site}/now` }));
  // Carol logs in: her device's two pageviews are hers.
  await send(server, pageview({ site, visitor: 'carolCliVisitor001', url: `https://${site}/login` }));
  await send(server, { type: 'identify', site, id: 'carolIdentify0001', visitor: 'carolCliVisitor001', url: `https://${site}/login`, person: PERSON });
  await send(server, pageview({ site, visitor: 'carolCliVisitor001', url: `https://${site}/account` }));
  await server.close();
});
afterAll(async () => {
  await server.stop();
});

describe('waymark erase', () => {
  it('reports its own missing flags together with the settings’ problems', async () => {
    const { code, stderr } = await waymark('erase', '--site', '--port', 'eighty');
    expect(code).toBe(1);
    expect(stderr).toBe(['invalid configuration:', '  - --site needs a value', '  - one of --visitor ID or --person ID is required: whose data to erase', '  - --port: a port number', ''].join('\n'));
  });

  it('refuses a database that does not exist, rather than creating an empty one', async () => {
    const missing = join(server.dir, 'missing.db');
    expect(await waymark('erase', '--db', missing, '--site', site, '--visitor', 'annCliVisitor00001')).toMatchObject({ code: 1, stderr: `waymark: no database at ${missing}\n` });
  });

  it('says when the site or the visitor is unknown', async () => {
    expect(await waymark('erase', '--db', server.dbPath, '--site', 'nowhere.example', '--visitor', 'annCliVisitor00001')).toMatchObject({ code: 1, stderr: 'waymark: unknown site "nowhere.example"\n' });
    expect(await waymark('erase', `--db=${server.dbPath}`, `--site=${site}`, '--visitor=nobody')).toMatchObject({ code: 1, stderr: `waymark: no visitor "nobody" on ${site}\n` });
  });

  it('erases the visitor and counts what it removed', async () => {
    const result = await waymark('erase', '--site', site, '--visitor', 'annCliVisitor00001', '--db', server.dbPath);
    expect(result).toMatchObject({ code: 0, stdout: `erased 1 events, 1 sessions and 1 visitors of visitor "annCliVisitor00001" on ${site}\n` });
    expect(visitorsLeft()).toEqual(['bobCliVisitor00001', 'carolCliVisitor001']);
  });
});

describe('waymark rebuild', () => {
  it('rebuilds one site, or says the site is unknown', async () => {
    const sessionsBefore = server.query('SELECT * FROM sessions ORDER BY id');
    expect(await waymark('rebuild', '--db', server.dbPath, '--site', 'nowhere.example')).toMatchObject({ code: 1, stderr: 'waymark: unknown site "nowhere.example"\n' });
    const result = await waymark('rebuild', '--db', server.dbPath, '--site', site);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^rebuilt \\d+ sessions, \\d+ visitors and 1 people of ${site} from 4 events\\n$`));
    // The same sessions again (their ids may differ): rebuild equals what ingest derived.
    const strip = (rows: Record<string, unknown>[]) => rows.map(({ id: _, ...row }) => row);
    expect(strip(server.query('SELECT * FROM sessions ORDER BY started_at, visitor_id'))).toEqual(strip(sessionsBefore as Record<string, unknown>[]).sort((a: any, b: any) => a.started_at - b.started_at || a.visitor_id.localeCompare(b.visitor_id)));
  });
});

describe('waymark erase --person', () => {
  it('erases a person\'s devices and claims, and refuses an id that is not a hash', async () => {
    expect(await waymark('erase', '--db', server.dbPath, '--site', site, '--person', 'someone@example.com')).toMatchObject({
      code: 1,
      stderr: 'invalid configuration:\n  - --person: a SHA-256 in lower-case hex (64 characters)\n',
    });
    expect(await waymark('erase', '--db', server.dbPath, '--site', site, '--person', 'c'.repeat(64), '--visitor', 'x')).toMatchObject({ code: 1 });
    const result = await waymark('erase', '--db', server.dbPath, '--site', site, '--person', PERSON);
    expect(result).toMatchObject({ code: 0, stdout: `erased 2 events, 1 sessions, 1 visitors, 1 identify calls and 1 person rows of person "${PERSON}" on ${site}\n` });
    expect(visitorsLeft()).not.toContain('carolCliVisitor001');
    expect(await waymark('erase', '--db', server.dbPath, '--site', site, '--person', PERSON)).toMatchObject({ code: 1, stderr: `waymark: no person "${PERSON}" on ${site}\n` });
  });
});

describe('waymark purge', () => {
  it('removes what is past --retention-days, by the real clock', async () => {
    expect(await waymark('purge', '--db', server.dbPath)).toMatchObject({ code: 0, stdout: 'nothing is past retention\n' });
    expect(await waymark('purge', '--db', server.dbPath, '--retention-days', '30')).toMatchObject({
      code: 0,
      stdout: 'purged 1 events, 1 sessions, 0 visitors and 0 daily drop counts past retention\n',
    });
    expect(server.query('SELECT path FROM events')).toEqual([{ path: '/now' }]);
  });
});
