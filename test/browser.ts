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
