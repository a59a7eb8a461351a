import { describe, expect, it } from 'vitest';
import { firstChangedHandOver, personAtIn, rangesOfClaims, UNTIL_LATER_CLAIM } from './people.ts';

const START = Number.MIN_SAFE_INTEGER;

describe('rangesOfClaims', () => {
  it.each([
    { name: 'no claim: nobody', claims: [], ranges: [] },
    { name: 'one claim covers the whole history', claims: [{ ts: 50, personId: 'ann' }], ranges: [{ personId: 'ann', from: START, until: UNTIL_LATER_CLAIM }] },
    {
      name: 'the same person again changes nothing',
      claims: [{ ts: 50, personId: 'ann' }, { ts: 90, personId: 'ann' }],
      ranges: [{ personId: 'ann', from: START, until: UNTIL_LATER_CLAIM }],
    },
    {
      name: 'another person takes the device from their claim on',
      claims: [{ ts: 50, personId: 'ann' }, { ts: 90, personId: 'bob' }, { ts: 95, personId: 'bob' }],
      ranges: [
        { personId: 'ann', from: START, until: 90 },
        { personId: 'bob', from: 90, until: UNTIL_LATER_CLAIM },
      ],
    },
    {
      name: 'and gives it back',
      claims: [{ ts: 50, personId: 'ann' }, { ts: 90, personId: 'bob' }, { ts: 120, personId: 'ann' }],
      ranges: [
        { personId: 'ann', from: START, until: 90 },
        { personId: 'bob', from: 90, until: 120 },
        { personId: 'ann', from: 120, until: UNTIL_LATER_CLAIM },
      ],
    },
  ])('$name', ({ claims, ranges }) => {
    expect(rangesOfClaims(claims)).toEqual(ranges);
  });
});

describe('firstChangedHandOver', () => {
  const ann = (from: number, until = UNTIL_LATER_CLAIM) => ({ personId: 'ann', from, until });
  const bob = (from: number, until = UNTIL_LATER_CLAIM) => ({ personId: 'bob', from, until });
  it.each([
    { name: 'a first login cuts nothing', before: [], after: [ann(START)], cut: null },
    { name: 'the same person again cuts nothing', before: [ann(START)], after: [ann(START)], cut: null },
    { name: 'another person cuts where they take over', before: [ann(START)], after: [ann(START, 90), bob(90)], cut: 90 },
    { name: 'a late claim moves a hand-over earlier', before: [ann(START, 90), bob(90)], after: [ann(START, 60), bob(60)], cut: 60 },
    { name: 'a late claim before all others cuts where the first person now takes over', before: [ann(START)], after: [bob(START, 10), ann(10)], cut: 10 },
  ])('$name', ({ before, after, cut }) => {
    expect(firstChangedHandOver(before, after)).toBe(cut);
  });

  it('tells whose a moment is', () => {
    const ranges = [ann(START, 90), bob(90)];
    expect([personAtIn(ranges, 0), personAtIn(ranges, 90), personAtIn([], 5)]).toEqual(['ann', 'bob', null]);
  });
});
