import type { Place } from './geo.ts';

export type Location = Pick<Place, 'country' | 'region' | 'city' | 'timeZone'>;
export type Network = Pick<Place, 'asn' | 'asOrganization'>;

/**
 * The two record shapes found in City/Country MMDB files.
 *
 * @ip-location-db files hold flat records, with '' for unknown fields:
 *   { country_code, state1, state2, city, postcode, timezone, latitude, longitude }
 * MaxMind GeoIP2/GeoLite2 files hold nested, localised records (Country files
 * stop after country):
 *   { country: { iso_code }, subdivisions: [{ names: { en } }], city: { names: { en } }, location: { time_zone } }
 */
interface FlatRecord {
  country_code?: unknown;
  state1?: unknown;
  city?: unknown;
  timezone?: unknown;
}

interface NamedPlace {
  iso_code?: unknown;
  names?: { en?: unknown };
}

interface MaxMindRecord {
  country?: NamedPlace;
  subdivisions?: NamedPlace[];
  city?: NamedPlace;
  location?: { time_zone?: unknown };
}

export function locationOfRecord(record: object): Location {
  if ('country_code' in record) {
    const flat = record as FlatRecord;
    return {
      country: text(flat.country_code),
      region: text(flat.state1),
      city: text(flat.city),
      timeZone: text(flat.timezone),
    };
  }
  const nested = record as MaxMindRecord;
  return {
    country: text(nested.country?.iso_code),
    // English names: the dashboard localises country codes, but region and city
    // names have no code to translate from, and English is the one language
    // every MaxMind record carries.
    region: text(nested.subdivisions?.[0]?.names?.en),
    city: text(nested.city?.names?.en),
    timeZone: text(nested.location?.time_zone),
  };
}

/**
 * GeoLite2-ASN and GeoIP2-ISP records (and @ip-location-db's ASN files) share these two
 * fields. ISP records also carry `isp` and `organization`, which name the customer of the
 * network rather than the system that routes it, so they are not taken as its organisation.
 */
export function networkOfRecord(record: object): Network {
  const { autonomous_system_number: number, autonomous_system_organization: organization } = record as {
    autonomous_system_number?: unknown;
    autonomous_system_organization?: unknown;
  };
  return {
    asn: typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : null,
    asOrganization: text(organization),
  };
}

// GeoIP2-Anonymous-IP and GeoIP-Anonymous-Plus flag a network with any of these;
// is_anonymous is set with the others, but a record may carry only those it is sure of.
const ANONYMOUS_FLAGS = [
  'is_anonymous',
  'is_anonymous_vpn',
  'is_hosting_provider',
  'is_public_proxy',
  'is_tor_exit_node',
  'is_residential_proxy',
] as const;

/** A record without a true flag (MaxMind writes `{}` for networks it checked) is not anonymous. */
export function anonymityOfRecord(record: object): boolean {
  const flags = record as Partial<Record<(typeof ANONYMOUS_FLAGS)[number], unknown>>;
  return ANONYMOUS_FLAGS.some((flag) => flags[flag] === true);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
