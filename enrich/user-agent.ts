import { UAParser } from 'ua-parser-js';
import { LruCache } from './lru.ts';

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
 * Returns a parser from user-agent string to browser, OS and device type.
 *
 * An uncached parse costs 30-160 µs (regex-heavy), and real traffic repeats a
 * few hundred user agents, so results are kept in an LRU cache (default 1,000 entries,
 * a few hundred kB). Cached Device objects are shared: callers must not mutate them.
 */
export function createUserAgentParser(
  { cacheSize = DEFAULT_CACHE_SIZE }: { cacheSize?: number } = {},
): (userAgent: string) => Device {
  const cache = new LruCache<string, Device>(cacheSize);
  const parser = new UAParser();

  return function parseUserAgent(userAgent: string): Device {
    const cut = userAgent.length > MAX_USER_AGENT_LENGTH ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : userAgent;
    const cached = cache.get(cut);
    if (cached) return cached;
    // Three getters instead of getResult(): the CPU and engine parses it would
    // add are a third of the cost and nothing downstream uses them.
    parser.setUA(cut);
    const browser = parser.getBrowser();
    const os = parser.getOS();
    const recognised = browser.name !== undefined || os.name !== undefined;
    // Frozen because the cached object is handed to every caller with this UA.
    const device: Device = Object.freeze({
      browser: browser.name ?? null,
      browserVersion: browser.major ?? null,
      os: os.name ?? null,
      osVersion: os.version ?? null,
      deviceType: deviceTypeOf(parser.getDevice().type, recognised),
    });
    cache.set(cut, device);
    return device;
  };
}

function deviceTypeOf(parsedType: string | undefined, recognised: boolean): DeviceType {
  // ua-parser-js only names a device type when the UA says so; desktops say
  // nothing. An unnamed type is a desktop only if something else was recognised,
  // otherwise (curl, empty, garbage) we genuinely do not know.
  if (parsedType === undefined) return recognised ? 'desktop' : 'unknown';
  return DEVICE_TYPES[parsedType] ?? 'unknown';
}
