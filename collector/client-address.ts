import { BlockList, isIP } from 'node:net';

/**
 * Which forwarding hops the collector believes (`WAYMARK_TRUSTED_PROXIES`).
 *
 * - `none`: the client is the TCP peer; forwarding headers are never read, because any client
 *   can write them.
 * - `count`: there are exactly `hops` proxies in front of Waymark, the peer being the last. Each
 *   appends the address it received the request from, so the client is the `hops`-th entry from
 *   the right of the forwarding list, which is the (`hops` + 1)-th from the right of [list…, peer].
 *   `1.2.3.4, 198.51.100.7` from the one proxy of `hops: 1` is 198.51.100.7: 1.2.3.4 was written by
 *   the client. Only safe when Waymark cannot be reached except through those proxies.
 * - `ranges`: walk from the peer leftwards while the address is inside a trusted range; the first
 *   address outside them is the client. Safe even when Waymark is also reachable directly.
 *
 * Both `X-Forwarded-For` and `Forwarded` (RFC 7239) are read; when a request carries both, they
 * must name the same client. Where the walk meets an entry that is no address (`for=unknown`,
 * an obfuscated `_name`, garbage) before it finds the client, the client is unknown (null, so
 * no place): the entry is never skipped. So are fewer entries than `count` proxies.
 */
export type TrustedProxies = { kind: 'none' } | { kind: 'count'; hops: number } | { kind: 'ranges'; ranges: string[] };

export interface ForwardedRequest {
  /** The TCP peer, as the socket reports it (`::ffff:a.b.c.d` on dual-stack servers). */
  peer: string | null;
  header: (name: string) => string | undefined | null;
}

/** The client's address (IPv4 dotted, or IPv6 in canonical form), or null when it cannot be told. */
export type ClientAddressResolver = (request: ForwardedRequest) => string | null;

// Proxy chains are two or three hops long; a larger number is a typo (a port, say), not a topology.
const MAX_HOPS = 32;

/** `''` → none; `'2'` → count; `'10.0.0.0/8, 192.168.1.10, fd00::/8'` → ranges. */
export function parseTrustedProxies(text: string): TrustedProxies | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'none' };
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    if (hops > MAX_HOPS) return { error: `${trimmed} proxies is more than ${MAX_HOPS}: give the number of proxies in front of Waymark` };
    return hops === 0 ? { kind: 'none' } : { kind: 'count', hops };
  }
  const ranges: string[] = [];
  for (const entry of trimmed.split(',').map((part) => part.trim())) {
    if (entry === '') return { error: `an empty entry in "${trimmed}"` };
    const range = parseRange(entry);
    if (range === null) {
      const hint = /^\d+$/.test(entry) ? ' (a count of proxies stands alone, without addresses)' : '';
      return { error: `"${entry}" is not an IP address or CIDR range${hint}` };
    }
    ranges.push(range.prefix === null ? range.address : `${range.address}/${range.prefix}`);
  }
  return { kind: 'ranges', ranges };
}

export function createClientAddressResolver(trusted: TrustedProxies): ClientAddressResolver {
  if (trusted.kind === 'none') return ({ peer }) => parseAddress(peer ?? '');
  const trustedRanges = trusted.kind === 'ranges' ? blockListOf(trusted.ranges) : null;
  const isTrusted = (address: string) => trustedRanges?.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6') ?? true;

  /** `hops` is the forwarding list, left to right, without the peer; null marks an entry that is no address. */
  function clientOf(hops: Array<string | null>, peer: string): string | null {
    if (trusted.kind === 'count') {
      // Fewer entries than proxies: the request did not come the configured way, so any entry
      // might be a proxy's own address. No place is better than every visitor at the proxy's.
      if (hops.length < trusted.hops) return null;
      // The client's entry and those right of it were written by trusted proxies: one that is
      // no address means the chain is not what it was configured to be.
      const trustedPart = hops.slice(hops.length - trusted.hops);
      return trustedPart.includes(null) ? null : (trustedPart[0] ?? null);
    }
    for (let index = hops.length - 1; index >= 0; index--) {
      const hop = hops[index] ?? null;
      // `unknown`, `_hidden` or garbage: we cannot tell whether it is a proxy, and skipping it
      // would let whatever stands left of it (written by anyone) become the client.
      if (hop === null) return null;
      if (!isTrusted(hop)) return hop;
    }
    // Every hop is trusted: the left-most one is where the request began (an internal caller).
    return hops[0] ?? peer;
  }

  return ({ peer, header }) => {
    const peerAddress = parseAddress(peer ?? '');
    if (peerAddress === null || !isTrusted(peerAddress)) return peerAddress;
    const forwarded = present(header('forwarded'));
    const xForwardedFor = present(header('x-forwarded-for'));
    // Proxies append to the header they write and pass the other one through untouched, so a
    // client can fill in whichever one its proxy ignores. Preferring either header is forgeable
    // behind some proxy; requiring both, when both are sent, to name the same client is not:
    // the worst a client can do is lose its own place.
    const candidates = [
      ...(forwarded === null ? [] : [clientOf(forwardedHops(forwarded), peerAddress)]),
      ...(xForwardedFor === null ? [] : [clientOf(xForwardedForHops(xForwardedFor), peerAddress)]),
    ];
    if (candidates.length === 0) return clientOf([], peerAddress);
    return candidates.every((candidate) => candidate === candidates[0]) ? (candidates[0] ?? null) : null;
  };
}

