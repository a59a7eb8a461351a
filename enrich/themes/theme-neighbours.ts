import { normalise, removeDirection } from './text-vector.ts';
import type { WordVectors } from './word-vectors.ts';

export interface NeighbourOptions {
  /** How many of the nearest vocabulary words join the theme. */
  neighbours?: number;
  /** Their weight, together, against the theme's own sentence (1 = as much). */
  weight?: number;
  /** Only the most frequent words are candidates: rarer ones are names and misspellings as often as topic words. */
  candidates?: number;
}

/**
 * A theme's vector widened by the vocabulary nearest to it. A marketer's sentence names a handful
 * of words ("jockeys and trainers"); the pages of the theme use hundreds ("sires", "handicap",
 * "thoroughbred"). Mixing in the theme's nearest words (their cosine-weighted mean) moves its
 * vector to the middle of its topic rather than the middle of one sentence. The no-theme
 * references are not widened: the neighbours of "password" or "payment" are security and finance,
 * topics, not site furniture.
 */
export function withNeighbours(unit: Float32Array, vectors: WordVectors, common: Float32Array | null, options: NeighbourOptions = {}): Float32Array {
  const { neighbours = 50, weight = 0.5, candidates = 50_000 } = options;
  const nearest = nearestWords(unit, vectors, neighbours, Math.min(candidates, vectors.size));
  if (nearest.length === 0) return unit;
  const sum = new Float32Array(vectors.dimensions);
  for (const { index, cosine } of nearest) vectors.addUnit(index, cosine, sum);
  if (common) removeDirection(sum, common);
  const mean = normalise(sum);
  if (!mean) return unit;
  return normalise(unit.map((value, d) => value + weight * mean[d]!)) ?? unit;
}

/** The `count` words nearest to `unit` among the first `candidates`, nearest first (a bounded insertion sort). */
export function nearestWords(unit: Float32Array, vectors: WordVectors, count: number, candidates: number): { index: number; cosine: number }[] {
  const best: { index: number; cosine: number }[] = [];
  if (count <= 0) return best;
  for (let index = 0; index < candidates; index++) {
    const cosine = vectors.cosine(index, unit);
    if (cosine <= 0 || (best.length === count && cosine <= best[count - 1]!.cosine)) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.cosine < cosine) at--;
    best.splice(at, 0, { index, cosine });
    if (best.length > count) best.pop();
  }
  return best;
}
