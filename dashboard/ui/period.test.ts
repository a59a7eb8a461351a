import { describe, expect, it } from 'vitest';
import { addDays, isDay, lastDays, matchingPreset, resolvePeriod } from './period.ts';

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
