import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { CrmHeaderError, CrmImportStopped, importCrm, KEPT_ERRORS, personIdOf, type ReadCrmOptions, readCrmBatches } from './crm-import.ts';
import { type CrmRow, writeCrmTraits } from './store/crm-traits.ts';
import { type Db, openDatabase } from './store/database.ts';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ANN = sha256('ann@example.com');
const BOB = sha256('bob@example.com');

/** The text in chunks of `chunk` characters, as a socket or a file would hand it over. */
async function* chunksOf(text: string, chunk = text.length || 1) {
  for (let i = 0; i < text.length; i += chunk) yield text.slice(i, i + chunk);
}

async function read(text: string, options: ReadCrmOptions & { chunk?: number } = {}) {
  const rows: CrmRow[] = [];
  const errors: { line: number; error: string }[] = [];
  let read = 0;
  for await (const batch of readCrmBatches(chunksOf(text, options.chunk), options)) {
    rows.push(...batch.rows);
    errors.push(...batch.errors);
    read += batch.read;
  }
  return { rows, errors, read };
}

const headerError = (text: string, options: ReadCrmOptions = {}) =>
  read(text, options).then(
    () => 'no error',
    (error: Error) => (error instanceof CrmHeaderError ? error.message : `not a header error: ${error.message}`),
  );

describe('personIdOf', () => {
  it('hashes the trimmed, lower-cased address, as the tracker does', () => {
    expect(personIdOf('  Ann@Example.COM ')).toBe(ANN);
  });
});

