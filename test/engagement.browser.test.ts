// Engagement reports in a real Chromium: how long a page was visible and how far down it was read,
// sent when the page is hidden or left, and before a single-page app's next pageview.
//
// Headless Chromium keeps every page visible: bringing another page to the front, minimising the
// window or freezing the page change nothing. So pages are hidden the ways that work there as in any
// browser: by leaving them (a navigation, closing the tab) and, to show one again, by going back to it
// from the back-forward cache, which this suite's browser keeps on.
//
// Reports of earlier tests can arrive late (a context closing hides its pages), so each test picks
// its own by the id of its pageview.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  beaconsSent,
  closeServer,
  DESKTOP_CHROME_UA,
  launchChromium,
  listenLocally,
  postedBodies,
  PRIVACY_SIGNALS,
  recordBeacons,
  type RecordingCollector,
  recordRejections,
  refusedBodies,
  startRecordingCollector,
  unhandledRejections,
} from './browser.ts';

type Body = Record<string, unknown>;

const VIEWPORT = { width: 1280, height: 720 };
/** How long a test reads a page before leaving it: the least its report may say. */
const READ_MS = 600;

let browser: Browser;
let site: Server;
let siteOrigin: string;
let collector: RecordingCollector;
let context: BrowserContext | undefined;
let pageErrors: Error[] = [];

function servePage(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', siteOrigin).pathname;
  const consentMode = path.startsWith('/consent') ? ' data-require-consent' : '';
  // /long is four windows high; every other page fits in one.
  const body = path.startsWith('/long') ? '<body style="height: 2880px">' : '<body>';
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(`<!doctype html><html><head><meta charset="utf-8">
<title>Engagement fixture</title><script defer src="${collector.origin}/w.js" data-site="example.com"${consentMode}></script></head>
${body}<h1>${path}</h1></body></html>`);
}

beforeAll(async () => {
  collector = await startRecordingCollector();
  site = createServer(servePage);
  siteOrigin = await listenLocally(site);
  browser = await launchChromium({ backForwardCache: true });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([closeServer(site), collector?.close()]);
});

beforeEach(() => {
  collector.received.length = 0;
  pageErrors = [];
});

afterEach(async () => {
  for (const page of context?.pages() ?? []) if (!page.isClosed()) expect(await unhandledRejections(page)).toEqual([]);
  await context?.close();
  context = undefined;
  expect(pageErrors).toEqual([]);
  expect(refusedBodies(postedBodies(collector.received)), 'bodies the collector would reject').toEqual([]);
});

// --- helpers -------------------------------------------------------------------------------------

async function openPage(path: string, initScript?: () => void): Promise<Page> {
  context = await browser.newContext({ userAgent: DESKTOP_CHROME_UA, viewport: VIEWPORT });
  await context.addInitScript(recordRejections);
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
  await page.goto(siteOrigin + path);
  return page;
}

const bodies = () => postedBodies(collector.received);

/** Waits for the pageview of `url` (there must be one only) and returns it. */
async function pageviewOf(url: string): Promise<Body> {
  const matching = () => bodies().filter((body) => body.type === 'pageview' && body.url === url);
  await vi.waitFor(() => expect(matching(), `pageviews of ${url}`).toHaveLength(1), { timeout: 5000, interval: 10 });
  return matching()[0]!;
}

/** The engagement reports about `view`, in the order they arrived. */
const reportsAbout = (view: Body) => bodies().filter((body) => body.type === 'engagement' && body.pageview === view.id);

/** Waits until `count` reports about `view` have arrived, and returns them. */
async function waitForReports(view: Body, count: number): Promise<Body[]> {
  await vi.waitFor(() => expect(reportsAbout(view), 'reports about the pageview').toHaveLength(count), { timeout: 5000, interval: 10 });
  return reportsAbout(view);
}

/** Leaves the page for another one of the site, as following a link does, and waits for that one's pageview. */
async function leave(page: Page, path = '/elsewhere'): Promise<void> {
  await page.goto(siteOrigin + path);
  await pageviewOf(siteOrigin + path);
}

/** Scrolls with the mouse wheel, as a reader does, until the page has scrolled to `y`. */
async function wheelTo(page: Page, y: number): Promise<void> {
  await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 2);
  await page.mouse.wheel(0, y - (await page.evaluate(() => scrollY)));
  await page.waitForFunction((target) => scrollY === target, y);
}

/** What the tracker's report must say the page was scrolled to, with its bottom edge at `y + innerHeight`. */
const depthAt = (page: Page, y: number) =>
  page.evaluate((top) => Math.min(100, Math.round(((top + innerHeight) / document.documentElement.scrollHeight) * 100)), y);

/** The common fields of a report about `view`, as the collector's schema has them. */
function report(view: Body, extra: Body = {}): Body {
  return {
    type: 'engagement',
    site: 'example.com',
    id: expect.stringMatching(/^[0-9a-z]{8}[0-9a-f]{24}$/),
    visitor: view.visitor,
    url: view.url,
    time: expect.any(Number),
    sent: expect.any(Number),
    hints: expect.any(Object),
    pageview: view.id,
    engagedMs: expect.any(Number),
    scrollDepth: expect.any(Number),
    ...extra,
  };
}

// --- tests ---------------------------------------------------------------------------------------

