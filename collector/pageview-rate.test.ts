import { describe, expect, it } from 'vitest';
import { createPageviewRate } from './pageview-rate.ts';

describe('createPageviewRate', () => {
  it('lets a person through and stops a script', () => {
    const tooFast = createPageviewRate({ maxPerSecond: 3 });
    const verdicts = [0, 100, 200, 300, 400].map((ms) => tooFast(1, 'script', 10_000 + ms));
    expect(verdicts).toEqual([false, false, false, true, true]);
    // A new second starts a new count.
    expect(tooFast(1, 'script', 11_000)).toBe(false);
  });

  it('counts each visitor of each site apart', () => {
    const tooFast = createPageviewRate({ maxPerSecond: 1 });
    expect(tooFast(1, 'a', 0)).toBe(false);
    expect(tooFast(1, 'b', 0)).toBe(false);
    expect(tooFast(2, 'a', 0)).toBe(false);
    expect(tooFast(1, 'a', 1)).toBe(true);
  });
});
