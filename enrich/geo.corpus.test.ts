import { describe, it, expect } from 'vitest';
import { sharedCorpus } from '../test/shared-corpus.ts';
import { NO_PLACE, openGeo } from './geo.ts';

// MaxMind's published test databases (fake data with documented answers, see
// EXPECTATIONS.md beside them) prove the nested GeoIP2 record shape and that a
// single file answers both IPv4 and IPv6. They live outside the repo.
const corpus = sharedCorpus('maxmind/test-data', ['GeoIP2-City-Test.mmdb', 'GeoIP2-Country-Test.mmdb', 'GeoIP2-Anonymous-IP-Test.mmdb']);
const present = corpus.present;
const cityPath = corpus.path('GeoIP2-City-Test.mmdb');
const countryPath = corpus.path('GeoIP2-Country-Test.mmdb');
const anonymousIpPath = corpus.path('GeoIP2-Anonymous-IP-Test.mmdb');

describe.skipIf(!present)('MaxMind GeoIP2 test databases', () => {
  describe('GeoIP2-City-Test.mmdb', () => {
    const geo = present ? openGeo([cityPath]) : null;

    it('describes itself from its metadata', () => {
      expect(geo?.describe()).toMatch(/^GeoIP2-City-Test\.mmdb \(GeoIP2-City, built \d{4}-\d{2}-\d{2}, \d+ days old\)$/);
    });

    it.each([
      { ip: '81.2.69.142', expected: { country: 'GB', region: 'England', city: 'London', timeZone: 'Europe/London' } },
      { ip: '81.2.69.143', expected: { country: 'GB', region: 'England', city: 'London', timeZone: 'Europe/London' } },
      { ip: '2.125.160.216', expected: { country: 'GB', region: 'England', city: 'Boxford', timeZone: 'Europe/London' } },
      {
        ip: '89.160.20.112',
        expected: { country: 'SE', region: 'Östergötland County', city: 'Linköping', timeZone: 'Europe/Stockholm' },
      },
      {
        ip: '216.160.83.56',
        expected: { country: 'US', region: 'Washington', city: 'Milton', timeZone: 'America/Los_Angeles' },
      },
      { ip: '175.16.199.0', expected: { country: 'CN', region: 'Jilin Sheng', city: 'Changchun', timeZone: 'Asia/Harbin' } },
      { ip: '67.43.156.0', expected: { country: 'BT', region: null, city: null, timeZone: 'Asia/Thimphu' } },
      { ip: '2001:218::', expected: { country: 'JP', region: null, city: null, timeZone: 'Asia/Tokyo' } },
      {
        ip: '::ffff:89.160.20.112',
        expected: { country: 'SE', region: 'Östergötland County', city: 'Linköping', timeZone: 'Europe/Stockholm' },
      },
    ])('places $ip', ({ ip, expected }) => {
      expect(geo?.lookup(ip)).toEqual(expected);
    });

    it.each(['8.8.8.8', '10.0.0.1', '127.0.0.1', '::1'])('gives NO_PLACE for %s, which it does not hold', (ip) => {
      expect(geo?.lookup(ip)).toBe(NO_PLACE);
    });
  });

  describe('GeoIP2-Country-Test.mmdb', () => {
    it('gives only the country', () => {
      const geo = openGeo([countryPath]);
      expect(geo.lookup('81.2.69.142')).toEqual({ country: 'GB', region: null, city: null, timeZone: null });
    });
  });

  describe('GeoIP2-Anonymous-IP-Test.mmdb', () => {
    it('is refused, because it maps addresses to flags, not places', () => {
      expect(() => openGeo([anonymousIpPath])).toThrow(/is a GeoIP2-Anonymous-IP database, which holds no locations/);
    });
  });
});
