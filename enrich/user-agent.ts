import { UAParser } from 'ua-parser-js';
import { LruCache } from './lru.ts';
import { MAX_CLIENT_HINT_BRANDS, MAX_CLIENT_HINT_LENGTH } from './client-hints.ts';
import type { ClientHintBrand, ClientHints } from './client-hints.ts';

export type DeviceType = 'desktop' | 'mobile' | 'tablet' | 'tv' | 'console' | 'wearable' | 'bot' | 'unknown';

export interface Device {
  browser: string | null;
  browserVersion: string | null;
  os: string | null;
  osVersion: string | null;
  deviceType: DeviceType;
}

/**
 * Real browser user agents stay under about 300 characters; anything longer is
 * either junk or an attempt to make the regex-heavy parser slow, so it is cut
 * before parsing and before becoming a cache key.
 */
export const MAX_USER_AGENT_LENGTH = 512;

const DEFAULT_CACHE_SIZE = 1000;

// ua-parser-js v2 device.type values; 'bot' is never one of them: the pipeline
// sets it from detectBot (bot.ts), which knows far more crawlers.
const DEVICE_TYPES: Readonly<Record<string, DeviceType>> = {
  mobile: 'mobile',
  tablet: 'tablet',
  smarttv: 'tv',
  console: 'console',
  wearable: 'wearable',
  // A headset or a car dashboard is neither a desktop nor a phone; reporting
  // them apart would be a category too small to be worth a dashboard row.
  xr: 'unknown',
  embedded: 'unknown',
};

/**
 * Returns a parser from user agent, and the client hints that came with it, to
 * browser, OS and device type.
 *
 * An uncached parse costs tens of microseconds (regex-heavy), and real traffic
 * repeats a few hundred user agents, so results are kept in an LRU cache
 * (default 1,000 entries, well under a megabyte) keyed by the user agent and the
 * hints that can change the answer. Cached Device objects are shared: callers
 * must not mutate them.
 *
 * The hints are read by ua-parser-js itself (`withClientHints()`), fed as the
 * Sec-CH-UA* headers it expects, so a platform version of "15.0.0" on Windows
 * becomes Windows 11 by its rule, not ours.
 */
export function createUserAgentParser(
  { cacheSize = DEFAULT_CACHE_SIZE }: { cacheSize?: number } = {},
): (userAgent: string, hints?: ClientHints | null) => Device {
  const cache = new LruCache<string, Device>(cacheSize);
  // Reused for the common case; a parser with hints is built per uncached parse,
  // because ua-parser-js takes headers only in its constructor.
  const plainParser = new UAParser();

  return function parseUserAgent(userAgent: string, hints?: ClientHints | null): Device {
    const cut = userAgent.length > MAX_USER_AGENT_LENGTH ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : userAgent;
    const hinted = hints ? parserInputOf(hints) : null;
    const key = hinted ? `${cut}\n${hinted.key}` : cut;
    const cached = cache.get(key);
    if (cached) return cached;
    const device = hinted
      ? readDevice(new UAParser(cut, hinted.headers), true, hinted.touchScreen)
      : readDevice(plainParser.setUA(cut), false, false);
    cache.set(key, device);
    return device;
  };
}

function readDevice(parser: UAParser, withHints: boolean, touchScreen: boolean): Device {
  // Three getters instead of getResult(): the CPU and engine parses it would
  // add are a third of the cost and nothing downstream uses them.
  let browser = parser.getBrowser();
  const nameInUserAgent = browser.name;
  let os = parser.getOS();
  let device = parser.getDevice();
  if (withHints) {
    browser = answeredAtOnce(browser.withClientHints());
    os = answeredAtOnce(os.withClientHints());
    device = answeredAtOnce(device.withClientHints());
  }
  // The "Google Chrome" brand becomes "Chrome" while an Android UA alone gives
  // "Mobile Chrome"; keeping the UA's name stops one browser from being counted
  // under two names depending on whether its hints arrived.
  const browserName =
    nameInUserAgent !== undefined && browser.name !== undefined && nameInUserAgent === `Mobile ${browser.name}`
      ? nameInUserAgent
      : browser.name;
  // Mac UA plus a touch screen: iPadOS Safari in its default desktop mode
  // (see ClientHints.maxTouchPoints). The OS version in that UA is Safari's
  // frozen "10_15_7", which says nothing about iPadOS, so none is given.
  const iPad = touchScreen && device.model === 'Macintosh';
  // Frozen because the cached object is handed to every caller with this key.
  return Object.freeze({
    browser: browserName ?? null,
    browserVersion: browser.major || null,
    os: iPad ? 'iOS' : (os.name ?? null),
    osVersion: iPad ? null : os.version || null,
    deviceType: iPad ? 'tablet' : deviceTypeOf({ type: device.type, browser: browserName, os: os.name }, parser.getUA()),
  });
}

