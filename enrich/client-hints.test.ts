import { describe, it, expect } from 'vitest';
import { clientHintsFromHeaders, hintsSayHeadless, MAX_CLIENT_HINT_BRANDS, MAX_CLIENT_HINT_LENGTH } from './client-hints.ts';
import type { ClientHints } from './client-hints.ts';

const headersOf = (headers: Record<string, string>) => (name: string) => headers[name] ?? null;

const CHROME_BRANDS = '"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"';
const chromeBrands = [
  { brand: 'Chromium', version: '124' },
  { brand: 'Google Chrome', version: '124' },
  { brand: 'Not-A.Brand', version: '99' },
];

describe('clientHintsFromHeaders', () => {
  describe('reads what browsers send', () => {
    it.each<{ name: string; headers: Record<string, string>; expected: ClientHints | null }>([
      {
        name: 'Chrome on Android with the high-entropy hints it was asked for',
        headers: {
          'sec-ch-ua': CHROME_BRANDS,
          'sec-ch-ua-mobile': '?1',
          'sec-ch-ua-platform': '"Android"',
          'sec-ch-ua-platform-version': '"14.0.0"',
          'sec-ch-ua-model': '"Pixel 8"',
          'sec-ch-ua-full-version-list':
            '"Chromium";v="124.0.6367.82", "Google Chrome";v="124.0.6367.82", "Not-A.Brand";v="99.0.0.0"',
        },
        expected: {
          brands: chromeBrands,
          fullVersionList: [
            { brand: 'Chromium', version: '124.0.6367.82' },
            { brand: 'Google Chrome', version: '124.0.6367.82' },
            { brand: 'Not-A.Brand', version: '99.0.0.0' },
          ],
          mobile: true,
          platform: 'Android',
          platformVersion: '14.0.0',
          model: 'Pixel 8',
        },
      },
      {
        name: 'Chrome on Windows 11: the empty model a desktop sends is no model',
        headers: {
          'sec-ch-ua': CHROME_BRANDS,
          'sec-ch-ua-mobile': '?0',
          'sec-ch-ua-platform': '"Windows"',
          'sec-ch-ua-platform-version': '"15.0.0"',
          'sec-ch-ua-model': '""',
          'sec-ch-ua-arch': '"x86"',
          'sec-ch-ua-bitness': '"64"',
        },
        expected: {
          brands: chromeBrands,
          mobile: false,
          platform: 'Windows',
          platformVersion: '15.0.0',
          architecture: 'x86',
          bitness: '64',
        },
      },
      {
        name: 'only the low-entropy hints Chrome sends to every secure origin',
        headers: { 'sec-ch-ua': CHROME_BRANDS, 'sec-ch-ua-mobile': '?0', 'sec-ch-ua-platform': '"macOS"' },
        expected: { brands: chromeBrands, mobile: false, platform: 'macOS' },
      },
      {
        name: 'a GREASE brand with ";" and escapes inside its quotes',
        headers: { 'sec-ch-ua': '"Not)A;Brand";v="8", "Chromium";v="138", "Say \\"hi\\" \\\\o/";v="1"' },
        expected: {
          brands: [
            { brand: 'Not)A;Brand', version: '8' },
            { brand: 'Chromium', version: '138' },
            { brand: 'Say "hi" \\o/', version: '1' },
          ],
        },
      },
      {
        name: 'tabs between members, other parameters, and a brand without a version',
        headers: { 'sec-ch-ua': '"Chromium";x;v="124";y=1.5\t,"Brave";v="124"  , "Plain"' },
        expected: {
          brands: [
            { brand: 'Chromium', version: '124' },
            { brand: 'Brave', version: '124' },
            { brand: 'Plain', version: '' },
          ],
        },
      },
      { name: 'no Sec-CH-UA header at all (Firefox, Safari)', headers: {}, expected: null },
    ])('$name', ({ headers, expected }) => {
      expect(clientHintsFromHeaders(headersOf(headers))).toEqual(expected);
    });
  });

  describe('ignores a malformed or oversized header, keeps the others, never throws', () => {
    const tooLong = 'x'.repeat(MAX_CLIENT_HINT_LENGTH + 1);
    const tooManyBrands = Array.from({ length: MAX_CLIENT_HINT_BRANDS + 1 }, (_, i) => `"B${i}";v="1"`).join(', ');
    it.each<{ name: string; header: string; value: string }>([
      { name: 'an unquoted brand', header: 'sec-ch-ua', value: 'Chromium;v="124"' },
      { name: 'an unterminated string', header: 'sec-ch-ua', value: '"Chromium";v="124' },
      { name: 'a trailing comma', header: 'sec-ch-ua', value: '"Chromium";v="124",' },
      { name: 'an inner list', header: 'sec-ch-ua', value: '("Chromium" "Chrome");v="124"' },
      { name: 'garbage after a member', header: 'sec-ch-ua', value: '"Chromium";v="124" junk' },
      { name: 'an unknown escape', header: 'sec-ch-ua', value: '"Chr\\omium";v="124"' },
      { name: 'a non-ASCII character', header: 'sec-ch-ua', value: '"Chromé";v="124"' },
      { name: 'an upper-case parameter key', header: 'sec-ch-ua', value: '"Chromium";V="124"' },
      { name: `more than ${MAX_CLIENT_HINT_BRANDS} brands`, header: 'sec-ch-ua', value: tooManyBrands },
      { name: 'a brand over the length bound', header: 'sec-ch-ua', value: `"${tooLong}";v="1"` },
      { name: 'a 100 kB list', header: 'sec-ch-ua-full-version-list', value: `"${'a'.repeat(100_000)}";v="1"` },
      { name: 'Sec-CH-UA-Mobile as a string', header: 'sec-ch-ua-mobile', value: '"?1"' },
      { name: 'Sec-CH-UA-Mobile as 1', header: 'sec-ch-ua-mobile', value: '1' },
      { name: 'an unquoted platform', header: 'sec-ch-ua-platform', value: 'Android' },
      { name: 'a platform with two strings', header: 'sec-ch-ua-platform', value: '"Android", "Linux"' },
      { name: 'a model over the length bound', header: 'sec-ch-ua-model', value: `"${tooLong}"` },
      { name: 'a 100 kB model', header: 'sec-ch-ua-model', value: `"${'a'.repeat(100_000)}"` },
      { name: 'a control character in a version', header: 'sec-ch-ua-platform-version', value: '"15.0\u0000"' },
    ])('$name', ({ header, value }) => {
      expect(clientHintsFromHeaders(headersOf({ [header]: value, 'sec-ch-ua-arch': '"arm"' }))).toEqual({ architecture: 'arm' });
      expect(clientHintsFromHeaders(headersOf({ [header]: value }))).toBeNull();
    });

    it('survives two thousand random headers', () => {
      const alphabet = ' "\\;=,?01v()\t*aZ.\u00e9\u0000';
      let seed = 42;
      const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
      const values = Array.from({ length: 2000 }, () =>
        Array.from({ length: Math.floor(random() * 40) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''),
      );
      // Plain calls, not one expect() each: a throw fails the test all the same.
      for (const value of values) clientHintsFromHeaders(() => value);
    });
  });
});

describe('hintsSayHeadless', () => {
  it.each<{ name: string; hints: ClientHints | null | undefined; expected: boolean }>([
    { name: 'no hints', hints: null, expected: false },
    { name: 'undefined hints', hints: undefined, expected: false },
    { name: 'hints without brands', hints: { platform: 'Linux' }, expected: false },
    { name: 'Chrome', hints: { brands: chromeBrands }, expected: false },
    {
      name: 'a HeadlessChrome brand',
      hints: { brands: [{ brand: 'HeadlessChrome', version: '124' }, { brand: 'Chromium', version: '124' }] },
      expected: true,
    },
    {
      name: 'HeadlessChrome only in the full version list',
      hints: { brands: chromeBrands, fullVersionList: [{ brand: 'HeadlessChrome', version: '124.0.6367.82' }] },
      expected: true,
    },
    {
      name: 'brands that are not a list (from a body that escaped the schema)',
      hints: { brands: 'HeadlessChrome' as unknown as ClientHints['brands'] },
      expected: false,
    },
  ])('$name: $expected', ({ hints, expected }) => {
    expect(hintsSayHeadless(hints)).toBe(expected);
  });

  it('sees a headless brand parsed from the Sec-CH-UA header', () => {
    const header = '"HeadlessChrome";v="124", "Chromium";v="124", "Not-A.Brand";v="99"';
    const hints = clientHintsFromHeaders(headersOf({ 'sec-ch-ua': header }));
    expect(hintsSayHeadless(hints)).toBe(true);
  });
});
