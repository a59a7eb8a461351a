import { describe, it, expect } from 'vitest';
import { detectBot } from './bot.ts';
import type { BotCheckRequest, BotReason } from './bot.ts';

const CHROME_DESKTOP =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
const SAFARI_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1';

const cases: { name: string; request: BotCheckRequest; expected: BotReason | null }[] = [
  { name: 'Chrome on desktop is a person', request: { userAgent: CHROME_DESKTOP }, expected: null },
  { name: 'Safari on iPhone is a person', request: { userAgent: SAFARI_IPHONE, purpose: null }, expected: null },
  {
    name: 'Googlebot',
    request: { userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' },
    expected: 'bot-user-agent',
  },
  {
    name: 'Googlebot smartphone',
    request: {
      userAgent:
        'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.118 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    },
    expected: 'bot-user-agent',
  },
  { name: 'curl', request: { userAgent: 'curl/8.4.0' }, expected: 'bot-user-agent' },
  {
    name: 'HeadlessChrome',
    request: {
      userAgent:
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36',
    },
    expected: 'bot-user-agent',
  },
  { name: 'empty user agent', request: { userAgent: '' }, expected: 'missing-user-agent' },
  { name: 'blank user agent', request: { userAgent: '   ' }, expected: 'missing-user-agent' },
  { name: 'null user agent', request: { userAgent: null }, expected: 'missing-user-agent' },
  { name: 'absent user agent', request: { userAgent: undefined }, expected: 'missing-user-agent' },
  {
    name: 'Chrome private prefetch proxy',
    request: { userAgent: CHROME_DESKTOP, purpose: 'prefetch;anonymous-client-ip' },
    expected: 'prefetch',
  },
  { name: 'Sec-Purpose: prefetch', request: { userAgent: CHROME_DESKTOP, purpose: 'prefetch' }, expected: 'prefetch' },
  {
    name: 'Sec-Purpose: prefetch;prerender',
    request: { userAgent: CHROME_DESKTOP, purpose: 'prefetch;prerender' },
    expected: 'prefetch',
  },
  { name: 'Purpose: Prerender, any case', request: { userAgent: CHROME_DESKTOP, purpose: 'Prerender' }, expected: 'prefetch' },
  { name: 'an unrelated purpose', request: { userAgent: CHROME_DESKTOP, purpose: 'preview' }, expected: null },
  { name: 'an empty purpose', request: { userAgent: CHROME_DESKTOP, purpose: '' }, expected: null },
  {
    name: 'a bot that prefetches is counted as a bot',
    request: { userAgent: 'curl/8.4.0', purpose: 'prefetch' },
    expected: 'bot-user-agent',
  },
];

describe('detectBot', () => {
  it.each(cases)('$name', ({ request, expected }) => {
    expect(detectBot(request)).toBe(expected);
  });

  it('gives the same answer from its cache', () => {
    const googlebot = { userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)' };
    expect(detectBot(googlebot)).toBe('bot-user-agent');
    expect(detectBot(googlebot)).toBe('bot-user-agent');
    expect(detectBot({ userAgent: CHROME_DESKTOP })).toBeNull();
    expect(detectBot({ userAgent: CHROME_DESKTOP })).toBeNull();
  });

  it('does not throw on a 5,000-character user agent', () => {
    expect(detectBot({ userAgent: CHROME_DESKTOP + ' '.repeat(10) + 'x'.repeat(5000) })).toBeNull();
  });
});
