import { foldWord } from './page-words.ts';

/**
 * A vocabulary of word vectors kept compact: one signed byte per dimension and one float scale per
 * word (the word's largest absolute component / 127), so 100,000 words of 100 dimensions take
 * about 10 MB instead of 40, and a cache file loads in one read. The error this adds is at most
 * half a step (scale / 2) per component, far below what separates two words' meanings.
 */
export class WordVectors {
  readonly dimensions: number;
  readonly words: readonly string[];
  /** Each word's rank by frequency in the source (0 = most frequent): weights follow from it. */
  readonly ranks: Uint32Array;
  readonly scales: Float32Array;
  readonly codes: Int8Array;
  /** Each word's vector length, for cosines without decoding twice. */
  readonly norms: Float32Array;
  /** How many words the source had, so a rank can be read as a share of the vocabulary. */
  readonly sourceSize: number;
  readonly #index = new Map<string, number>();

  constructor(init: { dimensions: number; words: readonly string[]; ranks: Uint32Array; scales: Float32Array; codes: Int8Array; sourceSize: number }) {
    const { dimensions, words, ranks, scales, codes } = init;
    if (ranks.length !== words.length || scales.length !== words.length || codes.length !== words.length * dimensions) {
      throw new RangeError(`word vectors do not add up: ${words.length} words, ${ranks.length} ranks, ${scales.length} scales, ${codes.length} codes for ${dimensions} dimensions`);
    }
    this.dimensions = dimensions;
    this.words = words;
    this.ranks = ranks;
    this.scales = scales;
    this.codes = codes;
    this.sourceSize = init.sourceSize;
    this.norms = new Float32Array(words.length);
    for (let i = 0; i < words.length; i++) {
      this.#index.set(words[i]!, i);
      let sum = 0;
      for (let d = i * dimensions, end = d + dimensions; d < end; d++) sum += codes[d]! * codes[d]!;
      this.norms[i] = Math.sqrt(sum) * scales[i]!;
    }
  }

  get size(): number {
    return this.words.length;
  }

  /** The position of a folded word, or -1. */
  indexOf(folded: string): number {
    return this.#index.get(folded) ?? -1;
  }

  /** Adds `weight` × the word's unit vector to `into`. */
  addUnit(index: number, weight: number, into: Float32Array): void {
    const norm = this.norms[index]!;
    if (norm === 0) return;
    const factor = (weight * this.scales[index]!) / norm;
    const base = index * this.dimensions;
    for (let d = 0; d < this.dimensions; d++) into[d]! += factor * this.codes[base + d]!;
  }

  /** The cosine between a word and a unit vector. */
  cosine(index: number, unit: Float32Array): number {
    const norm = this.norms[index]!;
    if (norm === 0) return 0;
    const base = index * this.dimensions;
    let dot = 0;
    for (let d = 0; d < this.dimensions; d++) dot += this.codes[base + d]! * unit[d]!;
    return (dot * this.scales[index]!) / norm;
  }

  /** The word's vector as stored (decoded), for tests and for copying into another file. */
  vector(index: number): Float32Array {
    const out = new Float32Array(this.dimensions);
    const scale = this.scales[index]!;
    const base = index * this.dimensions;
    for (let d = 0; d < this.dimensions; d++) out[d] = this.codes[base + d]! * scale;
    return out;
  }
}

// Only the shapes a page word can have after tokenizing (page-words.ts): letters, digits, inner
// apostrophes. "under-18s" or "u.s." would take a place in the vocabulary and never be looked up.
const LOOKED_UP = /^[\p{L}\p{N}']*\p{L}[\p{L}\p{N}']*$/u;

/**
 * Collects vectors in source order (most frequent first), folding each word and keeping only the
 * first of the words that fold alike ("élection" and "election" are one entry, the more frequent).
 */
export class WordVectorsBuilder {
  readonly #dimensions: number;
  readonly #maxWords: number;
  readonly #words: string[] = [];
  readonly #seen = new Set<string>();
  readonly #ranks: number[] = [];
  readonly #scales: number[] = [];
  readonly #codes: Int8Array;

  constructor(dimensions: number, maxWords: number) {
    this.#dimensions = dimensions;
    this.#maxWords = maxWords;
    this.#codes = new Int8Array(dimensions * maxWords);
  }

  get full(): boolean {
    return this.#words.length >= this.#maxWords;
  }

  /** Adds a word at its rank in the source; returns false when it was not kept (duplicate, no letter, full). */
  add(word: string, rank: number, vector: ArrayLike<number>): boolean {
    if (this.full || vector.length !== this.#dimensions) return false;
    const folded = foldWord(word);
    if (!LOOKED_UP.test(folded) || this.#seen.has(folded)) return false;
    let max = 0;
    for (let d = 0; d < vector.length; d++) max = Math.max(max, Math.abs(vector[d]!));
    const scale = max / 127;
    const base = this.#words.length * this.#dimensions;
    for (let d = 0; d < vector.length; d++) this.#codes[base + d] = scale === 0 ? 0 : Math.round(vector[d]! / scale);
    this.#seen.add(folded);
    this.#words.push(folded);
    this.#ranks.push(rank);
    this.#scales.push(scale);
    return true;
  }

  build(sourceSize: number): WordVectors {
    const count = this.#words.length;
    return new WordVectors({
      dimensions: this.#dimensions,
      words: this.#words,
      ranks: Uint32Array.from(this.#ranks),
      scales: Float32Array.from(this.#scales),
      codes: this.#codes.slice(0, count * this.#dimensions),
      sourceSize: Math.max(sourceSize, count),
    });
  }
}