function present(value: string | null | undefined): string | null {
  return value === null || value === undefined || value.trim() === '' ? null : value;
}

/**
 * Node and the Fetch API join repeated header lines with ", " in order, which is the same list
 * (RFC 9110 §5.3). Empty elements are ignored, as RFC 9110 §5.6.1 asks: they claim no hop.
 */
function xForwardedForHops(value: string): Array<string | null> {
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map(parseAddress);
}

const TOKEN = /[!#$%&'*+.^_`|~0-9A-Za-z-]+/y;
const UNQUOTED_VALUE = /[^;,\s"]*/y;
const QUOTED_VALUE = /"((?:[^"\\]|\\.)*)"/y;
const WHITESPACE = /[ \t]*/y;

/**
 * The `for=` node of each element of a `Forwarded` header (RFC 7239 §4). An element without
 * one, or with two, is a hop we cannot place (null). A header that does not tokenise is a
 * single unplaceable hop: with unbalanced quotes no one can say where its elements end.
 */
function forwardedHops(value: string): Array<string | null> {
  const hops: Array<string | null> = [];
  let position = 0;
  let node: string | null | undefined;
  let pairs = 0;
  const match = (pattern: RegExp) => {
    pattern.lastIndex = position;
    const found = pattern.exec(value);
    if (found) position = pattern.lastIndex;
    return found;
  };
  const endElement = () => {
    if (pairs > 0) hops.push(node === undefined ? null : node);
    node = undefined;
    pairs = 0;
  };
  for (;;) {
    match(WHITESPACE);
    if (position >= value.length) break;
    const separator = value[position];
    if (separator === ',' || separator === ';') {
      position++;
      if (separator === ',') endElement();
      continue;
    }
    const key = match(TOKEN)?.[0].toLowerCase();
    match(WHITESPACE);
    if (key === undefined || value[position] !== '=') return [null];
    position++;
    match(WHITESPACE);
    const quoted = match(QUOTED_VALUE);
    const text = quoted ? (quoted[1] ?? '').replace(/\\(.)/g, '$1') : (match(UNQUOTED_VALUE)?.[0] ?? '');
    match(WHITESPACE);
    if (position < value.length && value[position] !== ',' && value[position] !== ';') return [null];
    pairs++;
    // RFC 7239 §4: a parameter must not occur twice in one element; which one would be true?
    if (key === 'for') node = node === undefined ? parseNode(text) : null;
  }
  endElement();
  return hops;
}

/** `unknown` and obfuscated identifiers (`_hidden`, RFC 7239 §6.2–6.3) name no address. */
function parseNode(text: string): string | null {
  if (text.toLowerCase() === 'unknown' || text.startsWith('_')) return null;
  return parseAddress(text);
}

const BRACKETED = /^\[([^\]]+)\](?::(?:\d{1,5}|_[\w.-]+))?$/;
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):(?:\d{1,5}|_[\w.-]+)$/;
const MAPPED_IPV4 = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/;

/**
 * An address as proxies write it (`203.0.113.7`, `203.0.113.7:4711`, `2001:db8::1`,
 * `[2001:db8::1]:4711`, `fe80::1%eth0`), in one spelling, so the same client compares equal
 * whichever header named it. IPv4-mapped IPv6 (RFC 4291 §2.5.5.2) becomes the IPv4 address.
 */
function parseAddress(text: string): string | null {
  const unwrapped = BRACKETED.exec(text)?.[1] ?? IPV4_WITH_PORT.exec(text)?.[1] ?? text;
  // Zone ids (RFC 4007 §11; `%25` in URI form) name an interface of the proxy, not the client.
  const address = unwrapped.replace(/%.*$/, '');
  const family = isIP(address);
  if (family === 4) return address;
  if (family !== 6) return null;
  // The URL parser writes IPv6 in RFC 5952's canonical form: lower case, longest zero run as ::.
  const canonical = new URL(`http://[${address}]/`).hostname.slice(1, -1);
  const mapped = MAPPED_IPV4.exec(canonical);
  if (!mapped) return canonical;
  const high = Number.parseInt(mapped[1] ?? '', 16);
  const low = Number.parseInt(mapped[2] ?? '', 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

function parseRange(text: string): { address: string; prefix: number | null } | null {
  const [addressText = '', prefixText, ...rest] = text.split('/');
  if (rest.length > 0 || (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText))) return null;
  // Bare addresses only: a port or brackets in configuration is a mistake worth naming.
  const address = isIP(addressText) === 0 ? null : parseAddress(addressText);
  if (address === null) return null;
  if (prefixText === undefined) return { address, prefix: null };
  let prefix = Number(prefixText);
  // ::ffff:10.0.0.0/104 is written for dual-stack sockets; addresses are compared as IPv4.
  if (isIP(address) === 4 && isIP(addressText) === 6) prefix -= 96;
  const bits = isIP(address) === 4 ? 32 : 128;
  return prefix >= 0 && prefix <= bits ? { address, prefix } : null;
}

function blockListOf(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const range of ranges) {
    const parsed = parseRange(range);
    if (parsed === null) throw new TypeError(`trusted proxy range "${range}" is not an IP address or CIDR range`);
    const family = isIP(parsed.address) === 4 ? 'ipv4' : 'ipv6';
    if (parsed.prefix === null) list.addAddress(parsed.address, family);
    else list.addSubnet(parsed.address, parsed.prefix, family);
  }
  return list;
}
