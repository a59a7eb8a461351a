import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { WordVectorsBuilder, type WordVectors } from './word-vectors.ts';

/** A line of a vector file that was skipped, and why. */
export interface VectorFileProblem {
  line: number;
  reason: string;
}

export interface ReadVectors {
  vectors: WordVectors;
  problems: VectorFileProblem[];
}

// A broken file would otherwise fill memory with one message per line.
const MAX_PROBLEMS = 20;

/**
 * Streams a word2vec/fastText text file (`.vec`): an optional first line "count dimensions", then
 * "word v1 v2 …" per line, most frequent words first (as fastText writes them). Only the first
 * `maxWords` words are kept, so a 2 GB file is read only as far as it needs to be, and never held
 * whole. Lines with the wrong number of values or a value that is not a number are skipped and
 * reported by line number; the dimensions come from the header, or else from the first good line.
 */
export async function readVecFile(path: string, maxWords: number): Promise<ReadVectors> {
  const input = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input, crlfDelay: Infinity });
  const problems: VectorFileProblem[] = [];
  const report = (line: number, reason: string) => {
    if (problems.length < MAX_PROBLEMS) problems.push({ line, reason });
  };
  let builder: WordVectorsBuilder | null = null;
  let dimensions = 0;
  let declaredCount = 0;
  let lineNumber = 0;
  let rank = 0;
  for await (const raw of lines) {
    lineNumber++;
    const fields = raw.trim().split(/\s+/);
    if (fields.length === 1 && fields[0] === '') continue;
    if (lineNumber === 1 && fields.length === 2 && fields.every((f) => /^\d+$/.test(f))) {
      declaredCount = Number(fields[0]);
      dimensions = Number(fields[1]);
      continue;
    }
    if (dimensions === 0) dimensions = fields.length - 1;
    if (fields.length !== dimensions + 1) {
      report(lineNumber, `${fields.length - 1} values where ${dimensions} were expected`);
      continue;
    }
    const vector = fields.slice(1).map(Number);
    if (vector.some((v) => !Number.isFinite(v))) {
      report(lineNumber, 'a value is not a number');
      continue;
    }
    builder ??= new WordVectorsBuilder(dimensions, maxWords);
    builder.add(fields[0]!, rank++, vector);
    if (builder.full) break;
  }
  lines.close();
  input.destroy();
  if (builder === null) throw new Error(`${path}: no word vectors found${problems.length ? ` (line ${problems[0]!.line}: ${problems[0]!.reason})` : ''}`);
  return { vectors: builder.build(Math.max(declaredCount, rank)), problems };
}
