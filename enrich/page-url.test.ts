import { describe, it, expect } from 'vitest';
import { CAMPAIGN_QUERY_KEYS, normalisePageUrl } from './page-url.ts';

const cases: { name: string; raw: string; url: string; host: string; path: string; query: string }[] = [
  {
    name: 'keeps a plain URL as it is',
    raw: 'https://example.com/pricing',
    url: 'https://example.com/pricing',
    host: 'example.com',
    path: '/pricing',
    query: '',
  },
  {
    name: 'lower-cases scheme and host but not the path',
    raw: 'HTTPS://WWW.Example.COM/About-Us',
    url: 'https://www.example.com/About-Us',
    host: 'www.example.com',
    path: '/About-Us',
    query: '',
  },
  {
    name: 'drops the default https port',
    raw: 'https://example.com:443/a',
    url: 'https://example.com/a',
    host: 'example.com',
    path: '/a',
    query: '',
  },
  {
    name: 'drops the default http port',
    raw: 'http://example.com:80/',
    url: 'http://example.com/',
    host: 'example.com',
    path: '/',
    query: '',
  },
  {
    name: 'keeps a non-default port',
    raw: 'http://localhost:8080/dev',
    url: 'http://localhost:8080/dev',
    host: 'localhost:8080',
    path: '/dev',
    query: '',
  },
  {
    name: 'gives a bare origin the root path',
    raw: 'https://example.com',
    url: 'https://example.com/',
    host: 'example.com',
    path: '/',
    query: '',
  },
  {
    name: 'keeps a trailing slash as sent',
    raw: 'https://example.com/blog/',
    url: 'https://example.com/blog/',
    host: 'example.com',
    path: '/blog/',
    query: '',
  },
  {
    name: 'drops the fragment',
    raw: 'https://example.com/docs#install',
    url: 'https://example.com/docs',
    host: 'example.com',
    path: '/docs',
    query: '',
  },
  {
    name: 'drops credentials',
    raw: 'https://ann:secret@example.com/account',
    url: 'https://example.com/account',
    host: 'example.com',
    path: '/account',
    query: '',
  },
  {
    name: 'decodes the path but keeps the URL encoded',
    raw: 'https://example.com/caf%C3%A9/men%C3%BC',
    url: 'https://example.com/caf%C3%A9/men%C3%BC',
    host: 'example.com',
    path: '/café/menü',
    query: '',
  },
  {
    name: 'encodes a path sent unencoded, then reads it decoded',
    raw: 'https://example.com/café',
    url: 'https://example.com/caf%C3%A9',
    host: 'example.com',
    path: '/café',
    query: '',
  },
  {
    name: 'keeps an encoded slash encoded in the path',
    raw: 'https://example.com/files/a%2Fb',
    url: 'https://example.com/files/a%2Fb',
    host: 'example.com',
    path: '/files/a%2Fb',
    query: '',
  },
  {
    name: 'keeps the raw path when an escape is malformed',
    raw: 'https://example.com/100%/off',
    url: 'https://example.com/100%/off',
    host: 'example.com',
    path: '/100%/off',
    query: '',
  },
  {
    name: 'resolves dot segments',
    raw: 'https://example.com/a/../b/./c',
    url: 'https://example.com/b/c',
    host: 'example.com',
    path: '/b/c',
    query: '',
  },
  {
    name: 'keeps campaign keys and drops everything else',
    raw: 'https://example.com/?email=ann%40example.com&utm_source=news&token=abc&gclid=XYZ#top',
    url: 'https://example.com/?utm_source=news&gclid=XYZ',
    host: 'example.com',
    path: '/',
    query: 'utm_source=news&gclid=XYZ',
  },
  {
    name: 'lower-cases campaign key names and keeps the first of repeated keys',
    raw: 'https://example.com/p?UTM_Source=Mail&utm_source=other&utm_medium=email',
    url: 'https://example.com/p?utm_source=Mail&utm_medium=email',
    host: 'example.com',
    path: '/p',
    query: 'utm_source=Mail&utm_medium=email',
  },
  {
    name: 'drops a query with no campaign key, including the "?"',
    raw: 'https://example.com/search?q=private+thing',
    url: 'https://example.com/search',
    host: 'example.com',
    path: '/search',
    query: '',
  },
  {
    name: 'turns an internationalised host into its ASCII form',
    raw: 'https://bücher.example/',
    url: 'https://xn--bcher-kva.example/',
    host: 'xn--bcher-kva.example',
    path: '/',
    query: '',
  },
  {
    name: 'keeps an IPv6 host with its port',
    raw: 'http://[::1]:3000/',
    url: 'http://[::1]:3000/',
    host: '[::1]:3000',
    path: '/',
    query: '',
  },
];

describe('normalisePageUrl', () => {
  it.each(cases)('$name', ({ raw, url, host, path, query }) => {
    const page = normalisePageUrl(raw);
    expect(page).not.toBeNull();
    expect({ url: page?.url, host: page?.host, path: page?.path, query: page?.query.toString() }).toEqual({
      url,
      host,
      path,
      query,
    });
  });

  it.each(CAMPAIGN_QUERY_KEYS)('keeps %s', (key) => {
    expect(normalisePageUrl(`https://example.com/?${key}=v&other=x`)?.query.get(key)).toBe('v');
  });

  it.each([
    { name: 'empty string', raw: '' },
    { name: 'relative path', raw: '/pricing' },
    { name: 'protocol-relative URL', raw: '//example.com/' },
    { name: 'host without scheme', raw: 'example.com/pricing' },
    { name: 'file URL', raw: 'file:///home/ann/index.html' },
    { name: 'about:blank', raw: 'about:blank' },
    { name: 'browser extension page', raw: 'chrome-extension://abcdef/popup.html' },
    { name: 'javascript URL', raw: 'javascript:alert(1)' },
    { name: 'data URL', raw: 'data:text/html,<p>hi</p>' },
    { name: 'unparseable URL', raw: 'http://exa mple.com/' },
  ])('returns null for $name', ({ raw }) => {
    expect(normalisePageUrl(raw)).toBeNull();
  });
});

describe('what a site asks for beyond the defaults', () => {
  it.each([
    {
      name: 'a fragment route is the page when the site routes by fragment',
      raw: 'https://app.example/#/pricing',
      options: { hashRouting: true },
      url: 'https://app.example/#/pricing',
      path: '/#/pricing',
    },
    {
      name: 'the route keeps no query of its own',
      raw: 'https://app.example/?utm_source=x#/search?q=private',
      options: { hashRouting: true },
      url: 'https://app.example/?utm_source=x#/search',
      path: '/#/search',
    },
    { name: 'a bare # is no route', raw: 'https://app.example/#', options: { hashRouting: true }, url: 'https://app.example/', path: '/' },
    { name: 'without hash routing the fragment goes', raw: 'https://app.example/#/pricing', options: {}, url: 'https://app.example/', path: '/' },
    {
      name: 'extra query keys are kept beside the campaign keys, matched exactly',
      raw: 'https://shop.example/product?id=42&Page=2&page=3&utm_medium=email&email=a%40b.c',
      options: { extraQueryKeys: ['id', 'page'] },
      url: 'https://shop.example/product?utm_medium=email&id=42&page=3',
      path: '/product',
    },
  ])('$name', ({ raw, options, url, path }) => {
    const page = normalisePageUrl(raw, options);
    expect(page?.url).toBe(url);
    expect(page?.path).toBe(path);
    // The campaign reader only ever sees campaign keys.
    expect([...(page?.query.keys() ?? [])].every((key) => CAMPAIGN_QUERY_KEYS.includes(key))).toBe(true);
  });
});
