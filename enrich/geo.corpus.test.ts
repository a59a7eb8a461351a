import { describe, it, expect, vi } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedCorpus } from '../test/shared-corpus.ts';
import { GeoDatabaseError, NO_PLACE, openGeo } from './geo.ts';
import type { Place } from './geo.ts';

// MaxMind's published test databases: fake data with documented answers. EXPECTATIONS.md lists
// them; the list is parsed here, not copied, so an address added there is checked here. Every
// file goes through openGeo, the same code path as the bundled database.
const CITY_FILES = ['GeoIP2-City-Test', 'GeoLite2-City-Test'];
const corpus = sharedCorpus('maxmind', [
  'EXPECTATIONS.md',
  ...CITY_FILES.map((name) => `source-data/${name}.json`),
  ...[...CITY_FILES, 'GeoIP2-Country-Test', 'GeoLite2-ASN-Test', 'GeoIP2-ISP-Test', 'GeoIP2-Anonymous-IP-Test', 'GeoIP-Anonymous-Plus-Test', 'GeoIP2-Connection-Type-Test'].map(
    (name) => `test-data/${name}.mmdb`,
  ),
]);
const present = corpus.present;
const database = (name: string) => corpus.path(`test-data/${name}.mmdb`);

interface PlaceExpectation {
  ip: string;
  country: string;
  city: string | null;
  /** Only rows of the table state a subdivision and a time zone. */
  regionCode?: string;
  timeZone?: string;
}

interface Expectations {
  cityFiles: string[];
  places: PlaceExpectation[];
  misses: string[];
  networkFile: string;
  networks: Array<{ ip: string; asn: number; asOrganization: string | null }>;
  anonymityFile: string;
  anonymity: Array<{ ip: string; anonymous: boolean }>;
}

/**
 * Reads EXPECTATIONS.md. Strict: a line it does not understand fails the suite, so no listed
 * address is silently left out.
 */
function parseExpectations(markdown: string): Expectations {
  const parsed: Expectations = { cityFiles: [], places: [], misses: [], networkFile: '', networks: [], anonymityFile: '', anonymity: [] };
  let section: 'city' | 'network' | 'anonymity' | null = null;
  let columns: string[] = [];
  const cells = (line: string) => line.split('|').slice(1, -1).map((cell) => cell.trim());
  const ips = (text: string) => text.split(',').map((entry) => entry.replace(/\(.*\)/, '').trim());
  const notes: Array<{ ip: string; city: string }> = [];

  for (const line of markdown.split('\n').map((text) => text.trim())) {
    if (line === '') continue;
    const heading = /^# (.*)$/.exec(line)?.[1];
    if (heading !== undefined) {
      const files = [...heading.matchAll(/([\w-]+)\.mmdb/g)].map((match) => match[1] ?? '');
      if (/geo expectations/.test(heading)) [section, parsed.cityFiles] = ['city', files];
      else if (/^ASN/.test(heading)) [section, parsed.networkFile] = ['network', files[0] ?? ''];
      else if (/^Anonymous IP/.test(heading)) [section, parsed.anonymityFile] = ['anonymity', files[0] ?? ''];
      else throw new Error(`EXPECTATIONS.md: unknown section "${heading}"`);
      continue;
    }
    if (section === 'city') {
      if (/^\|[-| ]+\|$/.test(line)) continue;
      if (line.startsWith('|') && columns.length === 0) {
        columns = cells(line);
        continue;
      }
      if (line.startsWith('|')) {
        const row = Object.fromEntries(cells(line).map((cell, index) => [columns[index], cell]));
        // lat / lon and prefix are not checked: a Place carries neither.
        parsed.places.push({
          ip: row['IP'] ?? '',
          country: row['country'] ?? '',
          city: row['city (en)'] ?? '',
          regionCode: row['subdivision[0].iso_code'] ?? '',
          timeZone: row['time_zone'] ?? '',
        });
        continue;
      }
      const countryOnly = /^Country-only \(no city\): (.*)$/.exec(line)?.[1];
      if (countryOnly !== undefined) {
        for (const pair of countryOnly.split(';')) {
          const [, ip = '', country = ''] = /^\s*(\S+) -> ([A-Z]{2})\s*$/.exec(pair) ?? [];
          if (ip === '') throw new Error(`EXPECTATIONS.md: cannot read "${pair}"`);
          parsed.places.push({ ip, country, city: null });
        }
        continue;
      }
      const misses = /^Misses \(get\(\) returns null\): (.*)$/.exec(line)?.[1];
      if (misses !== undefined) {
        parsed.misses.push(...ips(misses));
        continue;
      }
      // Waymark keeps country codes and English names; other languages are not read.
      if (line.startsWith('French names exist:')) continue;
      if (line.startsWith('Note ')) {
        const single = [...line.matchAll(/(\d+\.\d+\.\d+\.\d+) is (\w+) too/g)];
        const ranges = [...line.matchAll(/(\d+\.\d+\.\d+\.)(\d+)-\.(\d+) also (\w+)/g)];
        if (single.length + ranges.length === 0) throw new Error(`EXPECTATIONS.md: cannot read "${line}"`);
        for (const [, ip = '', city = ''] of single) notes.push({ ip, city });
        for (const [, base = '', from = '', to = '', city = ''] of ranges) {
          for (let last = Number(from); last <= Number(to); last++) notes.push({ ip: `${base}${last}`, city });
        }
        continue;
      }
    }
    if (section === 'network') {
      for (const entry of line.split(';').map((text) => text.trim()).filter((text) => text !== '')) {
        const match = /^(\S+) -> (\d+)(?: "([^"]*)")?(?: \(no organization field!\))?$/.exec(entry);
        if (!match) throw new Error(`EXPECTATIONS.md: cannot read ASN entry "${entry}"`);
        parsed.networks.push({ ip: match[1] ?? '', asn: Number(match[2]), asOrganization: match[3] ?? null });
      }
      continue;
    }
    if (section === 'anonymity') {
      const [, ip = '', flags = ''] = /^(\S+) -> (.*)$/.exec(line) ?? [];
      // `{}` is MaxMind's answer for a network it holds with no flag: not anonymous.
      const anonymous = flags.startsWith('{}') ? false : /^all flags\b/.test(flags) || /^is_\w+(, is_\w+)*$/.test(flags) ? true : null;
      if (ip === '' || anonymous === null) throw new Error(`EXPECTATIONS.md: cannot read anonymity entry "${line}"`);
      parsed.anonymity.push({ ip, anonymous });
      continue;
    }
    throw new Error(`EXPECTATIONS.md: cannot read "${line}"`);
  }

  for (const { ip, city } of notes) {
    const like = parsed.places.find((place) => place.city === city && place.regionCode !== undefined);
    if (!like) throw new Error(`EXPECTATIONS.md: no table row for ${city}, which ${ip} is said to be`);
    parsed.places.push({ ...like, ip });
  }
  return parsed;
}

