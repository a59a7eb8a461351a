import { describe, expect, it } from 'vitest';
import { continuesSession } from './sessions.ts';

const MINUTE = 60_000;
const TIMEOUT = 30 * MINUTE;
const open = { id: 1, startedAt: 0, lastSeenAt: 10 * MINUTE };

describe('continuesSession', () => {
  it.each([
    { name: 'no open session', open: undefined, time: 0, expected: false },
    { name: 'an event a minute later', open, time: 11 * MINUTE, expected: true },
    { name: 'exactly 30 minutes after the last event', open, time: 40 * MINUTE, expected: true },
    { name: 'just over 30 minutes after the last event', open, time: 40 * MINUTE + 1, expected: false },
    { name: 'a late event inside the visit', open, time: 5 * MINUTE, expected: true },
    { name: 'a late event from long before the visit', open, time: -31 * MINUTE, expected: false },
  ])('$name → $expected', ({ open, time, expected }) => {
    expect(continuesSession(open, time, TIMEOUT)).toBe(expected);
  });
});
