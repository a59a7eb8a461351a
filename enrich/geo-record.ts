import type { Place } from './geo.ts';

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

export function placeOfRecord(record: object): Place {
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

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