/**
 * EXPECTATIONS.md states the subdivision's ISO code; a Place keeps its English name. MaxMind's
 * source data (what each test database was built from) gives the name for each code.
 */
function regionNames(file: string): Map<string, string> {
  const names = new Map<string, Set<string>>();
  const networks = JSON.parse(readFileSync(corpus.path(`source-data/${file}.json`), 'utf8')) as Array<Record<string, unknown>>;
  for (const record of networks.flatMap((entry) => Object.values(entry))) {
    const { country, subdivisions } = record as { country?: { iso_code?: string }; subdivisions?: Array<{ iso_code?: string; names?: { en?: string } }> };
    const first = subdivisions?.[0];
    if (!country?.iso_code || !first?.iso_code || !first.names?.en) continue;
    const key = `${country.iso_code}-${first.iso_code}`;
    names.set(key, (names.get(key) ?? new Set()).add(first.names.en));
  }
  return new Map([...names].map(([code, named]) => {
    if (named.size !== 1) throw new Error(`${file}: subdivision ${code} has ${named.size} English names`);
    return [code, [...named][0] ?? ''];
  }));
}

interface Check {
  source: string;
  ip: string;
  expected: Partial<Place>;
  actual: Partial<Place>;
}

/** The Place's fields that the expectation states, so unstated ones are not invented. */
function stated(place: Place, expected: Partial<Place>): Partial<Place> {
  return Object.fromEntries(Object.keys(expected).map((key) => [key, place[key as keyof Place]]));
}

function checksOf(expectations: Expectations): Check[] {
  const checks: Check[] = [];
  for (const file of expectations.cityFiles) {
    const geo = openGeo([database(file)]);
    const regions = regionNames(file);
    for (const { ip, country, city, regionCode, timeZone } of expectations.places) {
      const expected: Partial<Place> = { country, city };
      if (regionCode !== undefined) {
        const region = regions.get(`${country}-${regionCode}`);
        if (region === undefined) throw new Error(`${file}: no subdivision ${country}-${regionCode} in its source data`);
        expected.region = region;
      }
      if (timeZone !== undefined) expected.timeZone = timeZone;
      checks.push({ source: `${file}.mmdb`, ip, expected, actual: stated(geo.lookup(ip), expected) });
    }
    for (const ip of expectations.misses) {
      checks.push({ source: `${file}.mmdb`, ip, expected: NO_PLACE, actual: geo.lookup(ip) });
    }
  }
  // ASN and anonymity files answer beside a location database, as they are configured.
  const [cityFile = ''] = expectations.cityFiles;
  const withNetwork = openGeo([database(cityFile), database(expectations.networkFile)]);
  for (const { ip, asn, asOrganization } of expectations.networks) {
    const expected = { asn, asOrganization };
    checks.push({ source: `${expectations.networkFile}.mmdb`, ip, expected, actual: stated(withNetwork.lookup(ip), expected) });
  }
  const withAnonymity = openGeo([database(cityFile), database(expectations.anonymityFile)]);
  for (const { ip, anonymous } of expectations.anonymity) {
    const expected = { anonymousNetwork: anonymous };
    checks.push({ source: `${expectations.anonymityFile}.mmdb`, ip, expected, actual: stated(withAnonymity.lookup(ip), expected) });
  }
  return checks;
}

