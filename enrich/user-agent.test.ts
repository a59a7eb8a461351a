import { describe, it, expect } from 'vitest';
import { createUserAgentParser, MAX_USER_AGENT_LENGTH } from './user-agent.ts';
import type { Device } from './user-agent.ts';

const cases: { name: string; userAgent: string; expected: Device }[] = [
  {
    name: 'Chrome on Windows',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    expected: { browser: 'Chrome', browserVersion: '124', os: 'Windows', osVersion: '10', deviceType: 'desktop' },
  },
  {
    name: 'Safari on iPhone',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
    expected: { browser: 'Mobile Safari', browserVersion: '17', os: 'iOS', osVersion: '17.4.1', deviceType: 'mobile' },
  },
  {
    name: 'Chrome on an Android phone',
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
    expected: { browser: 'Mobile Chrome', browserVersion: '124', os: 'Android', osVersion: '14', deviceType: 'mobile' },
  },
  {
    name: 'Safari on iPad',
    userAgent:
      'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1',
    expected: { browser: 'Mobile Safari', browserVersion: '17', os: 'iOS', osVersion: '17.4', deviceType: 'tablet' },
  },
  {
    name: 'Firefox on Linux (no OS version in the UA)',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
    expected: { browser: 'Firefox', browserVersion: '125', os: 'Linux', osVersion: null, deviceType: 'desktop' },
  },
  {
    name: 'Samsung smart TV',
    userAgent:
      'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) 85.0.4183.93/6.0 TV Safari/537.36',
    expected: { browser: 'Safari', browserVersion: '1', os: 'Tizen', osVersion: '6.0', deviceType: 'tv' },
  },
  {
    name: 'PlayStation 5',
    userAgent:
      'Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15',
    expected: { browser: 'Safari', browserVersion: '13', os: 'PlayStation', osVersion: '5', deviceType: 'console' },
  },
  {
    name: 'Galaxy Watch',
    userAgent:
      'Mozilla/5.0 (Linux; Android 11; SM-R890) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
    expected: { browser: 'Mobile Chrome', browserVersion: '124', os: 'Android', osVersion: '11', deviceType: 'wearable' },
  },
  {
    name: 'curl (nothing recognised)',
    userAgent: 'curl/8.4.0',
    expected: { browser: null, browserVersion: null, os: null, osVersion: null, deviceType: 'unknown' },
  },
  {
    name: 'empty string',
    userAgent: '',
    expected: { browser: null, browserVersion: null, os: null, osVersion: null, deviceType: 'unknown' },
  },
];

describe('createUserAgentParser', () => {
  describe('parses real user agents', () => {
    const parseUserAgent = createUserAgentParser();
    it.each(cases)('$name', ({ userAgent, expected }) => {
      expect(parseUserAgent(userAgent)).toEqual(expected);
    });
  });

  describe('oversized input', () => {
    it(`cuts a 5,000-character string to ${MAX_USER_AGENT_LENGTH} and still parses it`, () => {
      const parseUserAgent = createUserAgentParser();
      const chrome =
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 ';
      const huge = chrome + 'x'.repeat(5000 - chrome.length);
      expect(huge).toHaveLength(5000);
      expect(parseUserAgent(huge)).toMatchObject({ browser: 'Chrome', deviceType: 'desktop' });
    });

    it('treats strings that agree on the first MAX_USER_AGENT_LENGTH characters as one', () => {
      const parseUserAgent = createUserAgentParser();
      const prefix = 'a'.repeat(MAX_USER_AGENT_LENGTH);
      expect(parseUserAgent(prefix + 'one')).toBe(parseUserAgent(prefix + 'two'));
    });
  });

  describe('cache', () => {
    const userAgent = 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0';

    it('returns the same object for a repeated user agent', () => {
      const parseUserAgent = createUserAgentParser();
      expect(parseUserAgent(userAgent)).toBe(parseUserAgent(userAgent));
    });

    it('returns frozen objects, so one caller cannot change what the next one sees', () => {
      const parseUserAgent = createUserAgentParser();
      expect(Object.isFrozen(parseUserAgent(userAgent))).toBe(true);
    });

    it('forgets the least recently used user agent once cacheSize is reached', () => {
      const parseUserAgent = createUserAgentParser({ cacheSize: 1 });
      const first = parseUserAgent(userAgent);
      parseUserAgent('curl/8.4.0');
      const again = parseUserAgent(userAgent);
      expect(again).not.toBe(first);
      expect(again).toEqual(first);
    });
  });
});
