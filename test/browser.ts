import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';

/**
 * What a desktop Chrome on Linux sends. Headless Chromium's own user agent says "HeadlessChrome",
 * which the collector's bot filter drops, so browser tests open contexts with this one:
 * `browser.newContext({ userAgent: DESKTOP_CHROME_UA })`.
 */
export const DESKTOP_CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/** Debian's Chromium, headless, without the background traffic that would show up in request logs. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.WAYMARK_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    // --no-sandbox: test containers run as root, where Chromium's sandbox refuses to start.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Playwright's Chromium reports navigator.webdriver = true, which the collector drops as
      // automation; the tests stand for people, so they run as an ordinary browser would.
      '--disable-blink-features=AutomationControlled',
    ],
  });
}

/**
 * The two ways a browser says "do not follow me". Chromium sends neither by itself, so a test opens a
 * context with both halves: the header (what the collector reads, `extraHTTPHeaders`) and the
 * navigator property (what the tracker reads, an init script).
 */
export const PRIVACY_SIGNALS: { id: string; name: string; headers: Record<string, string>; init: () => void }[] = [
  { id: 'dnt', name: 'Do-Not-Track', headers: { DNT: '1' }, init: () => Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' }) },
  {
    id: 'gpc',
    name: 'Global Privacy Control',
    headers: { 'Sec-GPC': '1' },
    init: () => Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true }),
  },
];

/** Starts a server on a free port of 127.0.0.1 (a page's or a collector's origin) and returns that origin. */
export async function listenLocally(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Closes a server started by listenLocally; nothing to do when setup failed before it. */
export const closeServer = (server: Server | undefined) =>
  new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
