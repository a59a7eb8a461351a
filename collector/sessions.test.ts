import { describe, expect, it } from 'vitest';
import { localDay, startOfLocalDay } from './local-time.ts';
import { campaignKey, continuesSession, type OpenSession } from './sessions.ts';

const MINUTE = 60_000;
const UTC = { timeoutMs: 30 * MINUTE, timeZone: 'UTC' };
const at = (iso: string) => Date.parse(iso);
const untagged = { utmSource: null, utmMedium: null, utmCampaign: null, clickId: null };
const newsletter = campaignKey({ ...untagged, utmSource: 'newsletter', utmMedium: 'email', utmCampaign: 'spring' });

function openAt(started: string, last: string, key: string | null = null): OpenSession {
  return { id: 1, startedAt: at(started), lastSeenAt: at(last), campaignKey: key };
}

describe('continuesSession', () => {
  const open = openAt('2026-11-02T10:00:00Z', '2026-11-02T10:10:00Z');
  it.each([
    { name: 'no open session', open: undefined, time: '2026-11-02T10:11:00Z', expected: false },
    { name: 'an event a minute later', open, time: '2026-11-02T10:11:00Z', expected: true },
    { name: 'exactly 30 minutes after the last event', open, time: '2026-11-02T10:40:00Z', expected: true },
    { name: 'just over 30 minutes after the last event', open, time: '2026-11-02T10:40:00.001Z', expected: false },
    { name: 'a late event inside the visit', open, time: '2026-11-02T10:05:00Z', expected: true },
    { name: 'a late event from long before the visit', open, time: '2026-11-02T09:29:00Z', expected: false },
  ])('$name → $expected', ({ open, time, expected }) => {
    expect(continuesSession(open, { time: at(time), campaignKey: null }, UTC)).toBe(expected);
  });

  describe('midnight in the site\'s time zone', () => {
    // 22:50 UTC is 23:50 in Paris (UTC+1 in November) and 17:50 in New York (UTC-5).
    const lateEvening = openAt('2026-11-02T22:40:00Z', '2026-11-02T22:50:00Z');
    it.each([
      { timeZone: 'UTC', time: '2026-11-02T23:05:00Z', expected: true },
      { timeZone: 'Europe/Paris', time: '2026-11-02T23:05:00Z', expected: false },
      { timeZone: 'America/New_York', time: '2026-11-02T23:05:00Z', expected: true },
      { timeZone: 'UTC', time: '2026-11-03T00:01:00Z', expected: false },
      { timeZone: 'Asia/Kolkata', time: '2026-11-02T22:55:00Z', expected: true },
    ])('$timeZone, next event at $time → $expected', ({ timeZone, time, expected }) => {
      expect(continuesSession(lateEvening, { time: at(time), campaignKey: null }, { timeoutMs: 30 * MINUTE, timeZone })).toBe(expected);
    });
  });

  describe('a new campaign inside 30 minutes', () => {
    const tagged = openAt('2026-11-02T10:00:00Z', '2026-11-02T10:10:00Z', newsletter);
    const next = (key: string | null) => continuesSession(tagged, { time: at('2026-11-02T10:12:00Z'), campaignKey: key }, UTC);
    it('continues with an untagged page (the next page of the visit)', () => expect(next(null)).toBe(true));
    it('continues with the same campaign (a reload of the landing page)', () => expect(next(newsletter)).toBe(true));
    it('starts a new visit with another campaign', () => expect(next(campaignKey({ ...untagged, utmSource: 'facebook' }))).toBe(false));
    it('starts a new visit with an ad click', () => expect(next(campaignKey({ ...untagged, clickId: 'gclid' }))).toBe(false));
    it('starts a new visit when a tagged link follows an untagged visit', () => {
      expect(continuesSession(open, { time: at('2026-11-02T10:12:00Z'), campaignKey: newsletter }, UTC)).toBe(false);
    });
  });
});

describe('localDay', () => {
  it.each([
    { time: '2026-11-02T23:30:00Z', timeZone: 'UTC', expected: '2026-11-02' },
    { time: '2026-11-02T23:30:00Z', timeZone: 'Europe/Paris', expected: '2026-11-03' },
    { time: '2026-11-02T04:30:00Z', timeZone: 'America/Los_Angeles', expected: '2026-11-01' },
    // Nepal is UTC+5:45: midnight falls on a quarter hour.
    { time: '2026-11-02T18:14:00Z', timeZone: 'Asia/Kathmandu', expected: '2026-11-02' },
    { time: '2026-11-02T18:15:00Z', timeZone: 'Asia/Kathmandu', expected: '2026-11-03' },
    // The day Paris leaves summer time (2026-10-25, 03:00 → 02:00 local).
    { time: '2026-10-24T22:30:00Z', timeZone: 'Europe/Paris', expected: '2026-10-25' },
    { time: '2026-10-25T22:59:00Z', timeZone: 'Europe/Paris', expected: '2026-10-25' },
    { time: '2026-10-25T23:00:00Z', timeZone: 'Europe/Paris', expected: '2026-10-26' },
  ])('$time in $timeZone is $expected', ({ time, timeZone, expected }) => {
    expect(localDay(at(time), timeZone)).toBe(expected);
  });
});

describe('startOfLocalDay', () => {
  it.each([
    { day: '2026-11-02', timeZone: 'UTC', expected: '2026-11-02T00:00:00.000Z' },
    { day: '2026-11-02', timeZone: 'Europe/Paris', expected: '2026-11-01T23:00:00.000Z' },
    { day: '2026-07-02', timeZone: 'Europe/Paris', expected: '2026-07-01T22:00:00.000Z' },
    { day: '2026-11-02', timeZone: 'America/New_York', expected: '2026-11-02T05:00:00.000Z' },
    { day: '2026-11-02', timeZone: 'Asia/Kathmandu', expected: '2026-11-01T18:15:00.000Z' },
    // Paris leaves summer time that morning: the day started under the summer offset.
    { day: '2026-10-25', timeZone: 'Europe/Paris', expected: '2026-10-24T22:00:00.000Z' },
    { day: '2026-10-26', timeZone: 'Europe/Paris', expected: '2026-10-25T23:00:00.000Z' },
  ])('$day in $timeZone starts at $expected', ({ day, timeZone, expected }) => {
    const start = startOfLocalDay(day, timeZone);
    expect(new Date(start).toISOString()).toBe(expected);
    expect(localDay(start, timeZone)).toBe(day);
    expect(localDay(start - 1, timeZone)).not.toBe(day);
  });
});

describe('a visit and the people on its device', () => {
  const open = { id: 1, startedAt: 1_000, lastSeenAt: 2_000, campaignKey: null };
  const rules = { timeoutMs: 30 * 60_000, timeZone: 'UTC' };
  it('ends when the device passes to another person, and not at a first login', () => {
    const handOver = (time: number) => (time < 3_000 ? 'ann' : 'bob');
    expect(continuesSession(open, { time: 2_500, campaignKey: null }, rules, handOver)).toBe(true);
    expect(continuesSession(open, { time: 3_000, campaignKey: null }, rules, handOver)).toBe(false);
    // Ann's claim reaches back over her anonymous start: one person all along.
    expect(continuesSession(open, { time: 3_000, campaignKey: null }, rules, () => 'ann')).toBe(true);
  });
});