const expectations = present ? parseExpectations(readFileSync(corpus.path('EXPECTATIONS.md'), 'utf8')) : null;
const checks = expectations ? checksOf(expectations) : [];

describe.skipIf(!present)('MaxMind test databases against EXPECTATIONS.md', () => {
  it('lists what the suite expects to find', () => {
    expect(expectations?.cityFiles).toEqual(CITY_FILES);
    expect(expectations?.networkFile).toBe('GeoLite2-ASN-Test');
    expect(expectations?.anonymityFile).toBe('GeoIP2-Anonymous-IP-Test');
    // Five table rows, three country-only, and 81.2.69.143 to .207 from the note.
    expect(expectations?.places).toHaveLength(5 + 3 + 1 + 64);
    expect(expectations?.misses).toEqual(['8.8.8.8', '10.0.0.1', '127.0.0.1']);
    expect(expectations?.networks).toHaveLength(5);
    expect(expectations?.anonymity).toHaveLength(5);
  });

  it.each(checks)('$source answers $ip as listed', ({ expected, actual }) => {
    expect(actual).toEqual(expected);
  });

  it('resolves every listed address as stated', () => {
    const bySource = new Map<string, { right: number; listed: number }>();
    for (const { source, expected, actual } of checks) {
      const tally = bySource.get(source) ?? { right: 0, listed: 0 };
      tally.listed++;
      if (JSON.stringify(actual) === JSON.stringify(expected)) tally.right++;
      bySource.set(source, tally);
    }
    const right = [...bySource.values()].reduce((sum, tally) => sum + tally.right, 0);
    const parts = [...bySource].map(([source, tally]) => `${source} ${tally.right}/${tally.listed}`).join(', ');
    console.log(`EXPECTATIONS.md: ${right}/${checks.length} listed answers resolved as stated through openGeo (${parts})`);
    expect(right).toBe(checks.length);
  });
});

