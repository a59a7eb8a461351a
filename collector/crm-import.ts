// A CRM export (CSV keyed by e-mail address) read as batches of hashed person ids and their traits.
// The address is hashed as soon as it is read and never leaves this module: not in a row, not in an error.
import { createHash } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import { type CsvError, type Options, parse } from 'csv-parse';
import type { CrmRow, CrmTraits, CrmWriteCounts } from './store/crm-traits.ts';

export const MAX_TRAITS = 30;
export const MAX_TRAIT_NAME = 64;
export const MAX_TRAIT_VALUE = 512;
/** RFC 5321's limit on a forward path, which every address must fit in. */
export const MAX_EMAIL = 254;
/** Errors kept for the report; the others are only counted. */
export const KEPT_ERRORS = 100;

const EMAIL_NAMES = ['email', 'e-mail'];
// Loose on purpose: a CRM's addresses were checked when they were entered; this catches a wrong column.
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+$/;
const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
// RFC 4180: a field is wholly in double quotes, with "" for a quote inside, or has no quote at all.
const STRICT_RECORD = /^(?:"[^"]*(?:""[^"]*)*"|[^",\r\n]*)(?:,(?:"[^"]*(?:""[^"]*)*"|[^",\r\n]*))*$/;

/** The person id of an address: the same hash the tracker's identify call sends. */
export function personIdOf(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

export const isEmailAddress = (text: string) => text.length <= MAX_EMAIL && EMAIL_ADDRESS.test(text);

/** The file cannot be imported at all (its header): reported before any row is read. */
export class CrmHeaderError extends Error {}

export interface CrmRowError {
  line: number;
  error: string;
}

export interface CrmBatch {
  rows: CrmRow[];
  errors: CrmRowError[];
  /** Rows read for this batch, imported or not. */
  read: number;
}

export interface ReadCrmOptions {
  /** The header name of the address column, when it is not "email" or "e-mail" (case and spaces ignored). */
  emailColumn?: string;
  /** Rows per batch: one transaction each when written. */
  batchRows?: number;
  /**
   * Bytes read without a row ending before the rest of the file is given up: a quote that never
   * closes would otherwise make the rest of a file of any size one field in memory.
   */
  maxRowBytes?: number;
}

interface CrmColumns {
  count: number;
  email: { index: number; name: string };
  traits: { index: number; name: string }[];
}

/** Which column is the address and which are traits; throws the header's first problem. */
export function readCrmHeader(fields: readonly string[], emailColumn?: string): CrmColumns {
  const names = fields.map((field) => field.trim());
  const unnamed = names.indexOf('');
  if (unnamed !== -1) throw new CrmHeaderError(`header: column ${unnamed + 1} has no name`);
  const twice = names.find((name, i) => names.indexOf(name) !== i);
  if (twice !== undefined) throw new CrmHeaderError(`header: "${twice}" names two columns`);
  const tooLong = names.find((name) => name.length > MAX_TRAIT_NAME);
  if (tooLong !== undefined) throw new CrmHeaderError(`header: "${tooLong.slice(0, MAX_TRAIT_NAME)}…" is longer than ${MAX_TRAIT_NAME} characters`);

  const wanted = emailColumn === undefined ? EMAIL_NAMES : [emailColumn.trim().toLowerCase()];
  const candidates = names.flatMap((name, index) => (wanted.includes(name.toLowerCase()) ? [{ index, name }] : []));
  if (candidates.length === 0) {
    throw new CrmHeaderError(
      emailColumn === undefined
        ? 'header: no e-mail column (named "email" or "e-mail"; another name can be given as the e-mail column)'
        : `header: no column "${emailColumn}" for the e-mail address`,
    );
  }
  if (candidates.length > 1) throw new CrmHeaderError(`header: "${candidates[0]!.name}" and "${candidates[1]!.name}" could both be the e-mail column: name the one to use`);
  const email = candidates[0]!;
  const traits = names.flatMap((name, index) => (index === email.index ? [] : [{ index, name }]));
  if (traits.length > MAX_TRAITS) throw new CrmHeaderError(`header: ${traits.length} trait columns, at most ${MAX_TRAITS}`);
  return { count: names.length, email, traits };
}

/** Numbers become numbers, except where that would change them: leading zeros (postcodes) and unsafe integers (ids). */
function traitValue(text: string): string | number {
  if (!DECIMAL.test(text)) return text;
  const number = Number(text);
  return Number.isFinite(number) && (text.includes('.') || Number.isSafeInteger(number)) ? number : text;
}

/** A data row as a person and traits, or why it is skipped. Never echoes the address. */
export function readCrmRow(fields: readonly string[], columns: CrmColumns): CrmRow | { error: string } {
  if (fields.length !== columns.count) return { error: `${fields.length} ${fields.length === 1 ? 'field' : 'fields'} where the header has ${columns.count}` };
  const email = fields[columns.email.index]!.trim();
  if (email === '') return { error: `"${columns.email.name}" is empty` };
  if (!isEmailAddress(email)) return { error: `"${columns.email.name}" is not an e-mail address` };
  const traits: [string, string | number][] = [];
  for (const { index, name } of columns.traits) {
    const value = fields[index]!.trim();
    if (value === '') continue;
    if (value.length > MAX_TRAIT_VALUE) return { error: `"${name}" is longer than ${MAX_TRAIT_VALUE} characters` };
    // Clear addresses are never stored, not even a second address column's.
    if (isEmailAddress(value)) return { error: `"${name}" holds an e-mail address, which is never stored` };
    traits.push([name, traitValue(value)]);
  }
  // fromEntries defines own properties: a column named "__proto__" is a trait like any other.
  return { personId: personIdOf(email), traits: Object.fromEntries(traits) as CrmTraits };
}

const lineBreaks = (text: string) => text.match(/\r\n|\r|\n/g)?.length ?? 0;
const malformedQuoting = (raw: string) => raw.includes('"') && !STRICT_RECORD.test(raw.replace(/^[\r\n]+|[\r\n]+$/g, ''));
const QUOTING_ERROR = 'malformed quoting: a field is either wholly in double quotes, with "" for a quote inside, or has no quote';

// Without the content: csv-parse's messages quote the field, which may be an address.
function describeCsvError(error: CsvError | undefined): string {
  if (error?.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted field is not closed by the end of the file';
  return `unreadable CSV (${error?.code ?? 'unknown error'})`;
}

interface ParsedRecord {
  line: number;
  fields: string[];
  raw: string;
}

/**
 * Reads a CSV export as batches of rows, in constant memory whatever the file's size. The first row
 * is the header (see readCrmHeader); a row that cannot be imported is reported by line number and
 * skipped, and the rest is read. Rows with nothing in any cell (spreadsheet padding) are not rows.
 *
 * csv-parse reads leniently (relax_quotes, relax_column_count), so that a bad quote or a missing
 * cell costs one row rather than the rest of the file (its skip_records_with_error stays inside
 * the quote after a bad one); each row is then checked strictly here.
 */
export async function* readCrmBatches(
  source: AsyncIterable<Uint8Array | string>,
  { emailColumn, batchRows = 1000, maxRowBytes = 8 * 1024 * 1024 }: ReadCrmOptions = {},
): AsyncGenerator<CrmBatch> {
  // Line numbers are counted here: csv-parse counts a CRLF inside a quoted field as two lines.
  let breaksBefore = 0;
  let lastLine = 1;
  let bytesSinceRow = 0;
  let cut = false;
  let recordsParsed = 0;
  const skipped: (CrmRowError & { afterRecords: number })[] = [];
  let lastWasSkip = false;

  const onRecord = ({ record, raw }: { record: string[]; raw: string }): ParsedRecord => {
    lastLine = 1 + breaksBefore;
    breaksBefore += 1 + record.reduce((sum, field) => sum + lineBreaks(field), 0);
    bytesSinceRow = 0;
    recordsParsed++;
    lastWasSkip = false;
    return { line: lastLine, fields: record, raw };
  };
  const parser = parse({
    bom: true,
    raw: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_records_with_error: true,
    // With `raw`, on_record is handed the record and its raw text together; the types do not say so.
    on_record: onRecord as unknown as Options['on_record'],
    on_skip: (error, raw) => {
      lastLine = 1 + breaksBefore;
      breaksBefore += lineBreaks(raw ?? '');
      bytesSinceRow = 0;
      // After a skip csv-parse may skip again until it finds its feet: one report is enough.
      if (!lastWasSkip) skipped.push({ line: lastLine, error: describeCsvError(error), afterRecords: recordsParsed });
      lastWasSkip = true;
      return undefined;
    },
  });

  async function* feed() {
    for await (const chunk of source) {
      bytesSinceRow += chunk.length;
      if (bytesSinceRow > maxRowBytes) {
        // Ending the input, rather than failing it, lets the parser hand over every row before this one.
        cut = true;
        return;
      }
      yield chunk;
    }
  }
  // Errors of the source (a read error, a body over its limit) reach the loop below through the parser.
  pipeline(Readable.from(feed()), parser, () => {});

  let columns: CrmColumns | undefined;
  let batch: CrmBatch = { rows: [], errors: [], read: 0 };
  const takeSkipped = (beforeRecord: number) => {
    while (skipped.length > 0 && skipped[0]!.afterRecords < beforeRecord) {
      const { line, error } = skipped.shift()!;
      if (!columns) throw new CrmHeaderError(`header: line ${line}: ${error}`);
      batch.read++;
      batch.errors.push({ line, error });
    }
  };

  let records = 0;
  for await (const record of parser as AsyncIterable<ParsedRecord>) {
    takeSkipped(++records);
    // Empty lines, and rows of empty cells (spreadsheet padding), are not rows; they are parsed as
    // records all the same, so that they count as lines and as progress for maxRowBytes.
    if (record.fields.every((field) => field.trim() === '')) continue;
    if (!columns) {
      if (malformedQuoting(record.raw)) throw new CrmHeaderError(`header: ${QUOTING_ERROR}`);
      columns = readCrmHeader(record.fields, emailColumn);
      continue;
    }
    batch.read++;
    const row = malformedQuoting(record.raw) ? { error: QUOTING_ERROR } : readCrmRow(record.fields, columns);
    if ('error' in row) batch.errors.push({ line: record.line, error: row.error });
    else batch.rows.push(row);
    if (batch.read >= batchRows) {
      yield batch;
      batch = { rows: [], errors: [], read: 0 };
    }
  }
  takeSkipped(Infinity);
  if (!columns) throw new CrmHeaderError('the file is empty: the first row must be a header with an "email" column');
  if (cut) {
    batch.read++;
    batch.errors.push({ line: lastLine, error: `no row ends within ${maxRowBytes} bytes (a quote that does not close?): the rest of the file was not read` });
  }
  if (batch.read > 0) yield batch;
}

export interface CrmImportSummary {
  /** Data rows read, imported or skipped. */
  rows: number;
  imported: number;
  skipped: number;
  /** Distinct people of the file already known from identify calls. */
  matched: number;
  /** The first KEPT_ERRORS row errors, by line. */
  errors: CrmRowError[];
  /** Row errors beyond those. */
  moreErrors: number;
}

/** The import did not finish: `summary` says what was imported before `cause` stopped it. */
export class CrmImportStopped extends Error {
  constructor(
    readonly summary: CrmImportSummary,
    cause: unknown,
  ) {
    super(`the import stopped after ${summary.imported} imported rows: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export interface ImportCrmOptions extends ReadCrmOptions {
  /** Writes one batch in one transaction. */
  write: (rows: CrmRow[]) => CrmWriteCounts | Promise<CrmWriteCounts>;
  /** After each batch, with the counts so far. */
  onProgress?: (summary: CrmImportSummary) => void;
}

/**
 * Reads a CRM export and writes it batch by batch: `waymark import-crm` and `POST /api/sites/:site/crm`.
 * Throws CrmHeaderError before anything is written, CrmImportStopped when reading or writing fails later.
 */
export async function importCrm(source: AsyncIterable<Uint8Array | string>, { write, onProgress, ...readOptions }: ImportCrmOptions): Promise<CrmImportSummary> {
  const summary: CrmImportSummary = { rows: 0, imported: 0, skipped: 0, matched: 0, errors: [], moreErrors: 0 };
  try {
    for await (const batch of readCrmBatches(source, readOptions)) {
      if (batch.rows.length > 0) summary.matched += (await write(batch.rows)).matched;
      summary.rows += batch.read;
      summary.imported += batch.rows.length;
      summary.skipped += batch.errors.length;
      const room = Math.max(0, KEPT_ERRORS - summary.errors.length);
      summary.errors.push(...batch.errors.slice(0, room));
      summary.moreErrors += Math.max(0, batch.errors.length - room);
      onProgress?.(summary);
    }
  } catch (error) {
    if (error instanceof CrmHeaderError) throw error;
    throw new CrmImportStopped(summary, error);
  }
  return summary;
}
