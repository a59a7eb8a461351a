import { describe, expect, it } from 'vitest';
import { niceScale } from './chart.ts';

describe('niceScale', () => {
  it.each([
    { max: 0, expected: { top: 4, step: 1 } },
    { max: 1, expected: { top: 1, step: 1 } },
    { max: 3, expected: { top: 3, step: 1 } },
    { max: 7, expected: { top: 8, step: 2 } },
    { max: 40, expected: { top: 40, step: 10 } },
    { max: 43, expected: { top: 60, step: 20 } },
    { max: 1234, expected: { top: 1500, step: 500 } },
  ])('max $max → top $expected.top, step $expected.step', ({ max, expected }) => {
    expect(niceScale(max)).toEqual(expected);
  });
});
