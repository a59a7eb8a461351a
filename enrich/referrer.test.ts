import { describe, it, expect } from 'vitest';
import { classifyReferrer } from './referrer.ts';
import type { ReferrerInfo } from './referrer.ts';

const cases: { name: string; referrer: string | null | undefined; pageHost: string; expected: ReferrerInfo }[] = [
  { name: 'no referrer (null)', referrer: null, pageHost: 'example.com', expected: { host: null, internal: false } },
  { name: 'no referrer (undefined)', referrer: undefined, pageHost: 'example.com', expected: { host: null, internal: false } },
  { name: 'empty referrer', referrer: '', pageHost: 'example.com', expected: { host: null, internal: false } },
  {
    name: 'search engine origin',
    referrer: 'https://www.google.com/',
    pageHost: 'example.com',
    expected: { host: 'google.com', internal: false },
  },
  {
    name: 'upper-case host with path and query',
    referrer: 'HTTPS://News.YCombinator.com/item?id=1',
    pageHost: 'example.com',
    expected: { host: 'news.ycombinator.com', internal: false },
  },
  {
    name: 'port is not part of the host',
    referrer: 'http://blog.example.org:8443/post',
    pageHost: 'example.com',
    expected: { host: 'blog.example.org', internal: false },
  },
  {
    name: 'trailing dot of a fully-qualified name',
    referrer: 'https://duckduckgo.com./',
    pageHost: 'example.com',
    expected: { host: 'duckduckgo.com', internal: false },
  },
  {
    name: 'only a leading www. is removed',
    referrer: 'https://awww.example.net/',
    pageHost: 'example.com',
    expected: { host: 'awww.example.net', internal: false },
  },
  {
    name: 'same host is internal',
    referrer: 'https://example.com/pricing',
    pageHost: 'example.com',
    expected: { host: 'example.com', internal: true },
  },
  {
    name: 'www. on the referrer only is still internal',
    referrer: 'https://www.example.com/',
    pageHost: 'example.com',
    expected: { host: 'example.com', internal: true },
  },
  {
    name: 'www. on the page host only is still internal',
    referrer: 'https://example.com/',
    pageHost: 'WWW.Example.com',
    expected: { host: 'example.com', internal: true },
  },
  {
    name: 'ports are ignored for internal',
    referrer: 'http://localhost:3000/a',
    pageHost: 'localhost:8080',
    expected: { host: 'localhost', internal: true },
  },
  {
    name: 'IPv6 page host with a port',
    referrer: 'http://[::1]:3000/',
    pageHost: '[::1]:8080',
    expected: { host: '[::1]', internal: true },
  },
  {
    name: 'a subdomain is another site',
    referrer: 'https://blog.example.com/',
    pageHost: 'example.com',
    expected: { host: 'blog.example.com', internal: false },
  },
  {
    name: 'Gmail app on Android',
    referrer: 'android-app://com.google.android.gm/',
    pageHost: 'example.com',
    expected: { host: 'com.google.android.gm', internal: false },
  },
  {
    name: 'Android app without trailing slash',
    referrer: 'android-app://org.telegram.messenger',
    pageHost: 'example.com',
    expected: { host: 'org.telegram.messenger', internal: false },
  },
  { name: 'not a URL', referrer: 'not a url', pageHost: 'example.com', expected: { host: null, internal: false } },
  { name: 'relative path', referrer: '/pricing', pageHost: 'example.com', expected: { host: null, internal: false } },
  {
    name: 'file URL',
    referrer: 'file:///home/ann/page.html',
    pageHost: 'example.com',
    expected: { host: null, internal: false },
  },
  {
    name: 'browser extension',
    referrer: 'chrome-extension://abcdefghij/popup.html',
    pageHost: 'example.com',
    expected: { host: null, internal: false },
  },
  { name: 'android-app without a package', referrer: 'android-app:', pageHost: 'example.com', expected: { host: null, internal: false } },
];

describe('classifyReferrer', () => {
  it.each(cases)('$name', ({ referrer, pageHost, expected }) => {
    expect(classifyReferrer(referrer, pageHost)).toEqual(expected);
  });
});
