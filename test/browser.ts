import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { parseBatch } from '../collector/event-schema.ts';

/**
 * What a desktop Chrome on Linux sends. Headless Chromium's own user agent says "HeadlessChrome",
 * which the collector's bot filter drops, so browser tests open contexts with this one:
 * `browser.newContext({ userAgent: DESKTOP_CHROME_UA })`.
 */
export const DESKTOP_CHROME_UA =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/**
 * Debian's Chromium, headless, without the background traffic that would show up in request logs.
 * `backForwardCache` keeps a page that is left in memory, so going back shows it again (Playwright
 * turns the cache off by default): the way to hide a page and show it again, since headless Chromium
 * keeps every page visible otherwise.
 */
export function launchChromium({ backForwardCache = false }: { backForwardCache?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.WAYMARK_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    ignoreDefaultArgs: backForwardCache ? ['--disable-back-forward-cache'] : [],
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
      // A context's userAgent does not reach the beacons a page sends as it is left (its engagement
      // report): those go out with the browser's own user agent, which must not say HeadlessChrome either.
      `--user-agent=${DESKTOP_CHROME_UA}`,
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

/** One request as the stand-in collector received it. */
export interface Received {
  method: string;
  path: string;
  contentType: string | undefined;
  origin: string | undefined;
  /** The body as it arrived, to show what was not sent. */
  text: string;
  body: Record<string, unknown> | undefined;
}

export interface RecordingCollector {
  origin: string;
  /** dist/w.js as `npm run build` made it: what a real collector serves. */
  bundle: string;
  /** Every request but those for /w.js, in the order they arrived; tests empty it between them. */
  received: Received[];
  close(): Promise<void>;
}

/**
 * A stand-in for the collector on an origin of its own (so the tracker's requests are cross-origin, as
 * in production): serves the built tracker at /w.js and records every other request.
 */
export async function startRecordingCollector(): Promise<RecordingCollector> {
  const bundle = readFileSync(new URL('../dist/w.js', import.meta.url), 'utf8');
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://collector').pathname;
    if (path === '/w.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' }).end(bundle);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      received.push({
        method: req.method ?? '',
        path,
        contentType: req.headers['content-type'],
        origin: req.headers.origin,
        text,
        body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
      });
      // The fetch fallback runs in CORS mode: without this header its promise rejects (the data still arrives).
      res.writeHead(path === '/e' ? 202 : 404, { 'Access-Control-Allow-Origin': '*' }).end();
    });
  });
  const origin = await listenLocally(server);
  return { origin, bundle, received, close: () => closeServer(server) };
}

/** Bodies of POST /e, in the order they arrived. */
export const postedBodies = (received: Received[]) => received.filter((r) => r.method === 'POST' && r.path === '/e').map((r) => r.body!);

/** The bodies the collector's strict schema would refuse, each with its reason: a suite's afterEach expects none. */
export function refusedBodies(bodies: Record<string, unknown>[]): { body: Record<string, unknown>; error: string }[] {
  return bodies.flatMap((body) => {
    const result = parseBatch(body);
    return result.ok ? [] : [{ body, error: result.error }];
  });
}

declare global {
  interface Window {
    beacons?: string[];
    rejections?: string[];
  }
}

/**
 * Init script: keeps every body given to sendBeacon, in call order. Chromium sends each beacon on its
 * own connection, so beacons sent in the same task may arrive in any order; the order the tracker
 * chose is read here, in the page.
 */
export function recordBeacons(): void {
  const send = Navigator.prototype.sendBeacon;
  window.beacons = [];
  Navigator.prototype.sendBeacon = function (this: Navigator, url: string | URL, data?: BodyInit | null) {
    window.beacons!.push(data as string);
    return send.call(this, url, data);
  };
}

export async function beaconsSent(page: Page): Promise<Record<string, unknown>[]> {
  const bodies = await page.evaluate(() => window.beacons!);
  return bodies.map((body) => JSON.parse(body) as Record<string, unknown>);
}

/** Init script: keeps the promise rejections nobody handled, which the page's own error reporting would see. */
export function recordRejections(): void {
  window.rejections = [];
  addEventListener('unhandledrejection', (event) => window.rejections!.push(String(event.reason)));
}

/** The rejections recordRejections kept. */
export const unhandledRejections = (page: Page) => page.evaluate(() => window.rejections);
