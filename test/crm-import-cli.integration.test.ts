// `waymark import-crm` as an operator runs it: the built command on the file of a running server.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, send, startTestServer, type TestServer } from './helpers/test-server.ts';

const BIN = new URL('../bin/waymark.js', import.meta.url).pathname;
const site = 'cli.example';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function waymark(...args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

let server: TestServer;
let csv: string;
const csvFile = (name: string, text: string) => {
  const path = join(server.dir, name);
  writeFileSync(path, text);
  return path;
};

// The server keeps running: the command writes beside it, in short transactions.
beforeAll(async () => {
  server = await startTestServer();
  await send(server, { type: 'identify', site, id: newId('identify'), visitor: 'annCliVisitor00001', url: `https://${site}/`, person: sha256('ann@example.com') });
  csv = csvFile('crm.csv', 'email,plan,seats\nAnn@Example.com,pro,3\nbob@example.com,"free"x,1\ncarl@example.com,free,\n');
});
afterAll(async () => {
  await server.stop();
});

describe('waymark import-crm', () => {
  it('reports its own missing arguments together with the settings’ problems', async () => {
    const { code, stderr } = await waymark('import-crm', '--port', 'eighty');
    expect(code).toBe(1);
    expect(stderr).toBe(
      ['invalid configuration:', '  - the CSV file comes first: waymark import-crm FILE.csv --site SITE', '  - --site is required: the site whose people the file describes', '  - --port: a port number', ''].join('\n'),
    );
  });

  it('fails on a missing file, an unknown site or a bad header, writing nothing', async () => {
    const missing = join(server.dir, 'missing.csv');
    expect(await waymark('import-crm', missing, '--site', site, '--db', server.dbPath)).toMatchObject({ code: 1, stderr: `waymark: no file at ${missing}\n` });
    expect(await waymark('import-crm', csv, '--site', 'nowhere.example', '--db', server.dbPath)).toMatchObject({ code: 1, stderr: 'waymark: unknown site "nowhere.example"\n' });
    const badHeader = csvFile('bad-header.csv', 'mail,plan\nann@example.com,pro\n');
    expect(await waymark('import-crm', badHeader, '--site', site, '--db', server.dbPath)).toMatchObject({ code: 1, stdout: '', stderr: expect.stringMatching(/^waymark: header: no e-mail column/) });
    expect(server.query('SELECT count(*) AS n FROM crm_traits')).toEqual([{ n: 0 }]);
  });

  it('imports the good rows, prints the summary, and each skipped row on stderr', async () => {
    const result = await waymark('import-crm', csv, `--site=${site}`, '--db', server.dbPath);
    expect(result).toEqual({
      code: 0,
      stdout: `${site}: read 3 rows, imported 2, skipped 1; 1 of the people imported are known from identify calls\n`,
      stderr: `line 3: malformed quoting: a field is either wholly in double quotes, with "" for a quote inside, or has no quote\n`,
    });
    expect(server.query('SELECT person_id AS personId, traits FROM crm_traits ORDER BY traits')).toEqual([
      { personId: sha256('carl@example.com'), traits: '{"plan":"free"}' },
      { personId: sha256('ann@example.com'), traits: '{"plan":"pro","seats":3}' },
    ]);
  });

  it('takes the e-mail column by name, and shows progress on a large file', async () => {
    const rows = Array.from({ length: 60_000 }, (_, i) => `${i},person${i}@example.com`);
    const large = csvFile('large.csv', `id,Contact\n${rows.join('\n')}\n`);
    const result = await waymark('import-crm', large, '--site', site, '--email-column', 'contact', '--db', server.dbPath);
    expect(result).toEqual({ code: 0, stdout: `${site}: read 60000 rows, imported 60000, skipped 0; 0 of the people imported are known from identify calls\n`, stderr: 'read 50000 rows…\n' });
    expect(server.query('SELECT traits FROM crm_traits WHERE person_id = ?', sha256('person59999@example.com'))).toEqual([{ traits: '{"id":59999}' }]);
  });
});
