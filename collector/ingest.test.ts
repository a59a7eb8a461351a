import { describe, expect, it } from 'vitest';
import { bundledGeoPaths, type GeoLookup, NO_PLACE, openGeo } from '../enrich/geo.ts';
import { createUserAgentParser } from '../enrich/user-agent.ts';
import type { TrackedEvent } from './event-schema.ts';
import { createIngest, type IngestDeps, type RequestFacts } from './ingest.ts';
import { createPageviewRate } from './pageview-rate.ts';

const CHROME_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const geo = openGeo(bundledGeoPaths());
const event: TrackedEvent = {
  type: 'pageview',
  site: 'example.com',
  id: 'ingestTest00000001',
  visitor: 'ingestVisitor00001',
  url: 'https://example.com/pricing?utm_source=newsletter&utm_medium=email',
  referrer: 'https://www.google.com/',
};
const request: RequestFacts = { userAgent: CHROME_UA, address: '8.8.8.8', purpose: null, hints: null, receivedAt: 1_000 };

function ingestWith(overrides: Partial<IngestDeps>, failures: string[] = []) {
  return createIngest({
    resolveSite: () => ({ id: 1, timeZone: 'UTC', sessionTimeoutMs: 1_800_000, hashRouting: false, queryKeys: [], requireConsent: false }),
    geo,
    parseUserAgent: createUserAgentParser(),
    anonymousVisitorId: () => 'anonymous0000000000001',
    tooFast: createPageviewRate(),
    onStepFailure: (step) => failures.push(step),
    ...overrides,
  });
}

describe('createIngest', () => {
  it('enriches an event through every step', () => {
    const result = ingestWith({})([event], request);
    expect(result.kind).toBe('accept');
    if (result.kind !== 'accept') return;
    expect(result.events[0]).toMatchObject({
      path: '/pricing',
      source: { medium: 'email', source: 'newsletter' },
      device: { browser: 'Chrome', os: 'Linux', deviceType: 'desktop' },
      place: { country: 'US' },
      referrerHost: 'google.com',
    });
  });

  describe('a step that throws leaves its fields empty, is counted, and the event is still stored', () => {
    const broken = () => {
      throw new Error('step failed');
    };
    it.each<{ step: string; overrides: Partial<IngestDeps>; empty: Record<string, unknown> }>([
      { step: 'user-agent', overrides: { parseUserAgent: broken }, empty: { device: { browser: null, browserVersion: null, os: null, osVersion: null, deviceType: 'unknown' } } },
      { step: 'geo', overrides: { geo: { lookup: broken, describe: () => '', close: () => {} } satisfies GeoLookup }, empty: { place: NO_PLACE } },
    ])('$step', ({ step, overrides, empty }) => {
      const failures: string[] = [];
      const result = ingestWith(overrides, failures)([event], request);
      expect(failures).toEqual([step]);
      expect(result.kind).toBe('accept');
      if (result.kind !== 'accept') return;
      expect(result.events).toHaveLength(1);
      expect(result.events[0]).toMatchObject({ ...empty, path: '/pricing', source: { medium: 'email' } });
    });
  });

  it('refuses a batch with an unregistered site, whole', () => {
    const result = ingestWith({ resolveSite: (domain) => (domain === 'example.com' ? { id: 1, timeZone: 'UTC', sessionTimeoutMs: 1_800_000, hashRouting: false, queryKeys: [], requireConsent: false } : null) })([event, { ...event, site: 'other.example' }], request);
    expect(result).toEqual({ kind: 'reject', error: 'site "other.example" is not registered on this collector' });
  });
});
