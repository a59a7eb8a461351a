import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { WordVectors } from './word-vectors.ts';

// Bump when the layout or the derivation changes, so old cache files are derived again.
const FORMAT = 'waymark-word-vectors 1';
const MAGIC = Buffer.from('WMVEC01\n');

/**
 * The file layout: magic, a JSON header's length (uint32) and the header, the words joined by
 * newlines, then ranks (uint32), scales (float32) and codes (int8), each section padded to 4 bytes
 * so the typed arrays are copied straight out of the buffer.
 */
export function encodeWordVectors(vectors: WordVectors): Buffer {
  const header = Buffer.from(JSON.stringify({ format: FORMAT, dimensions: vectors.dimensions, count: vectors.size, sourceSize: vectors.sourceSize }));
  const words = Buffer.from(vectors.words.join('\n'));
  const beforeRanks = MAGIC.length + 4 + header.length + 4 + words.length;
  const parts = [
    MAGIC,
    uint32(header.length),
    header,
    uint32(words.length),
    words,
    padding(beforeRanks),
    bytesOf(vectors.ranks),
    bytesOf(vectors.scales),
    bytesOf(vectors.codes),
  ];
  return Buffer.concat(parts);
}

export function decodeWordVectors(file: Buffer): WordVectors {
  if (!file.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a word-vector cache file');
  let at = MAGIC.length;
  const headerLength = file.readUInt32LE(at);
  const header = JSON.parse(file.toString('utf8', at + 4, at + 4 + headerLength)) as { format: string; dimensions: number; count: number; sourceSize: number };
  if (header.format !== FORMAT) throw new Error(`word-vector cache of another format (${header.format})`);
  at += 4 + headerLength;
  const wordsLength = file.readUInt32LE(at);
  const words = header.count === 0 ? [] : file.toString('utf8', at + 4, at + 4 + wordsLength).split('\n');
  at += 4 + wordsLength;
  at += (4 - (at % 4)) % 4;
  const { count, dimensions } = header;
  const ranks = new Uint32Array(file.buffer.slice(file.byteOffset + at, file.byteOffset + at + count * 4));
  at += count * 4;
  const scales = new Float32Array(file.buffer.slice(file.byteOffset + at, file.byteOffset + at + count * 4));
  at += count * 4;
  const codes = new Int8Array(file.buffer.slice(file.byteOffset + at, file.byteOffset + at + count * dimensions));
  return new WordVectors({ dimensions, words, ranks, scales, codes, sourceSize: header.sourceSize });
}

function bytesOf(array: Uint32Array | Float32Array | Int8Array): Buffer {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength);
}

function uint32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value);
  return out;
}

function padding(length: number): Buffer {
  return Buffer.alloc((4 - (length % 4)) % 4);
}

export interface CachedVectors {
  vectors: WordVectors;
  /** Whether they were derived from the source now (slow) rather than read from the cache. */
  derived: boolean;
  cachePath: string;
}

/**
 * The compact vectors of `sourcePath`, read from `cacheDir` when a file derived from this very
 * source is there, else derived with `derive` and written for next time. The cache file is named by
 * the source's path, modification time and size (and the derivation's own settings in `variant`),
 * so replacing the source derives it again; files derived from its older versions are removed.
 */
export async function cachedWordVectors(options: {
  sourcePath: string;
  cacheDir: string;
  variant: string;
  derive: () => Promise<WordVectors>;
}): Promise<CachedVectors> {
  const { sourcePath, cacheDir, variant, derive } = options;
  const source = statSync(sourcePath);
  const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
  // The stem names the source (two "fr.vec" in different folders are two sources), the key its version.
  const stem = `${basename(sourcePath).replace(/[^\w.-]/g, '_')}-${hash(sourcePath)}-`;
  const key = hash(`${FORMAT}\0${source.mtimeMs}\0${source.size}\0${variant}`);
  const cachePath = join(cacheDir, `${stem}${key}.wmvec`);
  try {
    return { vectors: decodeWordVectors(readFileSync(cachePath)), derived: false, cachePath };
  } catch (error) {
    // A missing or unreadable cache file is only a slower start: derive it again.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') console.warn(`word-vector cache ${cachePath} unreadable, deriving again: ${(error as Error).message}`);
  }
  const vectors = await derive();
  mkdirSync(cacheDir, { recursive: true });
  // Written aside and renamed, so a concurrent reader never sees half a file (test workers may
  // derive the same file at once, in one process or several).
  const temporary = `${cachePath}.${process.pid}-${randomUUID()}.tmp`;
  writeFileSync(temporary, encodeWordVectors(vectors));
  renameSync(temporary, cachePath);
  for (const name of readdirSync(cacheDir)) {
    if (name.startsWith(stem) && name.endsWith('.wmvec') && join(cacheDir, name) !== cachePath) rmSync(join(cacheDir, name), { force: true });
  }
  return { vectors, derived: true, cachePath };
}
