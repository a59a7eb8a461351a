// POST /api/sites/:site/crm through the real server, its writer thread and its SQLite file.
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId, send, startTestServer, type TestServer } from './helpers/test-server.ts';

const site = 'example.com';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ANN = 'Ann.Known@Example.com';
const BOB = 'bob.unknown@example.org';
const FIFTY_MB = 50 * 1024 * 1024;

let server: TestServer;

async function upload(body: BodyInit, { query = '', domain = site, token = server.adminToken, contentType = 'text/csv' } = {}) {
  const response = await fetch(`${server.url}/api/sites/${domain}/crm${query}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
    body,
    duplex: 'half',
  } as RequestInit);
  return { status: response.status, json: (await response.json()) as any };
}

/** Every table and column of the file where the text appears (as test/erasure.integration.test.ts looks). */
function placesNaming(text: string): string[] {
  const places: string[] = [];
  for (const { name: table } of server.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")) {
    for (const { name: column } of server.query<{ name: string }>('SELECT name FROM pragma_table_info(?)', table)) {
      const [found] = server.query<{ n: number }>(`SELECT count(*) AS n FROM "${table}" WHERE instr(lower(CAST("${column}" AS TEXT)), lower(?)) > 0`, text);
      if (found!.n > 0) places.push(`${table}.${column}`);
    }
  }
  return places;
}

beforeAll(async () => {
  server = await startTestServer();
  const identified = await send(server, {
    type: 'identify',
    site,
    id: newId('identify'),
    visitor: 'visitor0000000001',
    url: `https://${site}/`,
    person: sha256(ANN.trim().toLowerCase()),
  });
  expect(identified.status).toBe(202);
});
afterAll(async () => {
  await server.stop();
});

describe('POST /api/sites/:site/crm', () => {
  describe('a CRM export with a known person, an unknown one and a bad row', () => {
    let answer: { status: number; json: any };
    beforeAll(async () => {
      const csv = `\ufeffE-mail,Plan,Seats,Company\r\n ${ANN} ,pro,12,"Acme, Inc."\r\n${BOB},free,,\r\nnot an address,pro,1,x\r\n`;
      answer = await upload(csv);
    });

    it('answers with the summary: rows, imported, skipped with their lines, people matched', () => {
      expect(answer).toEqual({
        status: 200,
        json: { site, rows: 3, imported: 2, skipped: 1, matched: 1, errors: [{ line: 4, error: '"E-mail" is not an e-mail address' }], moreErrors: 0 },
      });
    });

    it('stores the traits under the hashed address', () => {
      expect(server.query('SELECT person_id AS personId, traits, imported_at AS importedAt FROM crm_traits ORDER BY traits')).toEqual([
        { personId: sha256(BOB), traits: '{"Plan":"free"}', importedAt: server.now() },
        { personId: sha256(ANN.toLowerCase()), traits: '{"Plan":"pro","Seats":12,"Company":"Acme, Inc."}', importedAt: server.now() },
      ]);
    });

    it('stores no clear address anywhere in the file', () => {
      expect(placesNaming(ANN)).toEqual([]);
      expect(placesNaming(BOB)).toEqual([]);
      expect(placesNaming('@example.')).toEqual([]);
    });

    it('replaces a person’s CRM traits on the next import, and takes another e-mail column', async () => {
      server.advance(60_000);
      expect(await upload(`id,Work Address,Plan\n7,${BOB},pro\n`, { query: '?emailColumn=work%20address' })).toMatchObject({ status: 200, json: { rows: 1, imported: 1, matched: 0 } });
      expect(server.query('SELECT traits, imported_at AS importedAt FROM crm_traits WHERE person_id = ?', sha256(BOB))).toEqual([{ traits: '{"id":7,"Plan":"pro"}', importedAt: server.now() }]);
    });
  });

  it('refuses a bad header with 400, before any row', async () => {
    expect(await upload('email,plan,plan\nann@example.com,a,b\n')).toEqual({ status: 400, json: { error: 'header: "plan" names two columns' } });
    expect(await upload('mail,plan\n')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^header: no e-mail column/) } });
    expect(await upload('')).toMatchObject({ status: 400, json: { error: expect.stringMatching(/^the file is empty/) } });
  });

  it('needs the admin token', async () => {
    expect((await upload('email\ncarl@example.com\n', { token: 'not-the-admin-token-0000' })).status).toBe(401);
    expect(placesNaming('carl')).toEqual([]);
    expect(server.query('SELECT count(*) AS n FROM crm_traits WHERE person_id = ?', sha256('carl@example.com'))).toEqual([{ n: 0 }]);
  });

  it('answers 404 for an unknown site and 415 for another content type', async () => {
    expect(await upload('email\n', { domain: 'nowhere.example' })).toEqual({ status: 404, json: { error: 'unknown site "nowhere.example"' } });
    expect((await upload('email\n', { contentType: 'application/json' })).status).toBe(415);
  });

  it('answers 413 to a body declared larger than 50 MB, without reading it', async () => {
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/api/sites/${site}/crm`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${server.adminToken}`, 'Content-Type': 'text/csv', 'Content-Length': String(FIFTY_MB + 1) },
      });
      req.on('response', (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      });
      req.on('error', reject);
      req.write('email\n');
    });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error).toMatch(/^body larger than 52428800 bytes/);
  });

  it('answers 413 to a streamed body once it passes 50 MB', async () => {
    // Lines of spaces: read, and no rows.
    const chunk = new TextEncoder().encode(`${' '.repeat(1023)}\n`.repeat(1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('email,plan\ndora@example.com,pro\n'));
      },
      pull(controller) {
        // A bound of its own, should the server keep reading.
        if (sent++ > 60) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const answer = await upload(body);
    // Written batches stay (a re-import replaces them); this body's one row was still in its batch.
    expect(answer).toEqual({ status: 413, json: { error: 'body larger than 52428800 bytes: use waymark import-crm for larger files (rows imported before the limit: 0)' } });
  });
});