describe('readCrmBatches', () => {
  describe('the header', () => {
    it.each([
      { name: '"email", any case, trimmed', csv: ' EMAIL ,plan\nann@example.com,pro\n', traits: { plan: 'pro' } },
      { name: '"e-mail"', csv: 'E-Mail,plan\nann@example.com,pro\n', traits: { plan: 'pro' } },
      { name: 'a column named by the option', csv: 'Work Email,email2\nann@example.com,x\n', emailColumn: ' work email', traits: { email2: 'x' } },
      { name: 'trait names trimmed', csv: 'email, Plan Name \nann@example.com,pro\n', traits: { 'Plan Name': 'pro' } },
    ])('finds the e-mail column: $name', async ({ csv, emailColumn, traits }) => {
      expect(await read(csv, { emailColumn })).toEqual({ rows: [{ personId: ANN, traits }], errors: [], read: 1 });
    });

    const thirtyOne = Array.from({ length: 31 }, (_, i) => `t${i}`).join(',');
    it.each([
      { name: 'no e-mail column', csv: 'mail,plan\nann@example.com,pro\n', error: 'header: no e-mail column (named "email" or "e-mail"; another name can be given as the e-mail column)' },
      { name: 'the named column missing', csv: 'email,plan\n', emailColumn: 'Work Email', error: 'header: no column "Work Email" for the e-mail address' },
      { name: 'two candidates', csv: 'email,E-mail\n', error: 'header: "email" and "E-mail" could both be the e-mail column: name the one to use' },
      { name: 'a duplicate name', csv: 'email,plan, plan\n', error: 'header: "plan" names two columns' },
      { name: 'an empty name', csv: 'email,,plan\n', error: 'header: column 2 has no name' },
      { name: 'a name too long', csv: `email,${'n'.repeat(65)}\n`, error: `header: "${'n'.repeat(64)}…" is longer than 64 characters` },
      { name: 'more than 30 traits', csv: `email,${thirtyOne}\n`, error: 'header: 31 trait columns, at most 30' },
      { name: 'malformed quoting', csv: 'email,"plan"x\n', error: expect.stringMatching(/^header: malformed quoting/) },
      { name: 'a quote that never closes', csv: 'email,"plan\nann@example.com,pro\n', error: 'header: line 1: a quoted field is not closed by the end of the file' },
    ])('refuses the file before any row: $name', async ({ csv, emailColumn, error }) => {
      expect(await headerError(`${csv}ann@example.com,pro\n`, { emailColumn })).toEqual(error);
    });

    it.each(['', '\r\n\r\n'])('refuses a file with no header: %j', async (csv) => {
      expect(await headerError(csv)).toBe('the file is empty: the first row must be a header with an "email" column');
    });

    it('accepts exactly 30 traits', async () => {
      const names = Array.from({ length: 30 }, (_, i) => `t${i}`);
      const { rows } = await read(`email,${names.join(',')}\nann@example.com,${names.map((_, i) => i).join(',')}\n`);
      expect(Object.keys(rows[0]!.traits)).toHaveLength(30);
    });
  });

  describe('values', () => {
    it.each([
      { name: 'a quoted comma and a doubled quote', cell: '"Acme, Inc. ""West"""', value: 'Acme, Inc. "West"' },
      { name: 'a line break inside quotes', cell: '"two\nlines"', value: 'two\nlines' },
      { name: 'spaces trimmed', cell: '  pro  ', value: 'pro' },
      { name: 'an integer', cell: '42', value: 42 },
      { name: 'a negative decimal', cell: '-3.50', value: -3.5 },
      { name: 'zero', cell: '0', value: 0 },
      { name: 'leading zeros kept as text (a postcode)', cell: '02134', value: '02134' },
      { name: 'an integer past 2^53 kept as text (an id)', cell: '12345678901234567890', value: '12345678901234567890' },
      { name: 'exponents as text', cell: '1e5', value: '1e5' },
      { name: 'a plus sign as text', cell: '+5', value: '+5' },
      { name: 'a trailing dot as text', cell: '5.', value: '5.' },
      { name: '512 characters', cell: 'x'.repeat(512), value: 'x'.repeat(512) },
    ])('$name', async ({ cell, value }) => {
      const { rows, errors } = await read(`email,v\nann@example.com,${cell}\n`);
      expect(errors).toEqual([]);
      expect(rows).toEqual([{ personId: ANN, traits: { v: value } }]);
    });

    it('leaves empty cells out', async () => {
      const { rows } = await read('email,plan,seats,notes\nann@example.com,, 3 ,"  "\n');
      expect(rows).toEqual([{ personId: ANN, traits: { seats: 3 } }]);
    });

    it('keeps a column named __proto__ as a plain trait', async () => {
      const { rows } = await read('email,__proto__\nann@example.com,x\n');
      expect(JSON.stringify(rows[0]!.traits)).toBe('{"__proto__":"x"}');
      expect(Object.getPrototypeOf(rows[0]!.traits)).toBe(Object.prototype);
    });

    it('reads a BOM and CRLF line ends, whatever the chunk boundaries', async () => {
      const csv = '\ufeffEmail,plan\r\nann@example.com,"pro\r\nplus"\r\nbob@example.com,free\r\nnot-an-address,x\r\n';
      for (const chunk of [1, 2, 3, 1000]) {
        expect(await read(csv, { chunk })).toEqual({
          rows: [
            { personId: ANN, traits: { plan: 'pro\r\nplus' } },
            { personId: BOB, traits: { plan: 'free' } },
          ],
          errors: [{ line: 5, error: '"Email" is not an e-mail address' }],
          read: 3,
        });
      }
    });
  });

  describe('rows that cannot be imported', () => {
    const csv = [
      'email,plan,seats', // 1
      'ann@example.com,pro,3', // 2
      'bob@example.com,pro', // 3: a field short
      'carl@example.com,pro,3,extra', // 4: one too many
      ',pro,3', // 5: no address
      'dora at example.com,pro,3', // 6
      'eve@example.com,"pro"x,3', // 7: text after a closing quote
      'fay@example.com,p"ro,3', // 8: a quote inside an unquoted field
      '', // 9: an empty line is not a row
      ',,', // 10: nor is a row of empty cells
      'gus@example.com,"pro', // 11: opens a quote that the next line's quote closes
      'hal@example.com,free,"1"', // 12: ...so this line belongs to line 11
      'ida@example.com,x@example.com,1', // 13: a second address
      `jo@example.com,${'x'.repeat(513)},1`, // 14
      `${'k'.repeat(250)}@example.com,pro,1`, // 15: longer than 254
      'lea@example.com,free,1', // 16
      'max@example.com,"open', // 17: never closed
      '',
    ].join('\n');

    it('reports each by line number, with the reason, and imports the rest', async () => {
      const { rows, errors, read: count } = await read(csv);
      expect(rows.map((row) => row.personId)).toEqual([ANN, sha256('lea@example.com')]);
      expect(errors).toEqual([
        { line: 3, error: '2 fields where the header has 3' },
        { line: 4, error: '4 fields where the header has 3' },
        { line: 5, error: '"email" is empty' },
        { line: 6, error: '"email" is not an e-mail address' },
        { line: 7, error: expect.stringMatching(/^malformed quoting/) },
        { line: 8, error: expect.stringMatching(/^malformed quoting/) },
        { line: 11, error: expect.stringMatching(/^malformed quoting/) },
        { line: 13, error: '"plan" holds an e-mail address, which is never stored' },
        { line: 14, error: '"plan" is longer than 512 characters' },
        { line: 15, error: '"email" is not an e-mail address' },
        { line: 17, error: 'a quoted field is not closed by the end of the file' },
      ]);
      expect(count).toBe(rows.length + errors.length);
    });

    it('never echoes an address in an error', async () => {
      const { errors } = await read(csv);
      expect(JSON.stringify(errors)).not.toMatch(/example\.com|dora/);
    });

    it('gives up a row that never ends, keeping what came before', async () => {
      const text = `email,plan\nann@example.com,pro\nbob@example.com,"${'x'.repeat(20_000)}\nann@example.com,pro\n`;
      const { rows, errors } = await read(text, { chunk: 100, maxRowBytes: 10_000 });
      expect(rows).toEqual([{ personId: ANN, traits: { plan: 'pro' } }]);
      expect(errors).toEqual([
        { line: 3, error: 'a quoted field is not closed by the end of the file' },
        { line: 3, error: 'no row ends within 10000 bytes (a quote that does not close?): the rest of the file was not read' },
      ]);
    });
  });

  it('hands rows over in batches of batchRows rows read', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => (i === 2 ? 'bad,x' : `p${i}@example.com,x`));
    const sizes: [number, number][] = [];
    for await (const batch of readCrmBatches(chunksOf(`email,plan\n${lines.join('\n')}\n`), { batchRows: 2 })) sizes.push([batch.rows.length, batch.errors.length]);
    expect(sizes).toEqual([
      [2, 0],
      [1, 1],
      [1, 0],
    ]);
  });
});

