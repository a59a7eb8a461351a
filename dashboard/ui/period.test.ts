import { describe, expect, it } from 'vitest';
import { addDays, dayIn, isDay, lastDays, matchingPreset, resolvePeriod } from './period.ts';

const now = new Date('2026-11-22T23:30:00Z');

describe('addDays', () => {
  it.each([
    { day: '2026-11-22', delta: -29, expected: '2026-10-24' },
    { day: '2026-03-01', delta: -1, expected: '2026-02-28' },
    { day: '2024-12-31', delta: 1, expected: '2025-01-01' },
  ])('$day + $delta → $expected', ({ day, delta, expected }) => {
    expect(addDays(day, delta)).toBe(expected);
  });
});

describe('isDay', () => {
  it.each([
    { input: '2026-11-22', expected: true },
    { input: '2026-02-30', expected: false },
    { input: '2026-11-2', expected: false },
    { input: '2026-11-22T00:00', expected: false },
    { input: '', expected: false },
    { input: undefined, expected: false },
  ])('$input → $expected', ({ input, expected }) => {
    expect(isDay(input)).toBe(expected);
  });
});

describe('lastDays', () => {
  it('counts today as the last day', () => {
    expect(lastDays(1, now)).toEqual({ from: '2026-11-22', to: '2026-11-22' });
    expect(lastDays(7, now)).toEqual({ from: '2026-11-16', to: '2026-11-22' });
  });
});

describe('resolvePeriod', () => {
  it.each([
    { name: 'nothing asked: last 30 days', input: {}, expected: { from: '2026-10-24', to: '2026-11-22' } },
    { name: 'both given', input: { from: '2026-11-01', to: '2026-11-10' }, expected: { from: '2026-11-01', to: '2026-11-10' } },
    { name: 'only to: 30 days ending then', input: { to: '2026-11-10' }, expected: { from: '2026-10-12', to: '2026-11-10' } },
    { name: 'malformed from', input: { from: 'nope', to: '2026-11-22' }, expected: { from: '2026-10-24', to: '2026-11-22' } },
    { name: 'reversed range', input: { from: '2026-11-10', to: '2026-11-01' }, expected: { from: '2026-11-01', to: '2026-11-10' } },
  ])('$name', ({ input, expected }) => {
    expect(resolvePeriod(input, now)).toEqual(expected);
  });
});

describe('matchingPreset', () => {
  it.each([
    { period: { from: '2026-11-22', to: '2026-11-22' }, expected: 'today' },
    { period: { from: '2026-11-16', to: '2026-11-22' }, expected: '7d' },
    { period: { from: '2026-10-24', to: '2026-11-22' }, expected: '30d' },
    { period: { from: '2026-11-01', to: '2026-11-22' }, expected: undefined },
  ])('$period.from..$period.to → $expected', ({ period, expected }) => {
    expect(matchingPreset(period, now)?.id).toBe(expected);
  });
});

describe('days in the site\'s time zone', () => {
  // 23:30 UTC on 2 November is already 3 November in Paris and still 2 November in New York.
  const now = new Date('2026-11-02T23:30:00Z');
  it.each([
    { timeZone: 'UTC', expected: '2026-11-02' },
    { timeZone: 'Europe/Paris', expected: '2026-11-03' },
    { timeZone: 'America/New_York', expected: '2026-11-02' },
  ])('today in $timeZone is $expected, and the default period ends there', ({ timeZone, expected }) => {
    expect(dayIn(now, timeZone)).toBe(expected);
    expect(resolvePeriod({}, now, timeZone).to).toBe(expected);
    expect(matchingPreset(lastDays(7, now, timeZone), now, timeZone)?.id).toBe('7d');
  });
});
