import { describe, expect, it } from 'vitest';
import {
  formatCompact,
  formatCountry,
  formatDateTime,
  formatDay,
  formatDevice,
  formatDuration,
  formatInterest,
  formatNumber,
  formatPercent,
  formatPlace,
  formatProps,
  formatScore,
  formatSource,
  formatTime,
} from './format.ts';

describe('formatDuration', () => {
  it.each([
    { name: 'zero', input: 0, expected: '0s' },
    { name: 'under a minute', input: 45, expected: '45s' },
    { name: 'rounds to the second', input: 83.2, expected: '1m 23s' },
    { name: 'rounds up into the next minute', input: 59.6, expected: '1m 0s' },
    { name: 'exact minutes', input: 120, expected: '2m 0s' },
    { name: 'an hour or more drops seconds', input: 3725, expected: '1h 2m' },
    { name: 'null', input: null, expected: '—' },
    { name: 'NaN', input: Number.NaN, expected: '—' },
    { name: 'negative', input: -3, expected: '—' },
  ])('$name', ({ input, expected }) => {
    expect(formatDuration(input)).toBe(expected);
  });
});

describe('formatPercent', () => {
  it.each([
    { name: 'whole percent', input: 0.4, expected: '40%' },
    { name: 'one decimal', input: 0.1234, expected: '12.3%' },
    { name: 'small', input: 0.005, expected: '0.5%' },
    { name: 'zero', input: 0, expected: '0%' },
    { name: 'all', input: 1, expected: '100%' },
    { name: 'rounds to whole', input: 0.99999, expected: '100%' },
    { name: 'null', input: null, expected: '—' },
    { name: 'Infinity', input: Number.POSITIVE_INFINITY, expected: '—' },
  ])('$name', ({ input, expected }) => {
    expect(formatPercent(input)).toBe(expected);
  });
});

describe('formatNumber', () => {
  it.each([
    { input: 0, expected: '0' },
    { input: 999, expected: '999' },
    { input: 12345, expected: '12,345' },
    { input: 1234567, expected: '1,234,567' },
    { input: 2.6, expected: '3' },
    { input: null, expected: '—' },
  ])('$input → $expected', ({ input, expected }) => {
    expect(formatNumber(input)).toBe(expected);
  });
});

describe('formatCompact', () => {
  it.each([
    { input: 0, expected: '0' },
    { input: 950, expected: '950' },
    { input: 1234, expected: '1.2K' },
    { input: 2_000_000, expected: '2M' },
  ])('$input → $expected', ({ input, expected }) => {
    expect(formatCompact(input)).toBe(expected);
  });
});

describe('formatCountry', () => {
  it.each([
    { name: 'ISO code', input: 'FR', expected: 'France' },
    { name: 'lower case code', input: 'de', expected: 'Germany' },
    { name: 'null', input: null, expected: 'Unknown' },
    { name: 'empty', input: '', expected: 'Unknown' },
    { name: 'malformed code is kept', input: '<b>x</b>', expected: '<b>x</b>' },
  ])('$name', ({ input, expected }) => {
    expect(formatCountry(input)).toBe(expected);
  });
});

