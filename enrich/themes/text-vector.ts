import type { PageWord } from './page-words.ts';
import type { Meaning, WordLookup } from './word-lookup.ts';
import type { WordVectors } from './word-vectors.ts';

/** A word of the text that was found in the vocabulary, with the weight it has in the mean. */
export interface WeightedWord {
  word: string;
  folded: string;
  weight: number;
  meanings: readonly Meaning[];
}

/**
 * How much a word counts, from its frequency rank alone: Arora, Liang and Ma's "smooth inverse
 * frequency" weight a / (a + p(w)) (ICLR 2017), with p(w) estimated by Zipf's law from the rank
 * (the vector files list words by frequency but do not give the counts). Very common words ("said",
 * "time") fade, rare ones count fully. With a = 1e-3 a word of rank 100 weighs about 0.6, of rank
 * 1,000 about 0.93.
 */
export function frequencyWeight(vectors: WordVectors, index: number, a = 1e-3): number {
  const harmonic = Math.log(vectors.sourceSize) + 0.5772;
  const p = 1 / ((vectors.ranks[index]! + 1) * harmonic);
  return a / (a + p);
}

/**
 * The direction every text shares whatever its topic: the frequency-weighted mean of the most
 * common words' unit vectors. Word-vector means all lean that way, which squeezes their cosines
 * together; taking it out (SIF's "common component removal", here from the vocabulary rather
 * than from a corpus of sentences) spreads topics apart.
 */
export function commonDirection(vectors: WordVectors, words = 20_000): Float32Array {
  const sum = new Float32Array(vectors.dimensions);
  for (let i = 0; i < Math.min(words, vectors.size); i++) vectors.addUnit(i, 1 - frequencyWeight(vectors, i), sum);
  return normalise(sum) ?? sum;
}

export function normalise(vector: Float32Array): Float32Array | null {
  let norm = 0;
  for (const value of vector) norm += value * value;
  if (norm === 0) return null;
  norm = Math.sqrt(norm);
  for (let d = 0; d < vector.length; d++) vector[d]! /= norm;
  return vector;
}

/** The words of a text that the vocabulary knows, each with its frequency weight. */
export function weighWords(words: readonly PageWord[], lookup: WordLookup): WeightedWord[] {
  const weighted: WeightedWord[] = [];
  for (const { word, folded } of words) {
    const meanings = lookup.meanings(folded);
    if (meanings.length === 0) continue;
    let weight = 0;
    for (const { index, share } of meanings) weight += share * frequencyWeight(lookup.vectors, index);
    weighted.push({ word, folded, weight, meanings });
  }
  return weighted;
}

/**
 * A text's vector: the weighted mean of its words' unit vectors with `common` (a unit vector)
 * projected out, made unit length; null when the vocabulary knows none of its words.
 */
export function textVector(words: readonly WeightedWord[], vectors: WordVectors, common: Float32Array | null): Float32Array | null {
  if (words.length === 0) return null;
  const sum = new Float32Array(vectors.dimensions);
  for (const { weight, meanings } of words) {
    for (const { index, share } of meanings) vectors.addUnit(index, weight * share, sum);
  }
  if (common) removeDirection(sum, common);
  return normalise(sum);
}

/** Takes out of `vector`, in place, its component along the unit vector `direction`. */
export function removeDirection(vector: Float32Array, direction: Float32Array): void {
  let along = 0;
  for (let d = 0; d < vector.length; d++) along += vector[d]! * direction[d]!;
  for (let d = 0; d < vector.length; d++) vector[d]! -= along * direction[d]!;
}

/** The cosine between a word (the mix of its meanings) and a unit vector. */
export function wordCosine(word: WeightedWord, vectors: WordVectors, unit: Float32Array): number {
  let cosine = 0;
  for (const { index, share } of word.meanings) cosine += share * vectors.cosine(index, unit);
  return cosine;
}
