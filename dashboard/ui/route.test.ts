import { describe, expect, it } from 'vitest';
import { extractToken, parseRoute, routeToHash } from './route.ts';

describe('parseRoute', () => {
  it.each([
    { name: 'empty', hash: '', expected: {} },
    { name: 'overview', hash: '#site=example.com&from=2026-11-01&to=2026-11-22', expected: { site: 'example.com', from: '2026-11-01', to: '2026-11-22' } },
    { name: 'journey with encoded id', hash: '#site=example.com&visitor=a%26b%3Dc', expected: { site: 'example.com', visitor: 'a&b=c' } },
    { name: 'themes page', hash: '#site=example.com&view=themes', expected: { site: 'example.com', view: 'themes' } },
    { name: 'a journey opened from the segments page', hash: '#view=segments&visitor=v1', expected: { view: 'segments', visitor: 'v1' } },
    { name: 'unknown view is the overview', hash: '#site=x&view=admin', expected: { site: 'x' } },
    { name: 'unknown keys ignored', hash: '#site=x&token=secret&foo=1', expected: { site: 'x' } },
    { name: 'empty values dropped', hash: '#site=&visitor=', expected: {} },
  ])('$name', ({ hash, expected }) => {
    expect(parseRoute(hash)).toEqual(expected);
  });
});

describe('routeToHash', () => {
  it('round-trips through parseRoute', () => {
    const route = { site: 'example.com', from: '2026-11-01', to: '2026-11-22', view: 'segments' as const, visitor: 'id with spaces&=#' };
    const hash = routeToHash(route);
    expect(hash.startsWith('#')).toBe(true);
    expect(parseRoute(hash)).toEqual(route);
  });

  it('cannot produce a javascript: link from data', () => {
    expect(routeToHash({ visitor: 'javascript:alert(1)' })).toBe('#visitor=javascript%3Aalert%281%29');
  });
});

describe('extractToken', () => {
  it.each([
    { name: 'token alone', hash: '#token=XYZ', expected: { token: 'XYZ', rest: '' } },
    { name: 'token with a route', hash: '#token=XYZ&site=example.com', expected: { token: 'XYZ', rest: '#site=example.com' } },
    { name: 'no token', hash: '#site=example.com', expected: { token: undefined, rest: '#site=example.com' } },
    { name: 'empty token', hash: '#token=', expected: { token: undefined, rest: '' } },
    { name: 'nothing', hash: '', expected: { token: undefined, rest: '' } },
  ])('$name', ({ hash, expected }) => {
    expect(extractToken(hash)).toEqual(expected);
  });
});
