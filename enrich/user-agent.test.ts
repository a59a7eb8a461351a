import { describe, it, expect } from 'vitest';
import { createUserAgentParser, MAX_USER_AGENT_LENGTH } from './user-agent.ts';
import type { Device } from './user-agent.ts';
import { clientHintsFromHeaders } from './client-hints.ts';
import type { ClientHints } from './client-hints.ts';

const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';
// Chrome's reduced UA on every Android phone: version frozen at 10, model "K".
const CHROME_ANDROID_REDUCED =
  'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36';
// iPadOS 13+ Safari asks for desktop sites with exactly a Mac Safari's UA.
const SAFARI_MAC_OR_IPAD =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15';
const brands = (...entries: [brand: string, version: string][]) => entries.map(([brand, version]) => ({ brand, version }));
const chromeBrands = brands(['Chromium', '124'], ['Google Chrome', '124'], ['Not-A.Brand', '99']);
const webViewBrands = brands(['Android WebView', '124'], ['Chromium', '124']);

const cases: { name: string; userAgent: string; hints?: ClientHints; expected: Device }[] = [
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
    name: 'iPadOS Safari without hints: indistinguishable from a Mac, so a Mac is what we say',
    userAgent: SAFARI_MAC_OR_IPAD,
    expected: { browser: 'Safari', browserVersion: '17', os: 'macOS', osVersion: '10.15.7', deviceType: 'desktop' },
  },
  {
    name: 'iPadOS Safari with the tracker reporting touch points: a tablet, OS version unknown',
    userAgent: SAFARI_MAC_OR_IPAD,
    hints: { maxTouchPoints: 5 },
    expected: { browser: 'Safari', browserVersion: '17', os: 'iOS', osVersion: null, deviceType: 'tablet' },
  },
  {
    name: 'Mac Safari with no touch screen stays a Mac',
    userAgent: SAFARI_MAC_OR_IPAD,
    hints: { maxTouchPoints: 0 },
    expected: { browser: 'Safari', browserVersion: '17', os: 'macOS', osVersion: '10.15.7', deviceType: 'desktop' },
  },
  {
    name: 'touch points on a Windows touch screen change nothing',
    userAgent: CHROME_WINDOWS,
    hints: { maxTouchPoints: 10 },
    expected: { browser: 'Chrome', browserVersion: '124', os: 'Windows', osVersion: '10', deviceType: 'desktop' },
  },
  {
    name: 'Chrome reduced UA on Windows 11: platform version 15.0.0 gives it back',
    userAgent: CHROME_WINDOWS,
    hints: { brands: chromeBrands, mobile: false, platform: 'Windows', platformVersion: '15.0.0' },
    expected: { browser: 'Chrome', browserVersion: '124', os: 'Windows', osVersion: '11', deviceType: 'desktop' },
  },
  {
    name: 'Chrome on Windows 10: platform version 10.0.0 stays Windows 10',
    userAgent: CHROME_WINDOWS,
    hints: { brands: chromeBrands, mobile: false, platform: 'Windows', platformVersion: '10.0.0' },
    expected: { browser: 'Chrome', browserVersion: '124', os: 'Windows', osVersion: '10', deviceType: 'desktop' },
  },
  {
    name: 'Chrome 109 on Windows 7 with only low-entropy hints: the UA version stands',
    userAgent:
      'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
    hints: { brands: brands(['Google Chrome', '109']), mobile: false, platform: 'Windows' },
    expected: { browser: 'Chrome', browserVersion: '109', os: 'Windows', osVersion: '7', deviceType: 'desktop' },
  },
  {
    name: 'Chrome 109 on Windows 8.1, platform version 0.3.0: the UA version stands',
    userAgent:
      'Mozilla/5.0 (Windows NT 6.3; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
    hints: { brands: brands(['Google Chrome', '109']), mobile: false, platform: 'Windows', platformVersion: '0.3.0' },
    expected: { browser: 'Chrome', browserVersion: '109', os: 'Windows', osVersion: '8.1', deviceType: 'desktop' },
  },
  {
    name: 'Chrome reduced UA on macOS: the hint replaces the frozen 10.15.7',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    hints: { brands: chromeBrands, mobile: false, platform: 'macOS', platformVersion: '14.4.1' },
    expected: { browser: 'Chrome', browserVersion: '124', os: 'macOS', osVersion: '14.4.1', deviceType: 'desktop' },
  },
  {
    name: 'Chrome reduced UA "Android 10; K" without hints',
    userAgent: CHROME_ANDROID_REDUCED,
    expected: { browser: 'Mobile Chrome', browserVersion: '124', os: 'Android', osVersion: '10', deviceType: 'mobile' },
  },
  {
    name: 'Chrome reduced UA "Android 10; K" with Sec-CH-UA-Model and platform version',
    userAgent: CHROME_ANDROID_REDUCED,
    hints: { brands: chromeBrands, mobile: true, platform: 'Android', platformVersion: '14.0.0', model: 'Pixel 8' },
    expected: { browser: 'Mobile Chrome', browserVersion: '124', os: 'Android', osVersion: '14', deviceType: 'mobile' },
  },
  {
    name: 'Chrome reduced UA on an Android tablet (no "Mobile") with its model',
    userAgent: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    hints: { brands: chromeBrands, mobile: false, platform: 'Android', platformVersion: '14.0.0', model: 'SM-X700' },
    expected: { browser: 'Chrome', browserVersion: '124', os: 'Android', osVersion: '14', deviceType: 'tablet' },
  },
  {
    name: 'Android tablet asking for the desktop site: Linux UA, the hints say Android and name the model',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36',
    hints: { brands: chromeBrands, mobile: false, platform: 'Android', platformVersion: '14.0.0', model: 'SM-X700' },
    expected: { browser: 'Chrome', browserVersion: '124', os: 'Android', osVersion: '14', deviceType: 'tablet' },
  },
  {
    name: 'Brave, which only its brand tells apart from Chrome',
    userAgent: CHROME_WINDOWS,
    hints: { brands: brands(['Brave', '124'], ['Chromium', '124'], ['Not-A.Brand', '99']) },
    expected: { browser: 'Brave', browserVersion: '124', os: 'Windows', osVersion: '10', deviceType: 'desktop' },
  },
  {
    name: 'Android WebView ("; wv)")',
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36',
    hints: { brands: webViewBrands, mobile: true, platform: 'Android' },
    expected: { browser: 'Chrome WebView', browserVersion: '124', os: 'Android', osVersion: '14', deviceType: 'mobile' },
  },
  {
    name: 'Facebook in-app browser on iOS (FBAN/FBAV)',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/458.0.0.33.110;FBBV/580349339;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.4.1;FBSS/3;FBID/phone;FBLC/en_GB;FBOP/5;FBRV/582030613]',
    expected: { browser: 'Facebook', browserVersion: '458', os: 'iOS', osVersion: '17.4.1', deviceType: 'mobile' },
  },
  {
    name: 'Facebook in-app browser on Android: its WebView brand does not rename it',
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP1A.240405.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/460.0.0.48.109;]',
    hints: { brands: webViewBrands, mobile: true, platform: 'Android' },
    expected: { browser: 'Facebook', browserVersion: '460', os: 'Android', osVersion: '14', deviceType: 'mobile' },
  },
  {
    name: 'Instagram in-app browser on iOS',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 327.1.6.30.88 (iPhone15,2; iOS 17_4_1; en_GB; en-GB; scale=3.00; 1179x2556; 588348316)',
    expected: { browser: 'Instagram', browserVersion: '327', os: 'iOS', osVersion: '17.4.1', deviceType: 'mobile' },
  },
  {
    name: 'Instagram in-app browser on Android',
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; SM-S918B Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 Instagram 327.0.0.37.90 Android (34/14; 480dpi; 1080x2340; samsung; SM-S918B; dm1q; qcom; en_GB; 589185584)',
    expected: { browser: 'Instagram', browserVersion: '327', os: 'Android', osVersion: '14', deviceType: 'mobile' },
  },
  {
    name: 'LinkedIn in-app browser on iOS (no version in its token)',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.8962',
    expected: { browser: 'LinkedIn', browserVersion: null, os: 'iOS', osVersion: '17.4.1', deviceType: 'mobile' },
  },
  {
    name: 'LinkedIn in-app browser on Android',
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; Pixel 7 Build/AP1A.240405.002; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 [LinkedInApp]/4.1.927',
    expected: { browser: 'LinkedIn', browserVersion: null, os: 'Android', osVersion: '14', deviceType: 'mobile' },
  },
  {
    name: 'Samsung Internet',
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
    expected: { browser: 'Samsung Internet', browserVersion: '24', os: 'Android', osVersion: '14', deviceType: 'mobile' },
  },
  {
    name: 'Samsung Internet with a reduced UA and its hints',
    userAgent:
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36',
    hints: {
      brands: brands(['Samsung Internet', '24.0'], ['Chromium', '117'], ['Not;A=Brand', '8']),
      mobile: true,
      platform: 'Android',
      platformVersion: '14.0.0',
      model: 'SM-S918B',
    },
    expected: { browser: 'Samsung Internet', browserVersion: '24', os: 'Android', osVersion: '14', deviceType: 'mobile' },
  },
  {
    name: 'Edge on Windows',
    userAgent: `${CHROME_WINDOWS} Edg/124.0.2478.80`,
    hints: { brands: brands(['Chromium', '124'], ['Microsoft Edge', '124']), platform: 'Windows', platformVersion: '15.0.0' },
    expected: { browser: 'Edge', browserVersion: '124', os: 'Windows', osVersion: '11', deviceType: 'desktop' },
  },
  {
    name: 'Edge on Android',
    userAgent: `${CHROME_ANDROID_REDUCED} EdgA/124.0.2478.64`,
    expected: { browser: 'Edge', browserVersion: '124', os: 'Android', osVersion: '10', deviceType: 'mobile' },
  },
  {
    name: 'Firefox on an Android tablet',
    userAgent: 'Mozilla/5.0 (Android 14; Tablet; rv:125.0) Gecko/125.0 Firefox/125.0',
    expected: { browser: 'Mobile Firefox', browserVersion: '125', os: 'Android', osVersion: '14', deviceType: 'tablet' },
  },
  {
    name: 'Firefox on an Android phone',
    userAgent: 'Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0',
    expected: { browser: 'Mobile Firefox', browserVersion: '125', os: 'Android', osVersion: '14', deviceType: 'mobile' },
  },
  {
    name: 'an old Android tablet ua-parser-js gives no type: no "Mobile", so a tablet',
    userAgent:
      'Mozilla/5.0 (Linux; Android 4.0.3;  ThinkPad Tablet Build/ThinkPadTablet_A400_03) AppleWebKit/535.19 (KHTML, like Gecko) Chrome/18.0.1025.133  Safari/535.19',
    expected: { browser: 'Chrome', browserVersion: '18', os: 'Android', osVersion: '4.0.3', deviceType: 'tablet' },
  },
  {
    name: 'Opera Mini on a feature phone: a handheld browser, not a desktop',
    userAgent: 'Opera/9.80 (VRE; Opera Mini/4.2/28.2794; U; en) Presto/2.8.119 Version/11.10',
    expected: { browser: 'Opera Mini', browserVersion: '4', os: null, osVersion: null, deviceType: 'mobile' },
  },
  {
    name: 'LG webOS smart TV',
    userAgent:
      'Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.88 Safari/537.36 WebAppManager',
    expected: { browser: 'Chrome', browserVersion: '87', os: 'webOS', osVersion: '22', deviceType: 'tv' },
  },
  {
    name: 'PlayStation 4',
    userAgent: 'Mozilla/5.0 (PlayStation 4 11.00) AppleWebKit/605.1.15 (KHTML, like Gecko)',
    expected: { browser: 'WebKit', browserVersion: '605', os: 'PlayStation', osVersion: '4', deviceType: 'console' },
  },
  {
    name: 'Xbox',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edge/44.18363.8131',
    expected: { browser: 'Edge', browserVersion: '44', os: 'Xbox', osVersion: 'One', deviceType: 'console' },
  },
  {
    name: 'Apple Watch',
    userAgent: 'atc/1.0 watchOS/5.1.3 model/Watch3,4 hwp/t8004 build/16S535 (6; dt:156)',
    expected: { browser: null, browserVersion: null, os: 'watchOS', osVersion: '5.1.3', deviceType: 'wearable' },
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
    it.each(cases)('$name', ({ userAgent, hints, expected }) => {
      expect(parseUserAgent(userAgent, hints)).toEqual(expected);
    });
  });

  describe('device words in the user agent win over the parser\'s guess', () => {
    it.each<{ name: string; userAgent: string; expected: Device['deviceType'] }>([
      {
        name: "Facebook's in-app browser on an iPad",
        userAgent: 'Mozilla/5.0 (iPad; CPU OS 7_0 like Mac OS X) AppleWebKit/537.51.1 (KHTML, like Gecko) Mobile/11A465 [FBAN/FBIOS;FBAV/8.0.0.28.18;FBDV/iPad2,3;FBMD/iPad;FBSN/iPhone OS;FBSV/7.0]',
        expected: 'tablet',
      },
      {
        name: 'a Kindle Fire HD that says "Mobile Safari"',
        userAgent: 'Mozilla/5.0 (Linux; Android 4.0.3; KFTT Build/IML74K) AppleWebKit/535.19 (KHTML, like Gecko) Chrome/18.0.1025.166 Mobile Safari/535.19',
        expected: 'tablet',
      },
      {
        name: 'an Android tablet that names itself',
        userAgent: 'Mozilla/5.0 (Linux; Android 4.1.1; ASUS Tablet P1801-T Build/JRO03C) AppleWebKit/535.19 (KHTML, like Gecko) Chrome/18.0.1025.166  Safari/535.19',
        expected: 'tablet',
      },
      {
        name: 'a Windows laptop with "Tablet PC" in its UA stays a desktop',
        userAgent: 'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.2; WOW64; Trident/6.0; Tablet PC 2.0)',
        expected: 'desktop',
      },
      { name: 'an old BlackBerry', userAgent: 'Mozilla/2.0 (compatible; Go.Web/6.5; HandHTTP 1.1; Elaine/1.0; RIM957 )', expected: 'mobile' },
      { name: 'an Android app with its own user agent', userAgent: 'Mozilla/5.0 (Android) ownCloud-android/2.0.0', expected: 'mobile' },
      { name: 'a macOS app (CFNetwork on an Intel Mac)', userAgent: 'Safari/12602.2.14.0.7 CFNetwork/807.1.3 Darwin/16.1.0 (x86_64)', expected: 'desktop' },
    ])('$name → $expected', ({ userAgent, expected }) => {
      expect(createUserAgentParser()(userAgent).deviceType).toBe(expected);
    });
  });

  describe('malformed or oversized Sec-CH-UA* headers: the hints are ignored, the UA still parses', () => {
    const parseUserAgent = createUserAgentParser();
    const withoutHints = parseUserAgent(CHROME_WINDOWS);
    it.each<{ name: string; headers: Record<string, string> }>([
      {
        name: 'unquoted values',
        headers: { 'sec-ch-ua': 'Chromium;v=124', 'sec-ch-ua-platform': 'Windows', 'sec-ch-ua-platform-version': '15.0.0' },
      },
      {
        name: 'an unterminated platform version',
        headers: { 'sec-ch-ua-platform': '"Windows"', 'sec-ch-ua-platform-version': '"15.0.0' },
      },
      { name: 'a 100 kB brand list', headers: { 'sec-ch-ua': `"${'A'.repeat(100_000)}";v="1"` } },
      {
        name: 'a 100 kB platform version',
        headers: { 'sec-ch-ua-platform': '"Windows"', 'sec-ch-ua-platform-version': `"${'1'.repeat(100_000)}"` },
      },
      { name: 'Sec-CH-UA-Mobile that is not a boolean', headers: { 'sec-ch-ua-mobile': 'yes' } },
    ])('$name', ({ headers }) => {
      const hints = clientHintsFromHeaders((name) => headers[name]);
      expect(parseUserAgent(CHROME_WINDOWS, hints)).toEqual(withoutHints);
    });
  });

  describe('hints from the event body, which only the wire schema has bounded', () => {
    const parseUserAgent = createUserAgentParser();
    it.each<{ name: string; hints: ClientHints; expected: Partial<Device> }>([
      {
        name: 'quotes and a comma in a brand cannot smuggle in a second brand',
        hints: { brands: brands(['Evil", "Brave', '124']) },
        expected: { browser: 'Evil Brave', browserVersion: '124' },
      },
      {
        name: 'a thousand brands: only the first ten are read',
        hints: { brands: [...Array.from({ length: 999 }, () => brands(['Not-A.Brand', '99'])[0]!), ...brands(['Brave', '1'])] },
        expected: { browser: 'Chrome', browserVersion: '124' },
      },
      {
        name: 'a 10,000-character platform version is cut, not parsed whole',
        hints: { platform: 'Windows', platformVersion: `15.0.0${'9'.repeat(10_000)}` },
        expected: { os: 'Windows', deviceType: 'desktop' },
      },
      {
        name: 'values of the wrong type are skipped',
        hints: { brands: [{ brand: 42, version: null }], platform: ['Windows'], model: {} } as unknown as ClientHints,
        expected: { browser: 'Chrome', os: 'Windows', osVersion: '10' },
      },
      {
        name: 'hints that change nothing the parser reports (CPU, bitness)',
        hints: { architecture: 'arm', bitness: '64' },
        expected: { browser: 'Chrome', os: 'Windows', osVersion: '10', deviceType: 'desktop' },
      },
    ])('$name', ({ hints, expected }) => {
      expect(parseUserAgent(CHROME_WINDOWS, hints)).toMatchObject(expected);
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

    it.each<{ name: string; first: ClientHints | null; second: ClientHints | null }>([
      { name: 'no hints and null hints', first: null, second: {} },
      { name: 'hints that only name the CPU and no hints', first: { architecture: 'x86', bitness: '64' }, second: null },
      {
        name: 'full version lists that differ only after the major version',
        first: { fullVersionList: brands(['Google Chrome', '124.0.6367.82']) },
        second: { fullVersionList: brands(['Google Chrome', '124.0.6367.91']) },
      },
      {
        name: 'Sec-CH-UA-Mobile ?0 and no Sec-CH-UA-Mobile',
        first: { brands: chromeBrands, mobile: false },
        second: { brands: chromeBrands },
      },
    ])('shares one entry between $name, which parse alike', ({ first, second }) => {
      const parseUserAgent = createUserAgentParser();
      expect(parseUserAgent(CHROME_WINDOWS, first)).toBe(parseUserAgent(CHROME_WINDOWS, second));
    });

    it('keeps a user agent with hints apart from the same user agent without them', () => {
      const parseUserAgent = createUserAgentParser();
      const windows11 = { brands: chromeBrands, platform: 'Windows', platformVersion: '15.0.0' };
      expect(parseUserAgent(CHROME_WINDOWS)).toMatchObject({ osVersion: '10' });
      expect(parseUserAgent(CHROME_WINDOWS, windows11)).toMatchObject({ osVersion: '11' });
      expect(parseUserAgent(CHROME_WINDOWS, { ...windows11 })).toBe(parseUserAgent(CHROME_WINDOWS, windows11));
    });

    it('stays bounded when every request brings different hints', () => {
      const parseUserAgent = createUserAgentParser({ cacheSize: 2 });
      const first = parseUserAgent(CHROME_WINDOWS, { platform: 'Windows', platformVersion: '13.0.0' });
      for (let version = 14; version < 100; version++) {
        parseUserAgent(CHROME_WINDOWS, { platform: 'Windows', platformVersion: `${version}.0.0` });
      }
      const again = parseUserAgent(CHROME_WINDOWS, { platform: 'Windows', platformVersion: '13.0.0' });
      expect(again).not.toBe(first);
      expect(again).toEqual(first);
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