describe('importCrm', () => {
  let db: Db;
  let site: number;
  beforeEach(() => {
    db = openDatabase(':memory:');
    site = Number(db.prepare("INSERT INTO sites (domain, created_at) VALUES ('example.com', 0)").run().lastInsertRowid);
  });
  afterEach(() => db.close());

  it('keeps the first errors and counts the others', async () => {
    const lines = Array.from({ length: KEPT_ERRORS + 5 }, () => 'not-an-address,x');
    const summary = await importCrm(chunksOf(`email,plan\nann@example.com,pro\n${lines.join('\n')}\n`), { write: (rows) => writeCrmTraits(db, site, rows, 1) });
    expect(summary).toMatchObject({ rows: KEPT_ERRORS + 6, imported: 1, skipped: KEPT_ERRORS + 5, matched: 0, moreErrors: 5 });
    expect(summary.errors).toHaveLength(KEPT_ERRORS);
    expect(summary.errors[0]).toEqual({ line: 3, error: '"email" is not an e-mail address' });
  });

  it('says what was imported when the source fails midway', async () => {
    async function* failing() {
      // The parser holds back a chunk's last characters until it knows how the line ends.
      yield 'email,plan\nann@example.com,pro\n';
      yield 'bob@example.com,pro\n';
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('connection reset');
    }
    const stopped = await importCrm(failing(), { batchRows: 1, write: (rows) => writeCrmTraits(db, site, rows, 1) }).catch((error: unknown) => error);
    expect(stopped).toBeInstanceOf(CrmImportStopped);
    expect((stopped as CrmImportStopped).summary.imported).toBe(1);
    expect((stopped as Error).message).toBe('the import stopped after 1 imported rows: connection reset');
  });

  it('streams a file of 100,000 rows in batches of 1,000', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waymark-crm-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'crm.csv');
    const out = createWriteStream(file);
    out.write('email,plan,seats\r\n');
    for (let i = 0; i < 100_000; i++) out.write(`person${i}@example.com,"plan, ${i % 7}",${i}\r\n`);
    out.end();
    await finished(out);
    const batchSizes = new Set<number>();
    const summary = await importCrm(createReadStream(file), {
      write(rows) {
        batchSizes.add(rows.length);
        return writeCrmTraits(db, site, rows, 1);
      },
    });
    expect(summary).toEqual({ rows: 100_000, imported: 100_000, skipped: 0, matched: 0, errors: [], moreErrors: 0 });
    expect([...batchSizes]).toEqual([1000]);
    expect(db.prepare('SELECT count(*) FROM crm_traits WHERE site_id = ?').pluck().get(site)).toBe(100_000);
    expect(db.prepare('SELECT traits FROM crm_traits WHERE person_id = ?').pluck().get(personIdOf('person99999@example.com'))).toBe('{"plan":"plan, 4","seats":99999}');
  });
});