describe.skipIf(!present)('MaxMind test databases beyond EXPECTATIONS.md', () => {
  it('describes a City file from its metadata', () => {
    expect(openGeo([database('GeoIP2-City-Test')]).describe()).toMatch(
      /^GeoIP2-City-Test\.mmdb \(GeoIP2-City, built \d{4}-\d{2}-\d{2}, \d+ days old\)$/,
    );
  });

  it('describes every file of a combined set', () => {
    const geo = openGeo([database('GeoLite2-City-Test'), database('GeoLite2-ASN-Test'), database('GeoIP2-Anonymous-IP-Test')]);
    expect(geo.describe()).toMatch(
      /^GeoLite2-City-Test\.mmdb \+ GeoLite2-ASN-Test\.mmdb \+ GeoIP2-Anonymous-IP-Test\.mmdb \(GeoLite2-City, GeoLite2-ASN, GeoIP2-Anonymous-IP, built /,
    );
  });

  describe('GeoIP2-City-Test.mmdb', () => {
    const geo = present ? openGeo([database('GeoIP2-City-Test')]) : null;
    const place = (location: Partial<Place>): Place => ({ ...NO_PLACE, ...location });
    const linkoping = place({ country: 'SE', region: 'Östergötland County', city: 'Linköping', timeZone: 'Europe/Stockholm' });

    // Time zones of the country-only networks, and other spellings of listed addresses.
    it.each([
      { ip: '67.43.156.0', expected: place({ country: 'BT', timeZone: 'Asia/Thimphu' }) },
      { ip: '202.196.224.0', expected: place({ country: 'PH', timeZone: 'Asia/Manila' }) },
      { ip: '2001:218::', expected: place({ country: 'JP', timeZone: 'Asia/Tokyo' }) },
      { ip: '2001:0218:0000::0001', expected: place({ country: 'JP', timeZone: 'Asia/Tokyo' }) },
      { ip: '::ffff:89.160.20.112', expected: linkoping },
      { ip: '::ffff:59a0:1470', expected: linkoping },
    ])('places $ip', ({ ip, expected }) => {
      expect(geo?.lookup(ip)).toEqual(expected);
    });

    it.each(['::1', '::ffff:127.0.0.1', 'fe80::1', 'fd00::1', '192.168.1.1'])('gives NO_PLACE for %s', (ip) => {
      expect(geo?.lookup(ip)).toBe(NO_PLACE);
    });
  });

  it('gives only the country from a Country file', () => {
    const geo = openGeo([database('GeoIP2-Country-Test')]);
    expect(geo.lookup('81.2.69.142')).toEqual({ ...NO_PLACE, country: 'GB' });
  });

  describe('a City file with ASN and anonymity files', () => {
    const geo = present ? openGeo([database('GeoIP2-City-Test'), database('GeoLite2-ASN-Test'), database('GeoIP2-Anonymous-IP-Test')]) : null;

    it.each([
      {
        name: 'each file answers its own fields',
        ip: '89.160.20.112',
        expected: { country: 'SE', region: 'Östergötland County', city: 'Linköping', timeZone: 'Europe/Stockholm', asn: 29518, asOrganization: 'Bredband2 AB', anonymousNetwork: false },
      },
      {
        name: 'a network no location file holds',
        ip: '1.128.0.0',
        expected: { country: null, region: null, city: null, timeZone: null, asn: 1221, asOrganization: 'Telstra Pty Ltd', anonymousNetwork: false },
      },
      {
        name: 'an anonymous network with a place',
        ip: '81.2.69.142',
        expected: { country: 'GB', city: 'London', anonymousNetwork: true },
      },
      {
        name: 'an IPv4-mapped address, in every file',
        ip: '::ffff:89.160.20.112',
        expected: { country: 'SE', region: 'Östergötland County', city: 'Linköping', timeZone: 'Europe/Stockholm', asn: 29518, asOrganization: 'Bredband2 AB', anonymousNetwork: false },
      },
      {
        name: 'an IPv6 public proxy',
        ip: '2001:480:3a::1',
        expected: { anonymousNetwork: true },
      },
    ])('$name ($ip)', ({ ip, expected }) => {
      expect(geo?.lookup(ip)).toMatchObject(expected);
    });

    it.each(['127.0.0.1', '10.0.0.1', '::1'])('gives NO_PLACE for %s, whatever the anonymity file says', (ip) => {
      expect(geo?.lookup(ip)).toBe(NO_PLACE);
    });
  });

  it.each([
    { name: 'GeoIP2-ISP', file: 'GeoIP2-ISP-Test', ip: '149.101.100.0', expected: { asn: 6167, asOrganization: 'CELLCO-PART' } },
    { name: 'GeoIP-Anonymous-Plus', file: 'GeoIP-Anonymous-Plus-Test', ip: '1.2.0.1', expected: { anonymousNetwork: true } },
  ])('reads a $name file beside a City file', ({ file, ip, expected }) => {
    expect(openGeo([database('GeoIP2-City-Test'), database(file)]).lookup(ip)).toMatchObject(expected);
  });

  it('refuses ASN and anonymity files without a location file', () => {
    const paths = [database('GeoLite2-ASN-Test'), database('GeoIP2-Anonymous-IP-Test')];
    expect(() => openGeo(paths)).toThrow(GeoDatabaseError);
    expect(() => openGeo(paths)).toThrow(
      'no geo database holds locations (GeoLite2-ASN-Test.mmdb is GeoLite2-ASN, GeoIP2-Anonymous-IP-Test.mmdb is GeoIP2-Anonymous-IP): add a City or Country database',
    );
  });

  it('refuses a Connection-Type file, which maps addresses to nothing Waymark keeps', () => {
    const path = database('GeoIP2-Connection-Type-Test');
    expect(() => openGeo([database('GeoIP2-City-Test'), path])).toThrow(
      `geo database ${path} is a GeoIP2-Connection-Type database, which Waymark does not use (it reads City, Country, ASN, ISP and Anonymous-IP databases)`,
    );
  });
});

describe.skipIf(!present)('reloading a City file replaced by an ASN file', () => {
  it('keeps the City copy, since no location file would be left', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'waymark-geo-corpus-'));
    const file = join(folder, 'GeoLite2-City.mmdb');
    copyFileSync(database('GeoLite2-City-Test'), file);
    const onError = vi.fn<(message: string) => void>();
    const geo = openGeo([file], { watch: true, intervalMs: 20, onError });
    try {
      copyFileSync(database('GeoLite2-ASN-Test'), `${file}.new`);
      renameSync(`${file}.new`, file);
      const deadline = Date.now() + 5_000;
      while (onError.mock.calls.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(onError).toHaveBeenCalledWith(
        `${file} was not reloaded: it is now a GeoLite2-ASN database, which would leave no City or Country database; the copy loaded before goes on answering`,
      );
      expect(geo.lookup('81.2.69.142')).toMatchObject({ country: 'GB', city: 'London', asn: null });
    } finally {
      geo.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