// ua-parser-js recognises these OSes and browsers in many UAs where it names no
// device type. They run only on handhelds, so "desktop", the answer for an
// untyped UA, would be wrong for them.
const HANDHELD_OSES: ReadonlySet<string> = new Set([
  'iOS', 'Windows Phone', 'Windows Mobile', 'Symbian', 'BlackBerry', 'KaiOS', 'Bada', 'Series40',
  'Sailfish', 'MeeGo', 'Maemo', 'HarmonyOS', 'OpenHarmony', 'Ubuntu Touch', 'Firefox OS',
]);
const HANDHELD_BROWSERS: ReadonlySet<string> = new Set([
  'Opera Mini', 'Opera Mobi', 'NetFront', 'UP.Browser', 'IEMobile', 'Obigo', 'Polaris', 'Jasmine', 'Blazer', 'Minimo', 'Fennec',
]);

/**
 * Words in a user agent that name the kind of device outright, and win over ua-parser-js's guess:
 * in-app browsers on iPads (Facebook's "FBDV/iPad") and old Android tablets that also say "Mobile
 * Safari" are otherwise counted as phones. "Tablet PC" is a Windows laptop feature, not a tablet.
 */
const DEVICE_NAMED_IN_UA: readonly [RegExp, DeviceType][] = [
  [/\biPad\b/, 'tablet'],
  [/\bKindle Fire\b|\bKF[A-Z]{2,5} Build\/|\bSilk\//, 'tablet'],
  [/\bTablet\b(?! PC)/i, 'tablet'],
  [/\bBlackBerry\b|\bRIM\d{3,}\b/, 'mobile'],
  // CFNetwork apps on an Intel Mac; on an iPhone the architecture is an arm64 model name.
  [/\bDarwin\/[\d.]+ \(x86_64\)/, 'desktop'],
];

function deviceTypeOf(parsed: { type?: string; browser?: string; os?: string }, userAgent: string): DeviceType {
  for (const [pattern, type] of DEVICE_NAMED_IN_UA) if (pattern.test(userAgent)) return type;
  if (parsed.type !== undefined) return DEVICE_TYPES[parsed.type] ?? 'unknown';
  const { browser, os } = parsed;
  // Android's convention for browsers: a phone's UA says "Mobile", a tablet's does not. Apps that
  // write their own user agent ("ownCloud-android/2.0") follow no convention: most run on phones.
  if (os === 'Android') return /\bmobile\b/i.test(userAgent) || !/AppleWebKit|Gecko\//.test(userAgent) ? 'mobile' : 'tablet';
  if (os !== undefined && HANDHELD_OSES.has(os)) return 'mobile';
  // "Mobile Chrome", "Mobile Safari": ua-parser-js saying it is a handheld browser.
  if (browser !== undefined && (browser.startsWith('Mobile ') || HANDHELD_BROWSERS.has(browser))) return 'mobile';
  // ua-parser-js only names a device type when the UA says so; desktops say
  // nothing. An unnamed type is a desktop only if something else was recognised,
  // otherwise (curl, empty, garbage) we genuinely do not know.
  return browser !== undefined || os !== undefined ? 'desktop' : 'unknown';
}

/**
 * withClientHints() returns a promise only in a browser, where it asks
 * navigator.userAgentData; in Node it reads the headers given to the
 * constructor and returns the same, updated object at once.
 */
function answeredAtOnce<T>(result: PromiseLike<T> | T): T {
  return result as T;
}

interface ParserInput {
  headers: Record<string, string>;
  touchScreen: boolean;
  /** Everything in the input that can change the answer, for the cache key. */
  key: string;
}

/**
 * Turns hints back into the Sec-CH-UA* header values ua-parser-js reads, keeping
 * only what can change browser, OS or device type, so that hints differing in
 * nothing that matters (a patch version, the CPU) share a cache entry.
 * Returns null when nothing in the hints matters. Hints from the event body are
 * bounded by the wire schema, but are cut again here because they become part
 * of a cache key.
 */
function parserInputOf(hints: ClientHints): ParserInput | null {
  const headers: Record<string, string> = {};
  // Majors only: that is all a Device reports, and the full version list
  // names the same brands.
  const brands = brandHeader(hints.brands) || brandHeader(hints.fullVersionList);
  if (brands) headers['sec-ch-ua'] = brands;
  // ua-parser-js only acts on ?1; ?0 is the same as no hint.
  const mobile = hints.mobile === true;
  if (mobile) headers['sec-ch-ua-mobile'] = '?1';
  // The platform goes only with its version: ua-parser-js replaces the UA's OS
  // version with the hinted one, and on Windows turns a missing version into
  // "10", so a bare "Windows" would make Windows 7 read as 10. Without a
  // version the UA's own name and version stand. Windows 7 to 8.1 report
  // "0.1.0" to "0.3.0", which it would also call 10, while their UA names
  // them exactly; only Windows 10 and 11 share a UA that hints tell apart.
  const platform = headerValue(hints.platform);
  const platformVersion = withoutTrailingZeros(headerValue(hints.platformVersion));
  const platformKnown = platform !== '' && platformVersion !== '' && !(platform === 'Windows' && platformVersion.startsWith('0'));
  if (platformKnown) {
    headers['sec-ch-ua-platform'] = platform;
    headers['sec-ch-ua-platform-version'] = platformVersion;
  }
  const model = headerValue(hints.model);
  if (model) headers['sec-ch-ua-model'] = model;
  const touchScreen = typeof hints.maxTouchPoints === 'number' && hints.maxTouchPoints > 1;
  if (!brands && !mobile && !platformKnown && !model && !touchScreen) return null;
  const key = [
    brands,
    mobile ? '?1' : '',
    platformKnown ? platform : '',
    platformKnown ? platformVersion : '',
    model,
    touchScreen ? 't' : '',
  ].join('\n');
  return { headers, touchScreen, key };
}

function brandHeader(list: ClientHintBrand[] | undefined): string {
  if (!Array.isArray(list)) return '';
  let header = '';
  const count = Math.min(list.length, MAX_CLIENT_HINT_BRANDS);
  for (let i = 0; i < count; i++) {
    const entry = list[i];
    const brand = headerValue(entry?.brand);
    if (!brand) continue;
    const version = headerValue(entry?.version);
    const dot = version.indexOf('.');
    header += `${header ? ', ' : ''}"${brand}";v="${dot === -1 ? version : version.slice(0, dot)}"`;
  }
  return header;
}

/**
 * ua-parser-js reads these headers naively: it deletes every quote and
 * backslash, splits lists on commas and brands from versions on ";v=". So a
 * value keeps none of those, whatever its source.
 */
function headerValue(value: unknown): string {
  if (typeof value !== 'string') return '';
  const cut = value.length > MAX_CLIENT_HINT_LENGTH ? value.slice(0, MAX_CLIENT_HINT_LENGTH) : value;
  // Tested before replacing: real values never need it, and this runs on every cache hit.
  return READ_NAIVELY.test(cut) ? cut.replace(READ_NAIVELY_ALL, '').trim() : cut.trim();
}

// Control characters too: never valid in a header, and a newline would blur the
// fields of the cache key.
const READ_NAIVELY = /["\\,\u0000-\u001f]|;v=/;
const READ_NAIVELY_ALL = /["\\,\u0000-\u001f]|;v=/g;

/**
 * Android's UA says "Android 14" where its hint says "14.0.0"; trimming the
 * zero components counts one OS version as one, whichever of the two arrived.
 */
function withoutTrailingZeros(version: string): string {
  return version.replace(/(?:\.0+)+$/, '');
}
