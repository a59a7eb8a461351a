import { describe, expect, it } from 'vitest';
import { describeSegment } from './segments.ts';

const names = (id: string) => ({ 'horse-racing': 'Horse racing' })[id] ?? id;
const base = { name: 'Fans', themeId: 'horse-racing', minDays: 3, windowDays: 30, minInterest: 1, seenWithinDays: 14 };

describe('describeSegment', () => {
  it.each([
    { name: 'the core', definition: base, expected: 'Horse racing on 3+ of the last 30 days, interest ≥ 1, seen within 14 days' },
    {
      name: 'with filters',
      definition: { ...base, countries: ['FR', 'BE'], deviceTypes: ['mobile'], traits: { plan: ['pro', 'team'], vip: true } },
      expected: 'Horse racing on 3+ of the last 30 days, interest ≥ 1, seen within 14 days; countries FR, BE; devices mobile; traits plan=pro|team, vip=true',
    },
    { name: 'a theme since removed, by its id', definition: { ...base, themeId: 'golf' }, expected: 'golf on 3+ of the last 30 days, interest ≥ 1, seen within 14 days' },
  ])('$name', ({ definition, expected }) => {
    expect(describeSegment(definition, names)).toBe(expected);
  });
});