describe('engagement reports', () => {
  it('reports, on leaving a page, how long it was visible and the deepest point it was scrolled to', async () => {
    const opened = Date.now();
    const page = await openPage('/long');
    const view = await pageviewOf(`${siteOrigin}/long`);
    await wheelTo(page, 1000);
    await wheelTo(page, 200);
    const deepest = await depthAt(page, 1000);
    await page.waitForTimeout(READ_MS);
    await leave(page);
    const visibleAtMost = Date.now() - opened;

    // pagehide and visibilitychange both fire as a page is left: one report, not two.
    const [only] = await waitForReports(view, 1);
    expect(only).toEqual(report(view, { scrollDepth: deepest }));
    expect(deepest).toBeGreaterThan(40);
    expect(deepest).toBeLessThan(100);
    expect(only!.engagedMs).toBeGreaterThanOrEqual(READ_MS);
    expect(only!.engagedMs).toBeLessThanOrEqual(visibleAtMost);
    expect(await settleReports(page, view)).toHaveLength(1);
  });

  it('counts a page shorter than the window as read to its end', async () => {
    const page = await openPage('/');
    const view = await pageviewOf(`${siteOrigin}/`);
    await leave(page);
    expect(await waitForReports(view, 1)).toEqual([report(view, { scrollDepth: 100 })]);
  });

  it('reports when the tab is closed (pagehide)', async () => {
    const page = await openPage('/long');
    const view = await pageviewOf(`${siteOrigin}/long`);
    await page.waitForTimeout(READ_MS);
    const depth = await depthAt(page, 0);
    // With runBeforeUnload the page runs its handlers as a closing tab does; the call does not wait for them.
    await Promise.all([page.waitForEvent('close'), page.close({ runBeforeUnload: true })]);
    const [only] = await waitForReports(view, 1);
    expect(only).toEqual(report(view, { scrollDepth: depth }));
    expect(only!.engagedMs).toBeGreaterThanOrEqual(READ_MS);
  });

  it('counts only the time visible, across hide and show: the time away is left out', async () => {
    const page = await openPage('/long');
    const view = await pageviewOf(`${siteOrigin}/long`);
    await page.waitForTimeout(READ_MS);
    await leave(page);
    const [first] = await waitForReports(view, 1);

    // Away for a while, then back: the back-forward cache shows the same page, still about the same pageview.
    await page.waitForTimeout(1500);
    const back = Date.now();
    await page.goBack({ waitUntil: 'commit' });
    await page.waitForFunction(() => location.pathname === '/long' && document.visibilityState === 'visible');
    await page.waitForTimeout(READ_MS);
    await leave(page, '/elsewhere-again');
    const shownAgainAtMost = Date.now() - back;

    const [, second] = await waitForReports(view, 2);
    expect(second).toEqual(report(view));
    const added = (second!.engagedMs as number) - (first!.engagedMs as number);
    expect(added).toBeGreaterThanOrEqual(READ_MS);
    expect(added).toBeLessThanOrEqual(shownAgainAtMost);
  });

  it("reports for the page a single-page app leaves before the next page's pageview", async () => {
    const page = await openPage('/long', recordBeacons);
    const view = await pageviewOf(`${siteOrigin}/long`);
    await wheelTo(page, 500);
    const deepest = await depthAt(page, 500);
    await page.waitForTimeout(READ_MS);
    const navigated = Date.now();
    await page.evaluate(() => history.pushState({}, '', '/long/next'));
    const next = await pageviewOf(`${siteOrigin}/long/next`);
    const [only] = await waitForReports(view, 1);

    // About the page left (its id and URL), sent before the next pageview.
    expect(only).toEqual(report(view, { scrollDepth: deepest }));
    expect(only!.engagedMs).toBeGreaterThanOrEqual(READ_MS);
    expect((await beaconsSent(page)).map((body) => body.id)).toEqual([view.id, only!.id, next.id]);

    // The next page counts its own time, from its pageview on, none of the first page's.
    await leave(page);
    const nextVisibleAtMost = Date.now() - navigated;
    const [nextReport] = await waitForReports(next, 1);
    expect(nextReport).toEqual(report(next));
    expect(nextReport!.engagedMs).toBeLessThanOrEqual(nextVisibleAtMost);
  });

  it.each(PRIVACY_SIGNALS)('sends no visitor under $name, like every other event', async ({ init }) => {
    const page = await openPage('/', init);
    const view = await pageviewOf(`${siteOrigin}/`);
    await leave(page);
    const [only] = await waitForReports(view, 1);
    expect(view).not.toHaveProperty('visitor');
    expect(only).toEqual(report(view, { visitor: undefined }));
    expect(only).not.toHaveProperty('visitor');
  });

  it('carries the visitor and consent given after the pageview, as any event sent then would', async () => {
    const page = await openPage('/consent');
    const view = await pageviewOf(`${siteOrigin}/consent`);
    await page.evaluate(() => window.waymark!('consent', true));
    const visitor = await page.evaluate(() => localStorage.getItem('waymark_vid'));
    await leave(page);
    const [only] = await waitForReports(view, 1);
    expect(view).not.toHaveProperty('visitor');
    expect(only).toEqual(report(view, { visitor, consent: true }));
  });
});

/**
 * Once a report has arrived: sends a marker event from the page now open and waits for it, then
 * returns the reports about `view`. A second report for the same hide would have been sent before the
 * marker, so it would most likely be in by then.
 */
async function settleReports(page: Page, view: Body): Promise<Body[]> {
  await page.evaluate(() => window.waymark!('event', 'marker'));
  await vi.waitFor(() => expect(bodies().some((body) => body.name === 'marker')).toBe(true), { timeout: 5000, interval: 10 });
  return reportsAbout(view);
}

declare global {
  interface Window {
    waymark?: (command: string, ...args: unknown[]) => void;
  }
}
