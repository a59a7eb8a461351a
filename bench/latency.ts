export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Every sample kept, sorted once at the end: a run holds at most a few hundred thousand,
 * so exact percentiles cost a few MB and no bucket-precision caveats.
 */
export class LatencyRecorder {
  private samples = new Float64Array(1 << 16);
  private size = 0;

  record(ms: number): void {
    if (this.size === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.size++] = ms;
  }

  summary(): LatencySummary {
    const sorted = this.samples.subarray(0, this.size).sort();
    const count = sorted.length;
    if (count === 0) return { count, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
    // Nearest rank: the smallest sample at or below which q of all samples lie.
    const at = (q: number) => sorted[Math.min(count - 1, Math.ceil(q * count) - 1)]!;
    let total = 0;
    for (const value of sorted) total += value;
    return { count, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[count - 1]!, mean: total / count };
  }
}
