import { describe, it, expect, vi } from 'vitest';
import { createClientAddressResolver, parseTrustedProxies } from './client-address.ts';
import type { TrustedProxies } from './client-address.ts';

type Headers = Record<string, string | string[]>;

/** Repeated header lines reach the resolver as Node and the Fetch API give them: joined with ", ". */
function request(peer: string | null, headers: Headers = {}) {
  const lines = new Map(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    peer,
    header: (name: string) => {
      const value = lines.get(name.toLowerCase());
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

interface Case {
  name: string;
  peer: string | null;
  headers?: Headers;
  expected: string | null;
}

function resolves(trusted: TrustedProxies, cases: Case[]) {
  const resolve = createClientAddressResolver(trusted);
  it.each(cases)('$name', ({ peer, headers, expected }) => {
    expect(resolve(request(peer, headers))).toBe(expected);
  });
}

const PROXY = '10.0.0.2';

describe('createClientAddressResolver', () => {
  describe('with no trusted proxy, the client is the peer', () => {
    resolves({ kind: 'none' }, [
      { name: 'an IPv4 peer', peer: '203.0.113.9', expected: '203.0.113.9' },
      { name: 'forwarding headers are ignored', peer: '203.0.113.9', headers: { 'X-Forwarded-For': '1.2.3.4', Forwarded: 'for=1.2.3.4' }, expected: '203.0.113.9' },
      { name: 'an IPv4-mapped peer is its IPv4 address', peer: '::ffff:203.0.113.7', expected: '203.0.113.7' },
      { name: 'an IPv6 peer in canonical form', peer: '2001:DB8:0:0:0:0:0:1', expected: '2001:db8::1' },
      { name: 'a link-local peer without its zone id', peer: 'fe80::1%eth0', expected: 'fe80::1' },
      { name: 'no peer (an in-process request)', peer: null, expected: null },
      { name: 'a peer that is no address', peer: 'localhost', expected: null },
    ]);

    it('never reads a header', () => {
      const header = vi.fn(() => '1.2.3.4');
      createClientAddressResolver({ kind: 'none' })({ peer: '203.0.113.9', header });
      expect(header).not.toHaveBeenCalled();
    });
  });

  describe('behind one proxy (count 1): the right-most forwarded entry', () => {
    resolves({ kind: 'count', hops: 1 }, [
      { name: 'the entry the proxy appended', peer: PROXY, headers: { 'X-Forwarded-For': '198.51.100.7' }, expected: '198.51.100.7' },
      { name: 'spoofed left-most entries are the client\'s own words', peer: PROXY, headers: { 'X-Forwarded-For': '1.2.3.4, 198.51.100.7' }, expected: '198.51.100.7' },
      { name: 'two header lines are one list', peer: PROXY, headers: { 'X-Forwarded-For': ['1.2.3.4', '5.6.7.8, 198.51.100.7'] }, expected: '198.51.100.7' },
      { name: 'garbage left of the client does not matter', peer: PROXY, headers: { 'X-Forwarded-For': 'not an ip, 198.51.100.7' }, expected: '198.51.100.7' },
      { name: 'garbage where the client should be is no client', peer: PROXY, headers: { 'X-Forwarded-For': '198.51.100.7, not-an-ip' }, expected: null },
      { name: 'empty list elements are ignored', peer: PROXY, headers: { 'X-Forwarded-For': ', 198.51.100.7 ,' }, expected: '198.51.100.7' },
      { name: 'an IPv4 entry with a port', peer: PROXY, headers: { 'X-Forwarded-For': '198.51.100.7:4711' }, expected: '198.51.100.7' },
      { name: 'an IPv6 entry', peer: PROXY, headers: { 'X-Forwarded-For': '2001:DB8::7' }, expected: '2001:db8::7' },
      { name: 'a bracketed IPv6 entry with a port', peer: PROXY, headers: { 'X-Forwarded-For': '[2001:db8::7]:4711' }, expected: '2001:db8::7' },
      { name: 'an IPv4-mapped entry', peer: PROXY, headers: { 'X-Forwarded-For': '::ffff:198.51.100.7' }, expected: '198.51.100.7' },
      { name: 'an IPv4-mapped peer', peer: '::ffff:10.0.0.2', headers: { 'X-Forwarded-For': '198.51.100.7' }, expected: '198.51.100.7' },
      { name: 'no header: the request did not come through the proxy', peer: PROXY, expected: null },
      { name: 'an empty header is no header', peer: PROXY, headers: { 'X-Forwarded-For': ' ' }, expected: null },
      { name: 'Forwarded, a token', peer: PROXY, headers: { Forwarded: 'for=198.51.100.7' }, expected: '198.51.100.7' },
      { name: 'Forwarded, spoofed elements first', peer: PROXY, headers: { Forwarded: 'for=1.2.3.4, for=198.51.100.7' }, expected: '198.51.100.7' },
      { name: 'Forwarded, other parameters and any case', peer: PROXY, headers: { Forwarded: 'proto=https;For=198.51.100.7;by=10.0.0.2' }, expected: '198.51.100.7' },
      { name: 'Forwarded, a quoted IPv4 with a port', peer: PROXY, headers: { Forwarded: 'for="198.51.100.7:47011"' }, expected: '198.51.100.7' },
      { name: 'Forwarded, a quoted IPv6 with a port', peer: PROXY, headers: { Forwarded: 'for="[2001:db8:cafe::17]:4711"' }, expected: '2001:db8:cafe::17' },
      { name: 'Forwarded, a quoted IPv6 with a zone id', peer: PROXY, headers: { Forwarded: 'for="[fe80::1%25eth0]"' }, expected: 'fe80::1' },
      { name: 'Forwarded, a comma inside quotes splits nothing', peer: PROXY, headers: { Forwarded: 'for="x, y";by=z, for=198.51.100.7' }, expected: '198.51.100.7' },
      { name: 'Forwarded, for=unknown is no client', peer: PROXY, headers: { Forwarded: 'for=1.2.3.4, for=unknown' }, expected: null },
      { name: 'Forwarded, an obfuscated node is no client', peer: PROXY, headers: { Forwarded: 'for=1.2.3.4, for=_hidden' }, expected: null },
      { name: 'Forwarded, an element without for is no client', peer: PROXY, headers: { Forwarded: 'for=1.2.3.4, proto=https' }, expected: null },
      { name: 'Forwarded, for twice in one element is no client', peer: PROXY, headers: { Forwarded: 'for=198.51.100.7;for=1.2.3.4' }, expected: null },
      { name: 'Forwarded, an unterminated quote spoils the header', peer: PROXY, headers: { Forwarded: 'for="1.2.3.4, for=198.51.100.7' }, expected: null },
      { name: 'both headers naming the same client', peer: PROXY, headers: { Forwarded: 'for="[2001:db8::7]"', 'X-Forwarded-For': '2001:0db8::0007' }, expected: '2001:db8::7' },
      { name: 'both headers disagreeing: one was written by the client', peer: PROXY, headers: { Forwarded: 'for=1.2.3.4', 'X-Forwarded-For': '198.51.100.7' }, expected: null },
    ]);
  });

  describe('behind two proxies (count 2)', () => {
    resolves({ kind: 'count', hops: 2 }, [
      { name: 'the entry left of the inner proxy\'s', peer: PROXY, headers: { 'X-Forwarded-For': '1.2.3.4, 198.51.100.7, 10.0.0.1' }, expected: '198.51.100.7' },
      { name: 'more hops configured than present', peer: PROXY, headers: { 'X-Forwarded-For': '198.51.100.7' }, expected: null },
      { name: 'garbage among the proxies\' entries is not skipped', peer: PROXY, headers: { 'X-Forwarded-For': '198.51.100.7, garbage' }, expected: null },
      { name: 'Forwarded elements from two proxies', peer: PROXY, headers: { Forwarded: 'for=198.51.100.7;proto=https, for=10.0.0.1' }, expected: '198.51.100.7' },
    ]);
  });

  describe('behind trusted ranges: the first untrusted address from the peer leftwards', () => {
    resolves({ kind: 'ranges', ranges: ['10.0.0.0/8', '192.168.1.10', '2001:db8:ffff::/48'] }, [
      { name: 'a peer outside the ranges: headers ignored', peer: '203.0.113.9', headers: { 'X-Forwarded-For': '1.2.3.4' }, expected: '203.0.113.9' },
      { name: 'several trusted hops', peer: PROXY, headers: { 'X-Forwarded-For': '1.2.3.4, 198.51.100.7, 192.168.1.10, 10.0.0.3' }, expected: '198.51.100.7' },
      { name: 'an IPv4-mapped peer inside a range', peer: '::ffff:10.0.0.2', headers: { 'X-Forwarded-For': '198.51.100.7' }, expected: '198.51.100.7' },
      { name: 'every hop trusted: the left-most, an internal caller', peer: PROXY, headers: { 'X-Forwarded-For': '10.0.0.5, 10.0.0.4' }, expected: '10.0.0.5' },
      { name: 'a trusted peer and no header: the peer', peer: PROXY, expected: PROXY },
      { name: 'garbage among trusted hops is not skipped', peer: PROXY, headers: { 'X-Forwarded-For': '198.51.100.7, garbage, 10.0.0.3' }, expected: null },
      { name: 'for=unknown among trusted hops is not skipped', peer: PROXY, headers: { Forwarded: 'for=198.51.100.7, for=unknown, for=10.0.0.3' }, expected: null },
      {
        name: 'IPv6 proxies and a quoted IPv6 client',
        peer: '2001:db8:ffff::1',
        headers: { Forwarded: 'for="[2001:db8::1]:1234", for="[2001:db8:ffff::2]"' },
        expected: '2001:db8::1',
      },
      { name: 'both headers agreeing after trusted hops', peer: PROXY, headers: { Forwarded: 'for=198.51.100.7, for=10.0.0.3', 'X-Forwarded-For': '198.51.100.7, 10.0.0.3' }, expected: '198.51.100.7' },
    ]);

    it('never reads a header when the peer is outside the ranges', () => {
      const header = vi.fn(() => '1.2.3.4');
      createClientAddressResolver({ kind: 'ranges', ranges: ['10.0.0.0/8'] })({ peer: '203.0.113.9', header });
      expect(header).not.toHaveBeenCalled();
    });
  });
});

describe('parseTrustedProxies', () => {
  it.each([
    { name: 'nothing', text: '', expected: { kind: 'none' } },
    { name: 'blanks', text: '  ', expected: { kind: 'none' } },
    { name: 'zero proxies', text: '0', expected: { kind: 'none' } },
    { name: 'one proxy', text: '1', expected: { kind: 'count', hops: 1 } },
    { name: 'a count with blanks', text: ' 2 ', expected: { kind: 'count', hops: 2 } },
    { name: 'ranges and addresses', text: '10.0.0.0/8, 192.168.1.10, fd00::/8', expected: { kind: 'ranges', ranges: ['10.0.0.0/8', '192.168.1.10', 'fd00::/8'] } },
    { name: 'an IPv4-mapped range, as IPv4', text: '::ffff:10.0.0.0/104', expected: { kind: 'ranges', ranges: ['10.0.0.0/8'] } },
    { name: 'IPv6 in canonical form', text: '2001:DB8:0::/32', expected: { kind: 'ranges', ranges: ['2001:db8::/32'] } },
  ])('reads $name', ({ text, expected }) => {
    expect(parseTrustedProxies(text)).toEqual(expected);
  });

  it.each([
    { text: '33', error: '33 proxies is more than 32: give the number of proxies in front of Waymark' },
    { text: '-1', error: '"-1" is not an IP address or CIDR range' },
    { text: '10.0.0.0/33', error: '"10.0.0.0/33" is not an IP address or CIDR range' },
    { text: 'fd00::/129', error: '"fd00::/129" is not an IP address or CIDR range' },
    { text: '10.0.0.0/8/8', error: '"10.0.0.0/8/8" is not an IP address or CIDR range' },
    { text: '10.0.0.0/x', error: '"10.0.0.0/x" is not an IP address or CIDR range' },
    { text: '10.0.0.0/8, proxy.internal', error: '"proxy.internal" is not an IP address or CIDR range' },
    { text: '10.0.0.1:80', error: '"10.0.0.1:80" is not an IP address or CIDR range' },
    { text: '[::1]', error: '"[::1]" is not an IP address or CIDR range' },
    { text: '1, 10.0.0.0/8', error: '"1" is not an IP address or CIDR range (a count of proxies stands alone, without addresses)' },
    { text: '10.0.0.0/8,', error: 'an empty entry in "10.0.0.0/8,"' },
  ])('refuses $text', ({ text, error }) => {
    expect(parseTrustedProxies(text)).toEqual({ error });
  });

  it('gives ranges the resolver accepts', () => {
    const trusted = parseTrustedProxies('::ffff:10.0.0.0/104, fd00::/8');
    if ('error' in trusted) throw new Error(trusted.error);
    const resolve = createClientAddressResolver(trusted);
    expect(resolve(request('10.1.2.3', { 'X-Forwarded-For': '198.51.100.7, fd00::9' }))).toBe('198.51.100.7');
  });
});
