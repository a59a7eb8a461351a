import { describe, expect, it } from 'vitest';
import { rangesOfClaims, UNTIL_LATER_CLAIM } from './people.ts';

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