describe('times, in the site\'s time zone', () => {
  it.each([
    { name: 'date and minute', fn: formatDateTime, timeZone: 'UTC', input: '2026-11-22T14:03:27.120Z', expected: '2026-11-22 14:03' },
    { name: 'offset converted to the zone', fn: formatDateTime, timeZone: 'UTC', input: '2026-11-22T15:03:27+01:00', expected: '2026-11-22 14:03' },
    { name: 'unparseable kept', fn: formatDateTime, timeZone: 'UTC', input: 'yesterday', expected: 'yesterday' },
    { name: 'missing date', fn: formatDateTime, timeZone: 'UTC', input: null, expected: '—' },
    { name: 'time of day', fn: formatTime, timeZone: 'UTC', input: '2026-11-22T04:05:06Z', expected: '04:05:06' },
    { name: 'missing time', fn: formatTime, timeZone: 'UTC', input: null, expected: '—' },
    // Paris leaves summer time at 01:00 UTC on 25 October 2026: 03:00 CEST becomes 02:00 CET.
    { name: 'Paris, the evening before: already the next day', fn: formatDateTime, timeZone: 'Europe/Paris', input: '2026-10-24T22:30:00Z', expected: '2026-10-25 00:30' },
    { name: 'Paris, summer time (+02:00)', fn: formatDateTime, timeZone: 'Europe/Paris', input: '2026-10-25T00:30:00Z', expected: '2026-10-25 02:30' },
    { name: 'Paris, an hour later in winter time (+01:00): the same wall clock', fn: formatDateTime, timeZone: 'Europe/Paris', input: '2026-10-25T01:30:00Z', expected: '2026-10-25 02:30' },
    { name: 'Paris, winter time', fn: formatTime, timeZone: 'Europe/Paris', input: '2026-10-25T12:00:05Z', expected: '13:00:05' },
    { name: 'Paris, midnight is 00, not 24', fn: formatTime, timeZone: 'Europe/Paris', input: '2026-11-22T23:00:00Z', expected: '00:00:00' },
    // Kathmandu is +05:45 all year: the minutes move too.
    { name: 'Kathmandu, time of day', fn: formatTime, timeZone: 'Asia/Kathmandu', input: '2026-11-22T14:03:27Z', expected: '19:48:27' },
    { name: 'Kathmandu, past midnight', fn: formatDateTime, timeZone: 'Asia/Kathmandu', input: '2026-11-22T18:20:00Z', expected: '2026-11-23 00:05' },
  ])('$name', ({ fn, timeZone, input, expected }) => {
    expect(fn(input, timeZone)).toBe(expected);
  });

  it('a chart day stays its calendar date', () => {
    expect(formatDay('2026-11-01')).toBe('Nov 1');
  });
});

describe('formatProps', () => {
  it.each([
    { name: 'none', input: {}, expected: [] },
    { name: 'null', input: null, expected: [] },
    { name: 'scalars in order', input: { plan: 'pro', seats: 3, trial: false }, expected: ['plan=pro', 'seats=3', 'trial=false'] },
    { name: 'null value', input: { coupon: null }, expected: ['coupon=null'] },
    { name: 'nested value shown as JSON', input: { a: { b: 1 } }, expected: ['a={"b":1}'] },
  ])('$name', ({ input, expected }) => {
    expect(formatProps(input)).toEqual(expected);
  });
});

describe('formatPlace', () => {
  it.each([
    { name: 'all parts', input: { city: 'Paris', region: 'Île-de-France', country: 'FR' }, expected: 'Paris, Île-de-France, France' },
    { name: 'country only', input: { city: null, region: null, country: 'FR' }, expected: 'France' },
    { name: 'nothing', input: { city: null, region: null, country: null }, expected: 'Unknown' },
  ])('$name', ({ input, expected }) => {
    expect(formatPlace(input)).toBe(expected);
  });
});

describe('formatDevice', () => {
  it.each([
    { name: 'all parts', input: { browser: 'Firefox', os: 'Linux', deviceType: 'desktop' }, expected: 'Firefox on Linux · desktop' },
    { name: 'browser only', input: { browser: 'Safari', os: null, deviceType: null }, expected: 'Safari' },
    { name: 'type only', input: { browser: null, os: null, deviceType: 'mobile' }, expected: 'mobile' },
    { name: 'nothing', input: { browser: null, os: null, deviceType: null }, expected: 'Unknown' },
  ])('$name', ({ input, expected }) => {
    expect(formatDevice(input)).toBe(expected);
  });
});

describe('formatSource', () => {
  it.each([
    { input: 'google.com', expected: 'google.com' },
    { input: null, expected: '(direct)' },
    { input: '', expected: '(direct)' },
  ])('$input → $expected', ({ input, expected }) => {
    expect(formatSource(input)).toBe(expected);
  });
});

describe('formatInterest', () => {
  it.each([
    { name: 'one decimal', input: 12.345, expected: '12.3' },
    { name: 'whole', input: 3, expected: '3' },
    { name: 'large, no decimal', input: 1234.5, expected: '1,235' },
    { name: 'zero', input: 0, expected: '0' },
    { name: 'tiny but not none', input: 0.01, expected: '<0.1' },
    { name: 'null', input: null, expected: '—' },
  ])('$name', ({ input, expected }) => {
    expect(formatInterest(input)).toBe(expected);
  });
});

describe('formatScore', () => {
  it.each([
    { input: 0.08234, expected: '0.082' },
    { input: 0, expected: '0.000' },
    { input: Number.NaN, expected: '—' },
  ])('$input → $expected', ({ input, expected }) => {
    expect(formatScore(input)).toBe(expected);
  });
});
